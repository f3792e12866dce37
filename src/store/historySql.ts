import type {
  ContributorRow,
  ContributorsQuery,
  DiffLineRow,
  DiffSearchQuery,
  FileStatus,
  GraphRow,
  HistoryCommitRow,
  HistoryFileRow,
  PathSegment,
  TimelineQuery,
} from './historyStore.js';
import { grepTerms } from './messageTerms.js';

/**
 * History SQL shared by the SQLite and PostgreSQL stores, so both answer every query with the same rows in the
 * same order. Written with `?` placeholders; PostgreSQL numbers them (`numberPlaceholders`).
 */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** What the two backends write differently. */
export interface HistoryDialect {
  /** Condition on `c.author_id`: `Name <email>` contains `author`, ASCII letters in either case (SQLite's LIKE). */
  authorFilter(author: string): SqlPart;
  /** Condition on `c.id`: the message holds every word of `grep`; null when no commit can match. */
  grepFilter(grep: string): SqlPart | null;
  /** The LIMIT value that means no limit. */
  noLimit: number | null;
  /** A join the planner must not reorder (SQLite: CROSS JOIN; PostgreSQL plans it well as a plain JOIN). */
  drivingJoin: string;
  /** A SELECT of (value, ord) rows: the integers of `values` and their positions, in one parameter. */
  orderedList(values: readonly number[]): SqlPart;
  /** Condition on the diff index row `d`: its terms meet the query's term conditions. */
  diffMatch(query: Pick<DiffSearchQuery, 'all' | 'anyOf' | 'none'>): SqlPart;
}

export interface CommitDbRow {
  id: number;
  hash: string;
  seq: number;
  parents: string;
  author_name: string;
  author_email: string;
  author_time: number;
  author_tz: number;
  committer_name: string;
  committer_email: string;
  committer_time: number;
  committer_tz: number;
  subject: string;
  body: string;
}

export interface FileDbRow {
  status: FileStatus;
  path: string;
  old_path: string | null;
  added: number | null;
  removed: number | null;
}

export interface ContributorDbRow {
  name: string;
  email: string;
  commits: number;
  first_time: number;
  last_time: number;
}

export const COMMIT_COLUMNS = `
  SELECT c.id, c.hash, c.seq, c.parents, a.name AS author_name, a.email AS author_email, c.author_time, c.author_tz,
         p.name AS committer_name, p.email AS committer_email, c.committer_time, c.committer_tz, c.subject,
         coalesce(b.body, '') AS body`;
export const COMMIT_JOINS = `
  JOIN history_people a ON a.id = c.author_id
  JOIN history_people p ON p.id = c.committer_id
  LEFT JOIN history_bodies b ON b.commit_id = c.id`;
export const COMMIT_SELECT = `${COMMIT_COLUMNS} FROM history_commits c ${COMMIT_JOINS}`;
/** A commit's files by path; the caller adds the WHERE on `f.commit_id` before `ORDER BY`. */
export const FILE_SELECT = `SELECT f.commit_id, f.status, p.path, o.path AS old_path, f.added, f.removed
  FROM history_files f JOIN history_paths p ON p.id = f.path_id LEFT JOIN history_paths o ON o.id = f.old_path_id`;

/** The paths a merge changed against its first parent (both sides of a rename), each once. */
export function mergePaths(commit: { files: readonly { path: string; oldPath: string | null }[] }): string[] {
  return [...new Set(commit.files.flatMap((f) => (f.oldPath === null ? [f.path] : [f.path, f.oldPath])))];
}

export interface GraphDbRow {
  seq: number;
  hash: string;
  parents: string;
  committer_time: number;
}

export function toGraphRow(row: GraphDbRow): GraphRow {
  return { seq: row.seq, hash: row.hash, parents: row.parents ? row.parents.split(' ') : [], committerTime: row.committer_time };
}

