import type {
  ContributorRow,
  FileStatus,
  HistoryCommitRow,
  HistoryFileRow,
  HistoryStore,
  PathSegment,
  RenameStep,
  TimelineQuery,
  TimelineResult,
} from '../historyStore.js';
import type { Db } from './database.js';

interface CommitDbRow {
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

const COMMIT_COLUMNS = `
  SELECT c.id, c.hash, c.seq, c.parents, a.name AS author_name, a.email AS author_email, c.author_time, c.author_tz,
         p.name AS committer_name, p.email AS committer_email, c.committer_time, c.committer_tz, c.subject,
         coalesce(b.body, '') AS body`;
const COMMIT_JOINS = `
  JOIN history_people a ON a.id = c.author_id
  JOIN history_people p ON p.id = c.committer_id
  LEFT JOIN history_bodies b ON b.commit_id = c.id`;
const COMMIT_SELECT = `${COMMIT_COLUMNS} FROM history_commits c ${COMMIT_JOINS}`;

function toCommit(row: CommitDbRow): HistoryCommitRow {
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

/** The half-open range of paths under folder `dir` ('a/b' → ['a/b/', 'a/b0')). */
function underRange(dir: string): [string, string] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return [prefix, `${prefix.slice(0, -1)}0`];
}

function normalizePath(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/** FTS5 query from free text: every word must appear (quoted, so operators are literal). */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words.map((w) => `"${w}"`).join(' AND ');
}

export type HistoryReads = Pick<
  HistoryStore,
  'timeline' | 'findCommit' | 'commitFiles' | 'renamesInto' | 'contributors' | 'rootCommits' | 'weeklyActivity'
>;

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
    byPrefix: db.prepare(`${COMMIT_SELECT} WHERE c.repo_id = ? AND c.hash >= ? AND c.hash < ? LIMIT 6`),
    files: db.prepare(
      `SELECT f.status, p.path, o.path AS old_path, f.added, f.removed
       FROM history_files f JOIN history_paths p ON p.id = f.path_id LEFT JOIN history_paths o ON o.id = f.old_path_id
       WHERE f.commit_id = ? ORDER BY p.path`,
    ),
    pathGet: db.prepare('SELECT id FROM history_paths WHERE repo_id = ? AND path = ?').pluck(),
    renamesInto: db.prepare(
      `SELECT c.seq, o.path AS old_path FROM history_files f
       JOIN history_commits c ON c.id = f.commit_id JOIN history_paths o ON o.id = f.old_path_id
       WHERE f.path_id = ? AND f.status = 'R' AND c.seq < ? ORDER BY c.seq DESC`,
    ),
    roots: db.prepare(`${COMMIT_SELECT} WHERE c.repo_id = ? AND c.n_parents = 0 ORDER BY c.author_time, c.seq`),
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

  /** SQL + params selecting the ids of paths matching one segment's path. */
  const pathIdsSql = (repoId: number, segment: PathSegment): { sql: string; params: unknown[] } => {
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
  };

  /** A SELECT of (commit id, seq) of commits touching any segment (as new or old path); no join needed. */
  const matchingIds = (repoId: number, segments: PathSegment[]): { sql: string; params: unknown[] } => {
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
  };

  /** FROM clause over commits: driven by the path matches when there are any (they are few), else by the repo's rows. */
  const commitSource = (repoId: number, segments: PathSegment[] | undefined): { cte: string; from: string; params: unknown[] } => {
    if (!segments || segments.length === 0) return { cte: '', from: 'history_commits c', params: [] };
    const ids = matchingIds(repoId, segments);
    return { cte: `WITH m(id, seq) AS (${ids.sql}) `, from: 'm CROSS JOIN history_commits c ON c.id = m.id', params: ids.params };
  };

  const filesOf = (commitId: number): HistoryFileRow[] =>
    (
      stmt.files.all(commitId) as {
        status: FileStatus;
        path: string;
        old_path: string | null;
        added: number | null;
        removed: number | null;
      }[]
    ).map((r) => ({ status: r.status, path: r.path, oldPath: r.old_path, added: r.added, removed: r.removed }));

