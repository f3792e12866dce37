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
  ftsQuery,
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
  HistoryReadMethod,
  HistoryStore,
  RenameStep,
  TimelineQuery,
  TimelineResult,
} from '../historyStore.js';
import type { Db } from './database.js';

export type HistoryReads = Pick<HistoryStore, HistoryReadMethod>;

const dialect: HistoryDialect = {
  authorFilter: (author) => ({
    sql: `c.author_id IN (SELECT id FROM history_people WHERE (name || ' <' || email || '>') LIKE ? ESCAPE '\\')`,
    params: [containsPattern(author)],
  }),
  grepFilter: (grep) => {
    const match = ftsQuery(grep);
    return match === null ? null : { sql: 'c.id IN (SELECT rowid FROM history_fts WHERE history_fts MATCH ?)', params: [match] };
  },
  noLimit: -1,
  drivingJoin: 'CROSS JOIN',
  orderedList: (values) => ({ sql: 'SELECT value, key AS ord FROM json_each(?)', params: [JSON.stringify(values)] }),
  diffMatch: (q) => ({ sql: 'd.id IN (SELECT rowid FROM history_diff_fts WHERE history_diff_fts MATCH ?)', params: [diffFtsQuery(q)] }),
};

const ftsTerm = (t: DiffTerm) => {
  const quoted = `"${t.term.replaceAll('"', '""')}"`;
  return t.side === 'any' ? quoted : `${t.side} : ${quoted}`;
};

/** The FTS5 expression of a diff query: `"a" AND added : "b" AND ("c" OR "d") NOT ("x" OR "y")`. */
function diffFtsQuery(q: Parameters<HistoryDialect['diffMatch']>[0]): string {
  const positive = [...q.all.map(ftsTerm), ...q.anyOf.map((group) => `(${group.map(ftsTerm).join(' OR ')})`)].join(' AND ');
  if (q.none.length === 0) return positive;
  return `(${positive}) NOT (${q.none.map((term) => ftsTerm({ term, side: 'any' })).join(' OR ')})`;
}