export function toCommit(row: CommitDbRow): HistoryCommitRow {
  return {
    id: row.id,
    hash: row.hash,
    seq: row.seq,
    parents: row.parents ? row.parents.split(' ') : [],
    authorName: row.author_name,
    authorEmail: row.author_email,
    authorTime: row.author_time,
    authorTz: row.author_tz,
    committerName: row.committer_name,
    committerEmail: row.committer_email,
    committerTime: row.committer_time,
    committerTz: row.committer_tz,
    subject: row.subject,
    body: row.body,
  };
}

export function toFile(row: FileDbRow): HistoryFileRow {
  return { status: row.status, path: row.path, oldPath: row.old_path, added: row.added, removed: row.removed };
}

export function toContributor(row: ContributorDbRow): ContributorRow {
  return { name: row.name, email: row.email, commits: row.commits, firstTime: row.first_time, lastTime: row.last_time };
}

/** The half-open range of paths under folder `dir` ('a/b' → ['a/b/', 'a/b0']), in byte order. */
function underRange(dir: string): [string, string] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return [prefix, `${prefix.slice(0, -1)}0`];
}

export function normalizePath(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/**
 * The half-open range of hashes findCommit looks in: those starting with `hashOrPrefix` (4-40 hex digits, any
 * case; a full hash matches only itself); null for anything else.
 */
export function hashRange(hashOrPrefix: string): [string, string] | null {
  const prefix = hashOrPrefix.toLowerCase();
  if (!/^[0-9a-f]{4,40}$/.test(prefix)) return null;
  return [prefix, prefix.length === 40 ? `${prefix}\u0001` : `${prefix}g`];
}

/** findCommit's answer from the first commits (by hash) in that range. */
export function prefixMatch(rows: CommitDbRow[]): { commit: HistoryCommitRow | null; ambiguous: string[] } {
  if (rows.length === 1 && rows[0]) return { commit: toCommit(rows[0]), ambiguous: [] };
  return { commit: null, ambiguous: rows.map((r) => r.hash) };
}

/** FTS5 query from free text: every term of its words must appear (quoted, so operators are literal). */
export function ftsQuery(text: string): string | null {
  return (
    grepTerms(text)
      ?.map((t) => `"${t.replaceAll('"', '""')}"`)
      .join(' AND ') ?? null
  );
}

/** `%`, `_` and `\` as themselves in a LIKE pattern with ESCAPE '\'. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** A LIKE pattern (ESCAPE '\') matching any text that contains `text`. */
export function containsPattern(text: string): string {
  return `%${likeLiteral(text)}%`;
}

/** SQL + params selecting the ids of paths matching one segment's path. */
function pathIdsSql(repoId: number, segment: PathSegment): SqlPart {
  const path = normalizePath(segment.path);
  if (segment.exact || path === '') {
    return { sql: 'SELECT id FROM history_paths WHERE repo_id = ? AND path = ?', params: [repoId, path] };
  }
  const [lo, hi] = underRange(path);
  // Two index lookups; an OR here would scan every path of the repo.
  return {
    sql: 'SELECT id FROM history_paths WHERE repo_id = ? AND path = ? UNION ALL SELECT id FROM history_paths WHERE repo_id = ? AND path >= ? AND path < ?',
    params: [repoId, path, repoId, lo, hi],
  };
}

/** A SELECT of (commit id, seq) of commits touching any segment (as new or old path); no join needed. */
function matchingIds(repoId: number, segments: PathSegment[]): SqlPart {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const segment of segments) {
    const ids = pathIdsSql(repoId, segment);
    const seqConds: string[] = [];
    const seqParams: unknown[] = [];
    if (segment.beforeSeq !== undefined && segment.beforeSeq !== null) {
      seqConds.push('f.seq < ?');
      seqParams.push(segment.beforeSeq);
    }
    if (segment.fromSeq !== undefined && segment.fromSeq !== null) {
      seqConds.push('f.seq >= ?');
      seqParams.push(segment.fromSeq);
    }
    const seqSql = seqConds.length ? ` AND ${seqConds.join(' AND ')}` : '';
    for (const column of ['path_id', 'old_path_id']) {
      parts.push(`SELECT f.commit_id, f.seq FROM history_files f WHERE f.${column} IN (${ids.sql})${seqSql}`);
      params.push(...ids.params, ...seqParams);
    }
  }
  return { sql: parts.join(' UNION '), params };
}