  return {
    async timeline(q: TimelineQuery): Promise<TimelineResult> {
      const where: string[] = ['c.repo_id = ?'];
      const params: unknown[] = [q.repoId];
      const merges = q.merges ?? 'exclude';
      if (merges === 'exclude') where.push('c.n_parents <= 1');
      else if (merges === 'only') where.push('c.n_parents > 1');
      if (q.roots) where.push('c.n_parents = 0');
      if (q.since !== undefined && q.since !== null) {
        where.push('c.author_time >= ?');
        params.push(q.since);
      }
      if (q.until !== undefined && q.until !== null) {
        where.push('c.author_time <= ?');
        params.push(q.until);
      }
      if (q.localSince !== undefined && q.localSince !== null) {
        where.push('c.author_time + c.author_tz * 60 >= ?');
        params.push(q.localSince);
      }
      if (q.localUntil !== undefined && q.localUntil !== null) {
        where.push('c.author_time + c.author_tz * 60 <= ?');
        params.push(q.localUntil);
      }
      if (q.author) {
        where.push(`c.author_id IN (SELECT id FROM history_people WHERE (name || ' <' || email || '>') LIKE ? ESCAPE '\\')`);
        params.push(`%${q.author.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      }
      if (q.grep) {
        const match = ftsQuery(q.grep);
        if (match === null) return { total: 0, commits: [] };
        ensureFullText(q.repoId);
        where.push('c.id IN (SELECT rowid FROM history_fts WHERE history_fts MATCH ?)');
        params.push(match);
      }
      const order = q.order === 'oldest' ? 'ASC' : 'DESC';
      const limit = q.limit ?? -1;
      const offset = q.offset ?? 0;
      const finish = (rows: CommitDbRow[]) =>
        rows.map((r) => {
          const commit = toCommit(r);
          return q.withFiles ? { ...commit, files: filesOf(commit.id) } : commit;
        });
      if (q.paths && q.paths.length > 0 && where.length === 2 && merges === 'exclude' && !q.roots) {
        // Only paths: count and page on the file rows alone (merges have no file rows), then fetch one page of commits.
        const ids = matchingIds(q.repoId, q.paths);
        const cte = `WITH m(id, seq) AS (${ids.sql}) `;
        const total = db
          .prepare(`${cte}SELECT count(*) FROM m`)
          .pluck()
          .get(...ids.params) as number;
        const rows = db
          .prepare(
            `${cte}, page AS (SELECT id, seq FROM m ORDER BY seq ${order} LIMIT ? OFFSET ?)
             ${COMMIT_COLUMNS} FROM page CROSS JOIN history_commits c ON c.id = page.id ${COMMIT_JOINS} ORDER BY page.seq ${order}`,
          )
          .all(...ids.params, limit, offset) as CommitDbRow[];
        return { total, commits: finish(rows) };
      }
      const source = commitSource(q.repoId, q.paths);
      const whereSql = where.join(' AND ');
      const total = db
        .prepare(`${source.cte}SELECT count(*) FROM ${source.from} WHERE ${whereSql}`)
        .pluck()
        .get(...source.params, ...params) as number;
      const rows = db
        .prepare(
          `${source.cte}${COMMIT_COLUMNS} FROM ${source.from} ${COMMIT_JOINS} WHERE ${whereSql}
           ORDER BY ${q.roots ? `c.author_time ${order}, ` : ''}c.seq ${order} LIMIT ? OFFSET ?`,
        )
        .all(...source.params, ...params, limit, offset) as CommitDbRow[];
      return { total, commits: finish(rows) };
    },
    async findCommit(repoId, hashOrPrefix) {
      const prefix = hashOrPrefix.toLowerCase();
      if (!/^[0-9a-f]{4,40}$/.test(prefix)) return { commit: null, ambiguous: [] };
      const hi = prefix.length === 40 ? `${prefix}\u0000` : `${prefix}g`;
      const rows = stmt.byPrefix.all(repoId, prefix, hi) as CommitDbRow[];
      if (rows.length === 1 && rows[0]) return { commit: toCommit(rows[0]), ambiguous: [] };
      return { commit: null, ambiguous: rows.map((r) => r.hash) };
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
      const path = options.path ? normalizePath(options.path) : '';
      const source = commitSource(repoId, path ? [{ path }] : undefined);
      const rows = db
        .prepare(
          `${source.cte}SELECT p.name, p.email, count(*) AS commits, min(c.author_time) AS first_time, max(c.author_time) AS last_time
           FROM ${source.from} JOIN history_people p ON p.id = c.author_id
           WHERE c.repo_id = ? AND c.n_parents <= 1
           GROUP BY c.author_id ORDER BY commits DESC, last_time DESC LIMIT ?`,
        )
        .all(...source.params, repoId, options.limit ?? -1) as {
        name: string;
        email: string;
        commits: number;
        first_time: number;
        last_time: number;
      }[];
      return rows.map(
        (r): ContributorRow => ({ name: r.name, email: r.email, commits: r.commits, firstTime: r.first_time, lastTime: r.last_time }),
      );
    },
    async rootCommits(repoId) {
      return (stmt.roots.all(repoId) as CommitDbRow[]).map(toCommit);
    },
    async weeklyActivity(repoId, options = {}) {
      const params: unknown[] = [repoId];
      let extra = '';
      if (options.since !== undefined && options.since !== null) {
        extra += ' AND c.author_time >= ?';
        params.push(options.since);
      }
      const path = options.path ? normalizePath(options.path) : '';
      const source = commitSource(repoId, path ? [{ path }] : undefined);
      // 1970-01-05 (345600 s) was a Monday.
      const rows = db
        .prepare(
          `${source.cte}SELECT ((c.author_time - 345600) / 604800) * 604800 + 345600 AS week, count(*) AS commits
           FROM ${source.from} WHERE c.repo_id = ? AND c.n_parents <= 1${extra}
           GROUP BY week ORDER BY week`,
        )
        .all(...source.params, ...params) as { week: number; commits: number }[];
      return rows.map((r) => ({ weekStart: r.week, commits: r.commits }));
    },
  };
}
