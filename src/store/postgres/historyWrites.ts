import { encodeDiffLines, mergePaths, PENDING_DIFFS_SQL } from '../historySql.js';
import type { CommitDiffInput, HistoryCommitInput, HistoryStore, HistoryWriteMethod } from '../historyStore.js';
import type { PgDb, PgQueryable } from './database.js';
import { beginInsert } from './historyFullText.js';
import { refreshStatistics } from './historyStatistics.js';
import { numberPlaceholders } from './placeholders.js';

export type PgHistoryWrites = Pick<HistoryStore, HistoryWriteMethod>;

type CommitInput = HistoryCommitInput & { seq: number };

/** Rows of an interning table (people, paths): text columns, unique together within the scope, and an id. */
interface InternTable {
  name: 'history_people' | 'history_paths';
  columns: readonly string[];
  /** The repo column and value of a per-repo table. */
  scope?: { column: string; value: number };
}

const rowKey = (values: readonly unknown[]) => JSON.stringify(values);

/**
 * The ids of distinct rows of an interning table, adding the missing ones. Lookups are index probes whatever the
 * planner's statistics say (a table has none during its first ingest). Missing rows are added sorted, so two
 * ingests adding the same ones at once wait for each other in one order (never a deadlock); the rows such an
 * insert skipped because a concurrent transaction had just added them are read again after.
 */
async function intern(client: PgQueryable, table: InternTable, rows: string[][]): Promise<Map<string, number>> {
  const { name, columns, scope } = table;
  const ids = new Map<string, number>();
  const arrays = (list: string[][]) => [...columns.map((_, i) => list.map((r) => r[i])), ...(scope ? [scope.value] : [])];
  const unnest = `unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS u(${columns.join(', ')})`;
  const scopeSql = scope ? `t.${scope.column} = $${columns.length + 1} AND ` : '';
  const remember = (found: Record<string, unknown>[]) => {
    for (const row of found) if (row.id !== null) ids.set(rowKey(columns.map((c) => row[c])), row.id as number);
  };
  const lookup = async (list: string[][]) => {
    const match = columns.map((c) => `t.${c} = u.${c}`).join(' AND ');
    const sql = `SELECT (SELECT id FROM ${name} t WHERE ${scopeSql}${match}) AS id, ${columns.map((c) => `u.${c}`).join(', ')} FROM ${unnest}`;
    remember((await client.query(sql, arrays(list))).rows);
  };
  await lookup(rows);
  const missing = rows.filter((r) => !ids.has(rowKey(r))).sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : 1));
  if (missing.length === 0) return ids;
  const scopeColumn = scope ? `${scope.column}, ` : '';
  const scopeValue = scope ? `$${columns.length + 1}::int, ` : '';
  const added = await client.query(
    `INSERT INTO ${name} (${scopeColumn}${columns.join(', ')}) SELECT ${scopeValue}* FROM ${unnest}
     ON CONFLICT DO NOTHING RETURNING id, ${columns.join(', ')}`,
    arrays(missing),
  );
  remember(added.rows);
  const raced = missing.filter((r) => !ids.has(rowKey(r)));
  if (raced.length > 0) await lookup(raced);
  return ids;
}

async function internPeople(client: PgQueryable, commits: CommitInput[]): Promise<Map<string, number>> {
  const people = new Map<string, string[]>();
  for (const c of commits) {
    people.set(rowKey([c.authorName, c.authorEmail]), [c.authorName, c.authorEmail]);
    people.set(rowKey([c.committerName, c.committerEmail]), [c.committerName, c.committerEmail]);
  }
  return intern(client, { name: 'history_people', columns: ['name', 'email'] }, [...people.values()]);
}

async function internPaths(client: PgQueryable, repoId: number, commits: CommitInput[]): Promise<Map<string, number>> {
  const paths = new Set<string>();
  for (const c of commits) {
    for (const f of c.files) {
      paths.add(f.path);
      if (f.oldPath !== null) paths.add(f.oldPath);
    }
  }
  const table: InternTable = { name: 'history_paths', columns: ['path'], scope: { column: 'repo_id', value: repoId } };
  return intern(
    client,
    table,
    [...paths].map((p) => [p]),
  );
}