/** A SELECT of (commit id, position in `seqs`) of the repo's commits with the given seqs. */
function seqIds(repoId: number, seqs: readonly number[], dialect: HistoryDialect): SqlPart {
  const list = dialect.orderedList(seqs);
  return {
    // The list drives: each value is one index probe (SQLite would otherwise scan the commits once per value).
    sql: `SELECT c.id, l.ord FROM (${list.sql}) l ${dialect.drivingJoin} history_commits c ON c.repo_id = ? AND c.seq = l.value`,
    params: [...list.params, repoId],
  };
}

/**
 * FROM clause over commits: driven by the given seqs or the path matches when there are any (they are few), else
 * by the repo's rows. `newestFirst` orders its rows newest first: `git log` order, or the order of the given seqs.
 */
function commitSource(
  repoId: number,
  match: { segments?: PathSegment[]; seqs?: readonly number[] },
  dialect: HistoryDialect,
): { cte: string; from: string; params: unknown[]; newestFirst: string } {
  const ids = match.seqs
    ? seqIds(repoId, match.seqs, dialect)
    : match.segments && match.segments.length > 0
      ? matchingIds(repoId, match.segments)
      : null;
  if (ids === null) return { cte: '', from: 'history_commits c', params: [], newestFirst: 'c.seq DESC' };
  return {
    cte: `WITH m(id, ${match.seqs ? 'ord' : 'seq'}) AS (${ids.sql}) `,
    from: `m ${dialect.drivingJoin} history_commits c ON c.id = m.id`,
    params: ids.params,
    newestFirst: match.seqs ? 'm.ord ASC' : 'c.seq DESC',
  };
}

const reverse = (orderBy: string) => orderBy.replace(/ (ASC|DESC)$/, (_, dir: string) => (dir === 'ASC' ? ' DESC' : ' ASC'));

/** The count and the page of a timeline; null when no commit can match. */
export function timelineSql(q: TimelineQuery, dialect: HistoryDialect): { count: SqlPart; page: SqlPart } | null {
  const where: string[] = ['c.repo_id = ?'];
  const params: unknown[] = [q.repoId];
  const merges = q.merges ?? 'exclude';
  if (merges === 'exclude') where.push('c.n_parents <= 1');
  else if (merges === 'only') where.push('c.n_parents > 1');
  if (q.roots) where.push('c.n_parents = 0');
  const bounds: [number | null | undefined, string][] = [
    [q.since, 'c.author_time >= ?'],
    [q.until, 'c.author_time <= ?'],
    [q.localSince, 'c.author_time + c.author_tz * 60 >= ?'],
    [q.localUntil, 'c.author_time + c.author_tz * 60 <= ?'],
  ];
  for (const [value, condition] of bounds) {
    if (value === undefined || value === null) continue;
    where.push(condition);
    params.push(value);
  }
  if (q.author) {
    const filter = dialect.authorFilter(q.author);
    where.push(filter.sql);
    params.push(...filter.params);
  }
  if (q.grep) {
    const filter = dialect.grepFilter(q.grep);
    if (filter === null) return null;
    where.push(filter.sql);
    params.push(...filter.params);
  }
  const order = q.order === 'oldest' ? 'ASC' : 'DESC';
  const limit = q.limit ?? dialect.noLimit;
  const offset = q.offset ?? 0;
  if (!q.seqs && q.paths && q.paths.length > 0 && where.length === 2 && merges === 'exclude' && !q.roots) {
    // Only paths: count and page on the file rows alone (merges have no file rows), then fetch one page of commits.
    const ids = matchingIds(q.repoId, q.paths);
    const cte = `WITH m(id, seq) AS (${ids.sql}) `;
    return {
      count: { sql: `${cte}SELECT count(*) AS n FROM m`, params: ids.params },
      page: {
        sql: `${cte}, page AS (SELECT id, seq FROM m ORDER BY seq ${order} LIMIT ? OFFSET ?)
             ${COMMIT_COLUMNS} FROM page ${dialect.drivingJoin} history_commits c ON c.id = page.id ${COMMIT_JOINS} ORDER BY page.seq ${order}`,
        params: [...ids.params, limit, offset],
      },
    };
  }
  const source = commitSource(q.repoId, { segments: q.paths, seqs: q.seqs }, dialect);
  const whereSql = where.join(' AND ');
  return {
    count: { sql: `${source.cte}SELECT count(*) AS n FROM ${source.from} WHERE ${whereSql}`, params: [...source.params, ...params] },
    page: {
      sql: `${source.cte}${COMMIT_COLUMNS} FROM ${source.from} ${COMMIT_JOINS} WHERE ${whereSql}
           ORDER BY ${q.roots ? `c.author_time ${order}, ` : ''}${q.order === 'oldest' ? reverse(source.newestFirst) : source.newestFirst} LIMIT ? OFFSET ?`,
      params: [...source.params, ...params, limit, offset],
    },
  };
}