/** Query side of the history store: timelines, commit lookups, renames, authors and activity. */
export function createHistoryReads(db: Db): HistoryReads {
  const stmt = {
    setState: db.prepare(
      `INSERT INTO history_state (repo_id, head, mailmap_hash, ingested_at, commit_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (repo_id) DO UPDATE SET head = excluded.head, mailmap_hash = excluded.mailmap_hash,
         ingested_at = excluded.ingested_at, commit_count = excluded.commit_count`,
    ),
    count: db.prepare('SELECT count(*) FROM history_commits WHERE repo_id = ?').pluck(),
    ftsMax: db.prepare('SELECT fts_max_id FROM history_state WHERE repo_id = ?').pluck(),
    ftsFill: db.prepare(
      `INSERT INTO history_fts (rowid, subject, body) SELECT c.id, c.subject, coalesce(b.body, '')
       FROM history_commits c LEFT JOIN history_bodies b ON b.commit_id = c.id WHERE c.repo_id = ? AND c.id > ?`,
    ),
    ftsSetMax: db.prepare(
      'UPDATE history_state SET fts_max_id = (SELECT coalesce(max(id), 0) FROM history_commits WHERE repo_id = ?) WHERE repo_id = ?',
    ),
    byPrefix: db.prepare(`${COMMIT_SELECT} WHERE c.repo_id = ? AND c.hash >= ? AND c.hash < ? ORDER BY c.hash LIMIT 6`),
    files: db.prepare(`${FILE_SELECT} WHERE f.commit_id = ? ORDER BY p.path`),
    pathGet: db.prepare('SELECT id FROM history_paths WHERE repo_id = ? AND path = ?').pluck(),
    renamesInto: db.prepare(
      `SELECT c.seq, o.path AS old_path FROM history_files f
       JOIN history_commits c ON c.id = f.commit_id JOIN history_paths o ON o.id = f.old_path_id
       WHERE f.path_id = ? AND f.status = 'R' AND c.seq < ? ORDER BY c.seq DESC`,
    ),
    roots: db.prepare(`${COMMIT_SELECT} WHERE c.repo_id = ? AND c.n_parents = 0 ORDER BY c.author_time, c.seq`),
    graph: db.prepare(GRAPH_SQL),
  };

  /**
   * The message index is filled on the first --grep of a repo, then topped up
   * with commits added since: tokenizing every message costs as much as the
   * rest of an ingest, and most repos are never grepped. Ids only grow
   * (AUTOINCREMENT), so `fts_max_id` marks what is indexed.
   */
  const ensureFullText = db.transaction((repoId: number) => {
    const ftsMax = stmt.ftsMax.get(repoId) as number | undefined;
    if (ftsMax === undefined) {
      stmt.setState.run(repoId, null, null, null, stmt.count.get(repoId));
    }
    stmt.ftsFill.run(repoId, ftsMax ?? 0);
    stmt.ftsSetMax.run(repoId, repoId);
  });

  const filesOf = (commitId: number) => (stmt.files.all(commitId) as FileDbRow[]).map(toFile);

  return {
    async timeline(q: TimelineQuery): Promise<TimelineResult> {
      if (q.grep && ftsQuery(q.grep) !== null) ensureFullText(q.repoId);
      const plan = timelineSql(q, dialect);
      if (plan === null) return { total: 0, commits: [] };
      const total = db
        .prepare(plan.count.sql)
        .pluck()
        .get(...plan.count.params) as number;
      const rows = db.prepare(plan.page.sql).all(...plan.page.params) as CommitDbRow[];
      const commits = rows.map((r) => {
        const commit = toCommit(r);
        return q.withFiles ? { ...commit, files: filesOf(commit.id) } : commit;
      });
      return { total, commits };
    },
    async findCommit(repoId, hashOrPrefix) {
      const range = hashRange(hashOrPrefix);
      return prefixMatch(range ? (stmt.byPrefix.all(repoId, ...range) as CommitDbRow[]) : []);
    },
    async commitFiles(commitId) {
      return filesOf(commitId);
    },
    async renamesInto(repoId, path, beforeSeq) {
      const id = stmt.pathGet.get(repoId, normalizePath(path)) as number | undefined;
      if (id === undefined) return [];
      const rows = stmt.renamesInto.all(id, beforeSeq ?? Number.MAX_SAFE_INTEGER) as { seq: number; old_path: string }[];
      return rows.map((r): RenameStep => ({ seq: r.seq, path: normalizePath(path), oldPath: r.old_path }));
    },
    async contributors(repoId, options = {}) {
      const query = contributorsSql(repoId, options, dialect);
      return (db.prepare(query.sql).all(...query.params) as ContributorDbRow[]).map(toContributor);
    },
    async rootCommits(repoId) {
      return (stmt.roots.all(repoId) as CommitDbRow[]).map(toCommit);
    },
    async commitGraph(repoId) {
      return (stmt.graph.all(repoId) as GraphDbRow[]).map(toGraphRow);
    },
    async pathTouches(repoId, path) {
      const query = pathTouchesSql(repoId, path);
      const seqsOf = (part: SqlPart) =>
        db
          .prepare(part.sql)
          .pluck()
          .all(...part.params) as number[];
      return { commits: seqsOf(query.commits), merges: seqsOf(query.merges) };
    },
    async searchDiffs(q) {
      if (q.all.length === 0 && q.anyOf.length === 0) return [];
      const page = diffPageSql(q, dialect);
      const ids = (db.prepare(page.sql).all(...page.params) as { id: number }[]).map((r) => r.id);
      if (ids.length === 0) return [];
      const commits = commitsByIdSql(ids, dialect);
      const byId = new Map<number, DiffSearchRow>();
      for (const row of db.prepare(commits.sql).all(...commits.params) as CommitDbRow[])
        byId.set(row.id, { commit: toCommit(row), files: [] });
      const files = diffFilesSql(q, ids, dialect);
      for (const row of db.prepare(files.sql).all(...files.params) as { commit_id: number; path: string; lines: string }[]) {
        byId.get(row.commit_id)?.files.push({ path: row.path, lines: decodeDiffLines(row.lines) });
      }
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async diffStats(repoId, format) {
      const row = db.prepare(DIFF_STATS_SQL).get(...diffStatsParams(repoId, format)) as {
        commits: number;
        skipped: number;
        files: number;
        pending: number;
      };
      return { commits: row.commits, skippedCommits: row.skipped, files: row.files, pending: row.pending };
    },
    async weeklyActivity(repoId, options = {}) {
      const query = weeklyActivitySql(repoId, options, dialect);
      const rows = db.prepare(query.sql).all(...query.params) as { week: number; commits: number }[];
      return rows.map((r) => ({ weekStart: r.week, commits: r.commits }));
    },
  };
}
