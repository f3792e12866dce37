import { messageTerms } from '../messageTerms.js';
import type { PgDb, PgQueryable } from './database.js';
import { refreshStatistics } from './historyStatistics.js';

/** First key of the per-repo advisory lock between ingest (shared) and filling the message terms (exclusive). */
const LOCK_CLASS = 0x6869_7374; // 'hist'
/** Commits whose messages are read and written back per round trip. */
const FILL_BATCH = 5000;

/**
 * Begins an insert into a repo's history: holds the lock for the rest of the transaction, and lets it commit
 * without waiting for its WAL to reach the disk. A crash can lose the last batches of an ingest, never half of
 * one; an ingest is only recorded done (setState, which waits for the disk, and with it for every batch
 * before it) after its last batch, and one that was not is started over.
 */
export async function beginInsert(client: PgQueryable, repoId: number): Promise<void> {
  await client.query(`SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock_shared($1, $2)`, [LOCK_CLASS, repoId]);
}

/**
 * Fills history_fts for the commits of `repoId` added since the last fill, as SQLite fills FTS5: on the repo's
 * first --grep, then topped up; `fts_max_id` marks what is done. Identity ids only grow, but concurrent inserts
 * can commit out of id order: the fill waits for those in flight (exclusive lock) so none is left below the mark.
 */
export async function fillFullText(db: PgDb, repoId: number): Promise<void> {
  const check = await db.row<{ pending: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM history_state WHERE repo_id = $1)
         OR EXISTS (SELECT 1 FROM history_commits WHERE repo_id = $1 AND id > (SELECT fts_max_id FROM history_state WHERE repo_id = $1))
       AS pending`,
    [repoId],
  );
  if (check && !check.pending) return;
  const filled = await db.tx(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, repoId]);
    // As SQLite does: a state row to hold the mark, before any ingest wrote one.
    const state = await client.query<{ fts_max_id: number }>(
      `INSERT INTO history_state (repo_id, commit_count) VALUES ($1, (SELECT count(*) FROM history_commits WHERE repo_id = $1))
       ON CONFLICT (repo_id) DO UPDATE SET repo_id = excluded.repo_id RETURNING fts_max_id`,
      [repoId],
    );
    let after = state.rows[0]?.fts_max_id ?? 0;
    let filled = 0;
    for (;;) {
      const rows = (
        await client.query<{ id: number; subject: string; body: string }>(
          `SELECT c.id, c.subject, coalesce(b.body, '') AS body FROM history_commits c LEFT JOIN history_bodies b ON b.commit_id = c.id
           WHERE c.repo_id = $1 AND c.id > $2 ORDER BY c.id LIMIT ${FILL_BATCH}`,
          [repoId, after],
        )
      ).rows;
      if (rows.length === 0) break;
      const terms = messageTerms(rows.flatMap((r) => [r.subject, r.body]));
      // One string per commit: its distinct terms, which hold no spaces.
      const joined = rows.map((_, i) => [...new Set([...(terms[2 * i] ?? []), ...(terms[2 * i + 1] ?? [])])].join(' '));
      await client.query(
        `INSERT INTO history_fts (commit_id, terms) SELECT id, string_to_array(t, ' ') FROM unnest($1::int[], $2::text[]) AS u(id, t)
         ON CONFLICT (commit_id) DO NOTHING`,
        [rows.map((r) => r.id), joined],
      );
      after = rows[rows.length - 1]?.id ?? after;
      filled += rows.length;
    }
    await client.query(
      'UPDATE history_state SET fts_max_id = (SELECT coalesce(max(id), 0) FROM history_commits WHERE repo_id = $1) WHERE repo_id = $1',
      [repoId],
    );
    return filled;
  });
  await refreshStatistics(db, filled, 'history_fts');
}