/** Commits per author identity (ContributorsQuery); ties (same count, same latest commit) in name, then email byte order. */
export function contributorsSql(repoId: number, options: ContributorsQuery, dialect: HistoryDialect): SqlPart {
  const path = options.path ? normalizePath(options.path) : '';
  const source = commitSource(repoId, options.seqs ? { seqs: options.seqs } : { segments: path ? [{ path }] : undefined }, dialect);
  const withMerges = options.seqs !== undefined || (!path && options.merges === true);
  return {
    sql: `${source.cte}SELECT p.name, p.email, count(*) AS commits, min(c.author_time) AS first_time, max(c.author_time) AS last_time
          FROM ${source.from} JOIN history_people p ON p.id = c.author_id
          WHERE c.repo_id = ?${withMerges ? '' : ' AND c.n_parents <= 1'}
          GROUP BY p.id ORDER BY commits DESC, last_time DESC, p.name, p.email LIMIT ?`,
    params: [...source.params, repoId, options.limit ?? dialect.noLimit],
  };
}

/** Seqs of the commits changing `path` (file or folder): non-merge ones from their file rows, merges apart. */
export function pathTouchesSql(repoId: number, path: string): { commits: SqlPart; merges: SqlPart } {
  const segment = { path: normalizePath(path) };
  const ids = matchingIds(repoId, [segment]);
  const pathIds = pathIdsSql(repoId, segment);
  return {
    commits: { sql: `SELECT DISTINCT seq FROM (${ids.sql}) t ORDER BY seq`, params: ids.params },
    merges: {
      sql: `SELECT DISTINCT seq FROM history_merge_files WHERE path_id IN (${pathIds.sql}) ORDER BY seq`,
      params: pathIds.params,
    },
  };
}

export const GRAPH_SQL = 'SELECT seq, hash, parents, committer_time FROM history_commits WHERE repo_id = ? ORDER BY seq';

/** Non-merge commits per ISO week (Monday 00:00 UTC), oldest first. */
export function weeklyActivitySql(repoId: number, options: { path?: string; since?: number | null }, dialect: HistoryDialect): SqlPart {
  const params: unknown[] = [repoId];
  let extra = '';
  if (options.since !== undefined && options.since !== null) {
    extra += ' AND c.author_time >= ?';
    params.push(options.since);
  }
  const path = options.path ? normalizePath(options.path) : '';
  const source = commitSource(repoId, { segments: path ? [{ path }] : undefined }, dialect);
  // 1970-01-05 (345600 s) was a Monday. Both backends divide integers truncating toward zero.
  return {
    sql: `${source.cte}SELECT ((c.author_time - 345600) / 604800) * 604800 + 345600 AS week, count(*) AS commits
          FROM ${source.from} WHERE c.repo_id = ? AND c.n_parents <= 1${extra}
          GROUP BY week ORDER BY week`,
    params: [...source.params, ...params],
  };
}

/**
 * A file change's kept lines as stored: one line each, `+12\ttext` or `-7\ttext` (kind, line number, tab, text;
 * line text holds no newline).
 */
