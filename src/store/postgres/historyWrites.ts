import type { HistoryCommitInput, HistoryStore } from '../historyStore.js';
import type { PgDb, PgQueryable } from './database.js';
import { lockForInsert } from './historyFullText.js';

export type PgHistoryWrites = Pick<
  HistoryStore,
  'getState' | 'setState' | 'listHashes' | 'maxSeq' | 'insertCommits' | 'deleteCommits' | 'deleteAll' | 'setLineCounts'
>;

type CommitInput = HistoryCommitInput & { seq: number };

/**
 * Interns distinct values, returning their ids by `key`. They are inserted sorted, so two ingests interning the
 * same values at once wait for each other in one order (never a deadlock); the ids are read by a second statement,
 * which sees the rows the first skipped because a concurrent transaction had just added them.
 */
async function intern<R extends { id: number }>(
  client: PgQueryable,
  sql: { insert: string; select: string },
  params: unknown[],
  key: (row: R) => string,
): Promise<Map<string, number>> {
  await client.query(sql.insert, params);
  return new Map((await client.query<R>(sql.select, params)).rows.map((r) => [key(r), r.id]));
}

const personKey = (name: string, email: string) => JSON.stringify([name, email]);

async function internPeople(client: PgQueryable, commits: CommitInput[]): Promise<Map<string, number>> {
  const people = new Map<string, [string, string]>();
  for (const c of commits) {
    people.set(personKey(c.authorName, c.authorEmail), [c.authorName, c.authorEmail]);
    people.set(personKey(c.committerName, c.committerEmail), [c.committerName, c.committerEmail]);
  }
  const sorted = [...people.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, person]) => person);
  return intern<{ id: number; name: string; email: string }>(
    client,
    {
      insert: 'INSERT INTO history_people (name, email) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
      select: `SELECT p.id, p.name, p.email FROM history_people p
               JOIN unnest($1::text[], $2::text[]) AS u(name, email) ON p.name = u.name AND p.email = u.email`,
    },
    [sorted.map((p) => p[0]), sorted.map((p) => p[1])],
    (r) => personKey(r.name, r.email),
  );
}

async function internPaths(client: PgQueryable, repoId: number, commits: CommitInput[]): Promise<Map<string, number>> {
  const paths = new Set<string>();
  for (const c of commits) {
    for (const f of c.files) {
      paths.add(f.path);
      if (f.oldPath !== null) paths.add(f.oldPath);
    }
  }
  return intern<{ id: number; path: string }>(
    client,
    {
      insert: 'INSERT INTO history_paths (repo_id, path) SELECT $1::int, unnest($2::text[]) ON CONFLICT DO NOTHING',
      select: 'SELECT id, path FROM history_paths WHERE repo_id = $1 AND path = ANY($2::text[])',
    },
    [repoId, [...paths].sort()],
    (r) => r.path,
  );
}