/** Ingest side of the PostgreSQL history store: each batch is a few statements over arrays, whatever its size. */
export function createPgHistoryWrites(db: PgDb): PgHistoryWrites {
  const insertBatch = async (client: PgQueryable, repoId: number, commits: CommitInput[]): Promise<number> => {
    await beginInsert(client, repoId);
    // The first of each hash, as SQLite's INSERT OR IGNORE keeps it.
    const seen = new Set<string>();
    const unique = commits.filter((c) => !seen.has(c.hash) && seen.add(c.hash));
    const people = await internPeople(client, unique);
    const person = (name: string, email: string) => people.get(rowKey([name, email]));
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
    const merges = added.filter((c) => c.parents.length > 1);
    const files = added
      .filter((c) => c.parents.length <= 1)
      .flatMap((c) => c.files.map((f) => ({ ...f, seq: c.seq, commitId: ids.get(c.hash) })));
    const mergeFiles = merges.flatMap((c) => mergePaths(c).map((path) => ({ path, seq: c.seq, commitId: ids.get(c.hash) })));
    const paths = files.length > 0 || mergeFiles.length > 0 ? await internPaths(client, repoId, added) : new Map<string, number>();
    if (mergeFiles.length > 0) {
      await client.query(
        `INSERT INTO history_merge_files (path_id, seq, commit_id)
         SELECT * FROM unnest($1::int[], $2::int[], $3::int[]) ON CONFLICT DO NOTHING`,
        [mergeFiles.map((f) => paths.get(rowKey([f.path]))), mergeFiles.map((f) => f.seq), mergeFiles.map((f) => f.commitId)],
      );
    }
    if (files.length > 0) {
      await client.query(
        `INSERT INTO history_files (path_id, seq, commit_id, status, old_path_id)
         SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::int[]) ON CONFLICT DO NOTHING`,
        [
          files.map((f) => paths.get(rowKey([f.path]))),
          files.map((f) => f.seq),
          files.map((f) => f.commitId),
          files.map((f) => f.status),
          files.map((f) => (f.oldPath === null ? null : paths.get(rowKey([f.oldPath])))),
        ],
      );
    }
    return added.length;
  };

  const writeDiffBatch = async (client: PgQueryable, repoId: number, format: number, commits: CommitDiffInput[]): Promise<number> => {
    const found = await client.query<{ id: number; seq: number; hash: string }>(
      'SELECT id, seq, hash FROM history_commits WHERE repo_id = $1 AND hash = ANY($2::text[])',
      [repoId, commits.map((c) => c.hash)],
    );
    const byHash = new Map(found.rows.map((r) => [r.hash, r]));
    const known = commits.filter((c) => byHash.has(c.hash));
    if (known.length === 0) return 0;
    const ids = known.map((c) => byHash.get(c.hash)!.id);
    await client.query('DELETE FROM history_diffs WHERE commit_id = ANY($1::int[])', [ids]);
    const files = known.flatMap((c) => c.files.map((f) => ({ ...f, commit: byHash.get(c.hash)! })));
    if (files.length > 0) {
      const paths = await intern(
        client,
        { name: 'history_paths', columns: ['path'], scope: { column: 'repo_id', value: repoId } },
        [...new Set(files.map((f) => f.path))].map((p) => [p]),
      );
      // Each file's terms as one space-joined string (terms hold no spaces): arrays of arrays must be rectangular.
      await client.query(
        `INSERT INTO history_diffs (repo_id, commit_id, seq, path_id, lines, terms)
         SELECT $1::int, u.commit_id, u.seq, u.path_id, u.lines, string_to_array(u.terms, ' ')
         FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::text[]) AS u(commit_id, seq, path_id, lines, terms)`,
        [
          repoId,
          files.map((f) => f.commit.id),
          files.map((f) => f.commit.seq),
          files.map((f) => paths.get(rowKey([f.path]))),
          files.map((f) => encodeDiffLines(f.lines)),
          files.map((f) => [...f.addedTerms.map((t) => `+${t}`), ...f.removedTerms.map((t) => `-${t}`)].join(' ')),
        ],
      );
    }
    await client.query(
      `INSERT INTO history_diff_commits (commit_id, repo_id, format, skipped)
       SELECT u.id, $1::int, $2::int, u.skipped FROM unnest($3::int[], $4::text[]) AS u(id, skipped)
       ON CONFLICT (commit_id) DO UPDATE SET format = excluded.format, skipped = excluded.skipped`,
      [repoId, format, ids, known.map((c) => c.skipped)],
    );
    return files.length;
  };

  return {
    async pendingDiffs(repoId, format) {
      return db.rows<{ hash: string; files: number }>(numberPlaceholders(PENDING_DIFFS_SQL), [repoId, format]);
    },
    async writeDiffs(repoId, format, commits) {
      if (commits.length === 0) return;
      const written = await db.tx((client) => writeDiffBatch(client, repoId, format, commits));
      await refreshStatistics(db, written, 'history_diffs, history_diff_commits');
    },
    async getState(repoId) {
      const row = await db.row<{
        head: string | null;
        mailmap_hash: string | null;
        format: number;
        ingested_at: string | null;
        commit_count: number;
      }>('SELECT head, mailmap_hash, format, ingested_at, commit_count FROM history_state WHERE repo_id = $1', [repoId]);
      return (
        row && {
          head: row.head,
          mailmapHash: row.mailmap_hash,
          formatVersion: row.format,
          ingestedAt: row.ingested_at,
          commitCount: row.commit_count,
        }
      );
    },
    async setState(repoId, state) {
      const counts = await db.row<{ before: number | null; after: number }>(
        `WITH old AS (SELECT commit_count FROM history_state WHERE repo_id = $1)
         INSERT INTO history_state (repo_id, head, mailmap_hash, format, ingested_at, commit_count)
         VALUES ($1, $2, $3, $5, $4, (SELECT count(*) FROM history_commits WHERE repo_id = $1))
         ON CONFLICT (repo_id) DO UPDATE SET head = excluded.head, mailmap_hash = excluded.mailmap_hash,
           format = excluded.format, ingested_at = excluded.ingested_at, commit_count = excluded.commit_count
         RETURNING (SELECT commit_count FROM old) AS before, commit_count AS after`,
        [repoId, state.head, state.mailmapHash, state.ingestedAt, state.formatVersion],
      );
      if (counts)
        await refreshStatistics(
          db,
          Math.abs(counts.after - (counts.before ?? 0)),
          'history_commits, history_files, history_merge_files, history_paths, history_people',
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