export function encodeDiffLines(lines: readonly DiffLineRow[]): string {
  return lines.map((l) => `${l.kind}${l.line}\t${l.text}`).join('\n');
}

export function decodeDiffLines(stored: string): DiffLineRow[] {
  if (stored === '') return [];
  return stored.split('\n').map((row) => {
    const tab = row.indexOf('\t');
    return { kind: row[0] === '-' ? '-' : '+', line: Number(row.slice(1, tab)), text: row.slice(tab + 1) };
  });
}

/** Non-merge commits of a repo without a diff entry of the format, oldest first, with their file counts. */
export const PENDING_DIFFS_SQL = `SELECT c.hash, (SELECT count(*) FROM history_files f WHERE f.commit_id = c.id) AS files
  FROM history_commits c LEFT JOIN history_diff_commits s ON s.commit_id = c.id
  WHERE c.repo_id = ? AND c.n_parents <= 1 AND (s.commit_id IS NULL OR s.format <> ?) ORDER BY c.seq`;

/** Counts of a repo's diff index: commits done (and of them skipped), file changes, commits pending. */
export const DIFF_STATS_SQL = `SELECT
  (SELECT count(*) FROM history_diff_commits WHERE repo_id = ? AND format = ?) AS commits,
  (SELECT count(*) FROM history_diff_commits WHERE repo_id = ? AND format = ? AND skipped IS NOT NULL) AS skipped,
  (SELECT count(*) FROM history_diffs WHERE repo_id = ?) AS files,
  (SELECT count(*) FROM history_commits c LEFT JOIN history_diff_commits s ON s.commit_id = c.id
     WHERE c.repo_id = ? AND c.n_parents <= 1 AND (s.commit_id IS NULL OR s.format <> ?)) AS pending`;

export function diffStatsParams(repoId: number, format: number): unknown[] {
  return [repoId, format, repoId, format, repoId, repoId, format];
}

/** The page of commits (id, seq) holding a matching file change, newest or oldest first. */
export function diffPageSql(q: DiffSearchQuery, dialect: HistoryDialect): SqlPart {
  const match = dialect.diffMatch(q);
  const where = ['d.repo_id = ?', match.sql];
  const params: unknown[] = [q.repoId, ...match.params];
  if (q.author) {
    const filter = dialect.authorFilter(q.author);
    where.push(filter.sql);
    params.push(...filter.params);
  }
  if (q.since !== undefined && q.since !== null) {
    where.push('c.author_time >= ?');
    params.push(q.since);
  }
  if (q.until !== undefined && q.until !== null) {
    where.push('c.author_time <= ?');
    params.push(q.until);
  }
  const order = q.order === 'oldest' ? 'ASC' : 'DESC';
  return {
    sql: `SELECT d.commit_id AS id, d.seq FROM history_diffs d JOIN history_commits c ON c.id = d.commit_id
          WHERE ${where.join(' AND ')} GROUP BY d.commit_id, d.seq ORDER BY d.seq ${order} LIMIT ?`,
    params: [...params, q.limit],
  };
}

/** The matching file changes of the given commits, by commit then path (byte order). */
export function diffFilesSql(q: DiffSearchQuery, commitIds: readonly number[], dialect: HistoryDialect): SqlPart {
  const match = dialect.diffMatch(q);
  const list = dialect.orderedList(commitIds);
  return {
    sql: `SELECT d.commit_id, p.path, d.lines FROM history_diffs d JOIN history_paths p ON p.id = d.path_id
          WHERE d.commit_id IN (SELECT value FROM (${list.sql}) l) AND ${match.sql} ORDER BY d.commit_id, p.path`,
    params: [...list.params, ...match.params],
  };
}

/** The commits with the given ids (any order). */
export function commitsByIdSql(commitIds: readonly number[], dialect: HistoryDialect): SqlPart {
  const list = dialect.orderedList(commitIds);
  return { sql: `${COMMIT_SELECT} WHERE c.id IN (SELECT value FROM (${list.sql}) l)`, params: list.params };
}