/** Ingest side of the PostgreSQL history store: each batch is a few statements over arrays, whatever its size. */
export function createPgHistoryWrites(db: PgDb): PgHistoryWrites {
  const insertBatch = async (client: PgQueryable, repoId: number, commits: CommitInput[]): Promise<number> => {
    await lockForInsert(client, repoId);
    // The first of each hash, as SQLite's INSERT OR IGNORE keeps it.
    const seen = new Set<string>();
    const unique = commits.filter((c) => !seen.has(c.hash) && seen.add(c.hash));
    const people = await internPeople(client, unique);
    const person = (name: string, email: string) => people.get(personKey(name, email));
    const inserted = await client.query<{ id: number; hash: string }>(
      `INSERT INTO history_commits (repo_id, hash, seq, parents, n_parents, author_id, author_time, author_tz,
         committer_id, committer_time, committer_tz, subject)
       SELECT $1::int, * FROM unnest($2::text[], $3::int[], $4::text[], $5::int[], $6::int[], $7::bigint[], $8::int[],
         $9::int[], $10::bigint[], $11::int[], $12::text[])
       ON CONFLICT (repo_id, hash) DO NOTHING RETURNING id, hash`,
      [
        repoId,
        unique.map((c) => c.hash),
        unique.map((c) => c.seq),
        unique.map((c) => c.parents.join(' ')),
        unique.map((c) => c.parents.length),
        unique.map((c) => person(c.authorName, c.authorEmail)),
        unique.map((c) => c.authorTime),
        unique.map((c) => c.authorTz),
        unique.map((c) => person(c.committerName, c.committerEmail)),
        unique.map((c) => c.committerTime),
        unique.map((c) => c.committerTz),
        unique.map((c) => c.subject),
      ],
    );
    const ids = new Map(inserted.rows.map((r) => [r.hash, r.id]));
    const added = unique.filter((c) => ids.has(c.hash));
    const withBody = added.filter((c) => c.body);
    if (withBody.length > 0) {
      await client.query('INSERT INTO history_bodies (commit_id, body) SELECT * FROM unnest($1::int[], $2::text[])', [
        withBody.map((c) => ids.get(c.hash)),
        withBody.map((c) => c.body),
      ]);
    }
    const files = added.flatMap((c) => c.files.map((f) => ({ ...f, seq: c.seq, commitId: ids.get(c.hash) })));
    if (files.length > 0) {
      const paths = await internPaths(client, repoId, added);
      await client.query(
        `INSERT INTO history_files (path_id, seq, commit_id, status, old_path_id)
         SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::int[]) ON CONFLICT DO NOTHING`,
        [
          files.map((f) => paths.get(f.path)),
          files.map((f) => f.seq),
          files.map((f) => f.commitId),
          files.map((f) => f.status),
          files.map((f) => (f.oldPath === null ? null : paths.get(f.oldPath))),
        ],
      );
    }
    return added.length;
  };

  return {
    async getState(repoId) {
      const row = await db.row<{ head: string | null; mailmap_hash: string | null; ingested_at: string | null; commit_count: number }>(
        'SELECT head, mailmap_hash, ingested_at, commit_count FROM history_state WHERE repo_id = $1',
        [repoId],
      );
      return row && { head: row.head, mailmapHash: row.mailmap_hash, ingestedAt: row.ingested_at, commitCount: row.commit_count };
    },
    async setState(repoId, state) {
      await db.rows(
        `INSERT INTO history_state (repo_id, head, mailmap_hash, ingested_at, commit_count)
         VALUES ($1, $2, $3, $4, (SELECT count(*) FROM history_commits WHERE repo_id = $1))
         ON CONFLICT (repo_id) DO UPDATE SET head = excluded.head, mailmap_hash = excluded.mailmap_hash,
           ingested_at = excluded.ingested_at, commit_count = excluded.commit_count`,
        [repoId, state.head, state.mailmapHash, state.ingestedAt],
      );
    },
    async listHashes(repoId) {
      return (await db.rows<{ hash: string }>('SELECT hash FROM history_commits WHERE repo_id = $1 ORDER BY hash', [repoId])).map(
        (r) => r.hash,
      );
    },
    async maxSeq(repoId) {
      return (await db.row<{ n: number }>('SELECT coalesce(max(seq), 0) AS n FROM history_commits WHERE repo_id = $1', [repoId]))?.n ?? 0;
    },
    async insertCommits(repoId, commits) {
      if (commits.length === 0) return 0;
      return db.tx((client) => insertBatch(client, repoId, commits));
    },
    async deleteCommits(repoId, hashes) {
      if (hashes.length === 0) return 0;
      // Bodies, files and message terms go with their commit (ON DELETE CASCADE).
      const rows = await db.rows('DELETE FROM history_commits WHERE repo_id = $1 AND hash = ANY($2::text[]) RETURNING id', [
        repoId,
        hashes,
      ]);
      return rows.length;
    },
    async deleteAll(repoId) {
      return db.tx(async (client) => {
        const removed = (await client.query('DELETE FROM history_commits WHERE repo_id = $1', [repoId])).rowCount ?? 0;
        await client.query('DELETE FROM history_paths WHERE repo_id = $1', [repoId]);
        await client.query('DELETE FROM history_state WHERE repo_id = $1', [repoId]);
        return removed;
      });
    },
    async setLineCounts(commitId, counts) {
      // The last count of a path wins, as SQLite applies them one after the other.
      const byPath = new Map(counts.map((c) => [c.path, c]));
      if (byPath.size === 0) return;
      const rows = [...byPath.values()];
      await db.rows(
        `UPDATE history_files f SET added = v.added, removed = v.removed
         FROM unnest($2::text[], $3::int[], $4::int[]) AS v(path, added, removed)
         JOIN history_paths p ON p.path = v.path
         WHERE p.repo_id = (SELECT repo_id FROM history_commits WHERE id = $1) AND f.commit_id = $1 AND f.path_id = p.id`,
        [commitId, rows.map((r) => r.path), rows.map((r) => r.added), rows.map((r) => r.removed)],
      );
    },
  };
}
