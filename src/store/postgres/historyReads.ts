import {
  COMMIT_SELECT,
  type CommitDbRow,
  type ContributorDbRow,
  commitsByIdSql,
  containsPattern,
  contributorsSql,
  DIFF_STATS_SQL,
  decodeDiffLines,
  diffFilesSql,
  diffPageSql,
  diffStatsParams,
  FILE_SELECT,
  type FileDbRow,
  GRAPH_SQL,
  type GraphDbRow,
  type HistoryDialect,
  hashRange,
  normalizePath,
  pathTouchesSql,
  prefixMatch,
  type SqlPart,
  timelineSql,
  toCommit,
  toContributor,
  toFile,
  toGraphRow,
  weeklyActivitySql,
} from '../historySql.js';
import type {
  DiffSearchRow,
  DiffTerm,
  HistoryCommitRow,
  HistoryFileRow,
  HistoryReadMethod,
  HistoryStore,
  RenameStep,
  TimelineQuery,
  TimelineResult,
} from '../historyStore.js';
import { grepTerms } from '../messageTerms.js';
import type { PgDb } from './database.js';
import { fillFullText } from './historyFullText.js';
import { numberPlaceholders } from './placeholders.js';

export type PgHistoryReads = Pick<HistoryStore, HistoryReadMethod>;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const dialect: HistoryDialect = {
  // SQLite's LIKE folds ASCII letters only; ILIKE would fold every letter the database's locale knows.
  authorFilter: (author) => ({
    sql: `c.author_id IN (SELECT id FROM history_people
            WHERE translate(name || ' <' || email || '>', '${UPPER}', '${UPPER.toLowerCase()}') LIKE ? ESCAPE '\\')`,
    params: [containsPattern(author.replace(/[A-Z]/g, (ch) => ch.toLowerCase()))],
  }),
  // FTS5's `"t1" AND "t2"`: the message holds every term.
  grepFilter: (grep) => {
    const terms = grepTerms(grep);
    return terms && { sql: 'c.id IN (SELECT commit_id FROM history_fts WHERE terms @> ?::text[])', params: [terms] };
  },
  noLimit: null,
  drivingJoin: 'JOIN',
  orderedList: (values) => ({ sql: 'SELECT value, ord FROM unnest(?::int[]) WITH ORDINALITY AS u(value, ord)', params: [values] }),
  // Terms are stored `+term` (added lines) and `-term` (removed lines): "either side" is an overlap with both.
  diffMatch: (q) => {
    const sides = (t: DiffTerm) =>
      t.side === 'added' ? [`+${t.term}`] : t.side === 'removed' ? [`-${t.term}`] : [`+${t.term}`, `-${t.term}`];
    const parts: string[] = [];
    const params: unknown[] = [];
    const required = q.all.filter((t) => t.side !== 'any').flatMap(sides);
    if (required.length > 0) {
      parts.push('d.terms @> ?::text[]');
      params.push(required);
    }
    for (const group of [...q.all.filter((t) => t.side === 'any').map((t) => [t]), ...q.anyOf]) {
      parts.push('d.terms && ?::text[]');
      params.push(group.flatMap(sides));
    }
    if (q.none.length > 0) {
      parts.push('NOT (d.terms && ?::text[])');
      params.push(q.none.flatMap((term) => sides({ term, side: 'any' })));
    }
    return { sql: parts.length > 0 ? `(${parts.join(' AND ')})` : 'false', params };
  },
};

/** Query side of the PostgreSQL history store; the SQL is SQLite's (historySql.ts), numbered. */
export function createPgHistoryReads(db: PgDb): PgHistoryReads {
  const query = <R extends object>(part: SqlPart) => db.rows<R & Record<string, unknown>>(numberPlaceholders(part.sql), part.params);

  /** Files of several commits in one query, each commit's by path. */
  const filesOf = async (commitIds: number[]): Promise<Map<number, HistoryFileRow[]>> => {
    const byCommit = new Map<number, HistoryFileRow[]>(commitIds.map((id) => [id, []]));
    const rows = await db.rows<FileDbRow & { commit_id: number }>(
      `${FILE_SELECT} WHERE f.commit_id = ANY($1::int[]) ORDER BY f.commit_id, p.path`,
      [commitIds],
    );
    for (const row of rows) byCommit.get(row.commit_id)?.push(toFile(row));
    return byCommit;
  };

  return {
    async timeline(q: TimelineQuery): Promise<TimelineResult> {
      if (q.grep && grepTerms(q.grep) !== null) await fillFullText(db, q.repoId);
      const plan = timelineSql(q, dialect);
      if (plan === null) return { total: 0, commits: [] };
      // Two connections at once: the count and the page do not wait for each other.
      const [[count], page] = await Promise.all([query<{ n: number }>(plan.count), query<CommitDbRow>(plan.page)]);
      const commits: (HistoryCommitRow & { files?: HistoryFileRow[] })[] = page.map(toCommit);
      if (q.withFiles && commits.length > 0) {
        const files = await filesOf(commits.map((c) => c.id));
        for (const commit of commits) commit.files = files.get(commit.id) ?? [];
      }
      return { total: count?.n ?? 0, commits };
    },
    async findCommit(repoId, hashOrPrefix) {
      const range = hashRange(hashOrPrefix);
      if (!range) return prefixMatch([]);
      return prefixMatch(
        await db.rows<CommitDbRow & Record<string, unknown>>(
          `${COMMIT_SELECT} WHERE c.repo_id = $1 AND c.hash >= $2 AND c.hash < $3 ORDER BY c.hash LIMIT 6`,
          [repoId, ...range],
        ),
      );
    },
    async commitFiles(commitId) {
      return (await filesOf([commitId])).get(commitId) ?? [];
    },
    async renamesInto(repoId, path, beforeSeq) {
      const wanted = normalizePath(path);
      const rows = await db.rows<{ seq: number; old_path: string }>(
        `SELECT c.seq, o.path AS old_path FROM history_paths n
         JOIN history_files f ON f.path_id = n.id
         JOIN history_commits c ON c.id = f.commit_id JOIN history_paths o ON o.id = f.old_path_id
         WHERE n.repo_id = $1 AND n.path = $2 AND f.status = 'R' AND ($3::bigint IS NULL OR c.seq < $3::bigint)
         ORDER BY c.seq DESC`,
        [repoId, wanted, beforeSeq],
      );
      return rows.map((r): RenameStep => ({ seq: r.seq, path: wanted, oldPath: r.old_path }));
    },
    async contributors(repoId, options = {}) {
      return (await query<ContributorDbRow>(contributorsSql(repoId, options, dialect))).map(toContributor);
    },
    async rootCommits(repoId) {
      const rows = await db.rows<CommitDbRow & Record<string, unknown>>(
        `${COMMIT_SELECT} WHERE c.repo_id = $1 AND c.n_parents = 0 ORDER BY c.author_time, c.seq`,
        [repoId],
      );
      return rows.map(toCommit);
    },
    async commitGraph(repoId) {
      return (await query<GraphDbRow>({ sql: GRAPH_SQL, params: [repoId] })).map(toGraphRow);
    },
    async pathTouches(repoId, path) {
      const sql = pathTouchesSql(repoId, path);
      const seqsOf = async (part: SqlPart) => (await query<{ seq: number }>(part)).map((r) => r.seq);
      return { commits: await seqsOf(sql.commits), merges: await seqsOf(sql.merges) };
    },
    async searchDiffs(q) {
      if (q.all.length === 0 && q.anyOf.length === 0) return [];
      const ids = (await query<{ id: number }>(diffPageSql(q, dialect))).map((r) => r.id);
      if (ids.length === 0) return [];
      const [commits, files] = await Promise.all([
        query<CommitDbRow>(commitsByIdSql(ids, dialect)),
        query<{ commit_id: number; path: string; lines: string }>(diffFilesSql(q, ids, dialect)),
      ]);
      const byId = new Map<number, DiffSearchRow>(commits.map((row) => [row.id, { commit: toCommit(row), files: [] }]));
      for (const row of files) byId.get(row.commit_id)?.files.push({ path: row.path, lines: decodeDiffLines(row.lines) });
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async diffStats(repoId, format) {
      const [row] = await query<{ commits: number; skipped: number; files: number; pending: number }>({
        sql: DIFF_STATS_SQL,
        params: diffStatsParams(repoId, format),
      });
      return { commits: row?.commits ?? 0, skippedCommits: row?.skipped ?? 0, files: row?.files ?? 0, pending: row?.pending ?? 0 };
    },
    async weeklyActivity(repoId, options = {}) {
      const rows = await query<{ week: number; commits: number }>(weeklyActivitySql(repoId, options, dialect));
      return rows.map((r) => ({ weekStart: r.week, commits: r.commits }));
    },
  };
}
