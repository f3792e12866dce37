import type {
  ContributorRow,
  FileStatus,
  HistoryCommitInput,
  HistoryCommitRow,
  HistoryFileRow,
  HistoryState,
  HistoryStore,
  PathSegment,
  RenameStep,
  TimelineQuery,
  TimelineResult,
} from '../historyStore.js';
import type { Db, Migration } from './database.js';

/**
 * History schema. Paths and people are interned so a commit_files row is five
 * integers; FTS5 (contentless, with delete support) indexes subject + body.
 */
export const historyMigrations: Migration[] = [
  {
    id: 'history-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE history_state (
        repo_id INTEGER PRIMARY KEY REFERENCES repos(id) ON DELETE CASCADE,
        head TEXT,
        mailmap_hash TEXT,
        ingested_at TEXT,
        commit_count INTEGER NOT NULL DEFAULT 0,
        fts_max_id INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE history_people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        UNIQUE (name, email)
      );
      CREATE TABLE history_paths (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        UNIQUE (repo_id, path)
      );
      CREATE TABLE history_commits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        seq INTEGER NOT NULL,
        parents TEXT NOT NULL,
        n_parents INTEGER NOT NULL,
        author_id INTEGER NOT NULL,
        author_time INTEGER NOT NULL,
        author_tz INTEGER NOT NULL,
        committer_id INTEGER NOT NULL,
        committer_time INTEGER NOT NULL,
        committer_tz INTEGER NOT NULL,
        subject TEXT NOT NULL,
        UNIQUE (repo_id, hash)
      );
      -- Bodies apart, so scans of history_commits (counts, author/date filters) stay small.
      CREATE TABLE history_bodies (
        commit_id INTEGER PRIMARY KEY REFERENCES history_commits(id) ON DELETE CASCADE,
        body TEXT NOT NULL
      );
      CREATE INDEX history_commits_seq ON history_commits (repo_id, seq);
      CREATE INDEX history_commits_parents ON history_commits (repo_id, n_parents);
      CREATE INDEX history_commits_author ON history_commits (author_id);
      -- seq is copied from the commit so a path's timeline is one index range, already in order.
      CREATE TABLE history_files (
        path_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        commit_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        old_path_id INTEGER,
        added INTEGER,
        removed INTEGER,
        PRIMARY KEY (path_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX history_files_commit ON history_files (commit_id);
      CREATE INDEX history_files_old ON history_files (old_path_id, seq) WHERE old_path_id IS NOT NULL;
      CREATE VIRTUAL TABLE history_fts USING fts5 (subject, body, content = '', contentless_delete = 1, detail = none);
    `),
  },
];

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

export function createSqliteHistoryStore(db: Db): HistoryStore {
  const stmt = {
    getState: db.prepare('SELECT head, mailmap_hash, ingested_at, commit_count FROM history_state WHERE repo_id = ?'),
    setState: db.prepare(
      `INSERT INTO history_state (repo_id, head, mailmap_hash, ingested_at, commit_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (repo_id) DO UPDATE SET head = excluded.head, mailmap_hash = excluded.mailmap_hash,
         ingested_at = excluded.ingested_at, commit_count = excluded.commit_count`,
    ),
    count: db.prepare('SELECT count(*) FROM history_commits WHERE repo_id = ?').pluck(),
    maxSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM history_commits WHERE repo_id = ?').pluck(),
    hashes: db.prepare('SELECT hash FROM history_commits WHERE repo_id = ?').pluck(),
    personGet: db.prepare('SELECT id FROM history_people WHERE name = ? AND email = ?').pluck(),
    personAdd: db.prepare('INSERT INTO history_people (name, email) VALUES (?, ?)'),
    pathGet: db.prepare('SELECT id FROM history_paths WHERE repo_id = ? AND path = ?').pluck(),
    pathAdd: db.prepare('INSERT INTO history_paths (repo_id, path) VALUES (?, ?)'),
    commitAdd: db.prepare(
      `INSERT OR IGNORE INTO history_commits (repo_id, hash, seq, parents, n_parents, author_id, author_time, author_tz,
        committer_id, committer_time, committer_tz, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    bodyAdd: db.prepare('INSERT INTO history_bodies (commit_id, body) VALUES (?, ?)'),
    fileAdd: db.prepare('INSERT OR IGNORE INTO history_files (path_id, seq, commit_id, status, old_path_id) VALUES (?, ?, ?, ?, ?)'),
    ftsDel: db.prepare('DELETE FROM history_fts WHERE rowid = ?'),
    ftsMax: db.prepare('SELECT fts_max_id FROM history_state WHERE repo_id = ?').pluck(),
    ftsFill: db.prepare(
      `INSERT INTO history_fts (rowid, subject, body) SELECT c.id, c.subject, coalesce(b.body, '')
       FROM history_commits c LEFT JOIN history_bodies b ON b.commit_id = c.id WHERE c.repo_id = ? AND c.id > ?`,
    ),
    ftsSetMax: db.prepare(
      'UPDATE history_state SET fts_max_id = (SELECT coalesce(max(id), 0) FROM history_commits WHERE repo_id = ?) WHERE repo_id = ?',
    ),
    commitIdByHash: db.prepare('SELECT id FROM history_commits WHERE repo_id = ? AND hash = ?').pluck(),
    commitDel: db.prepare('DELETE FROM history_commits WHERE id = ?'),
    allIds: db.prepare('SELECT id FROM history_commits WHERE repo_id = ?').pluck(),
    deleteAllCommits: db.prepare('DELETE FROM history_commits WHERE repo_id = ?'),
    deletePaths: db.prepare('DELETE FROM history_paths WHERE repo_id = ?'),
    deleteState: db.prepare('DELETE FROM history_state WHERE repo_id = ?'),
    byPrefix: db.prepare(`${COMMIT_SELECT} WHERE c.repo_id = ? AND c.hash >= ? AND c.hash < ? LIMIT 6`),
    files: db.prepare(
      `SELECT f.status, p.path, o.path AS old_path, f.added, f.removed
       FROM history_files f JOIN history_paths p ON p.id = f.path_id LEFT JOIN history_paths o ON o.id = f.old_path_id
       WHERE f.commit_id = ? ORDER BY p.path`,
    ),
    setCounts: db.prepare(
      'UPDATE history_files SET added = ?, removed = ? WHERE commit_id = ? AND path_id = (SELECT id FROM history_paths WHERE repo_id = (SELECT repo_id FROM history_commits WHERE id = ?) AND path = ?)',
    ),
    renamesInto: db.prepare(
      `SELECT c.seq, o.path AS old_path FROM history_files f
       JOIN history_commits c ON c.id = f.commit_id JOIN history_paths o ON o.id = f.old_path_id
       WHERE f.path_id = ? AND f.status = 'R' AND c.seq < ? ORDER BY c.seq DESC`,
    ),
    roots: db.prepare(`${COMMIT_SELECT} WHERE c.repo_id = ? AND c.n_parents = 0 ORDER BY c.author_time, c.seq`),
  };

  const people = new Map<string, number>();
  const personId = (name: string, email: string): number => {
    const key = `${name}\u0000${email}`;
    let id = people.get(key);
    if (id === undefined) {
      id = (stmt.personGet.get(name, email) as number | undefined) ?? Number(stmt.personAdd.run(name, email).lastInsertRowid);
      people.set(key, id);
    }
    return id;
  };
  // Per-repo path cache, dropped whenever paths may be deleted.
  const pathCache = new Map<number, Map<string, number>>();
  const pathId = (repoId: number, path: string): number => {
    let cache = pathCache.get(repoId);
    if (!cache) {
      cache = new Map();
      pathCache.set(repoId, cache);
    }
    let id = cache.get(path);
    if (id === undefined) {
      id = (stmt.pathGet.get(repoId, path) as number | undefined) ?? Number(stmt.pathAdd.run(repoId, path).lastInsertRowid);
      cache.set(path, id);
    }
    return id;
  };

  const insertTx = db.transaction((repoId: number, commits: (HistoryCommitInput & { seq: number })[]) => {
    let added = 0;
    for (const c of commits) {
      const result = stmt.commitAdd.run(
        repoId,
        c.hash,
        c.seq,
        c.parents.join(' '),
        c.parents.length,
        personId(c.authorName, c.authorEmail),
        c.authorTime,
        c.authorTz,
        personId(c.committerName, c.committerEmail),
        c.committerTime,
        c.committerTz,
        c.subject,
      );
      if (result.changes === 0) continue;
      added++;
      const id = Number(result.lastInsertRowid);
      if (c.body) stmt.bodyAdd.run(id, c.body);
      for (const f of c.files) {
        stmt.fileAdd.run(pathId(repoId, f.path), c.seq, id, f.status, f.oldPath === null ? null : pathId(repoId, f.oldPath));
      }
    }
    return added;
  });

  const deleteTx = db.transaction((repoId: number, hashes: string[]) => {
    let removed = 0;
    const ftsMax = (stmt.ftsMax.get(repoId) as number | undefined) ?? 0;
    for (const hash of hashes) {
      const id = stmt.commitIdByHash.get(repoId, hash) as number | undefined;
      if (id === undefined) continue;
      if (id <= ftsMax) stmt.ftsDel.run(id);
      stmt.commitDel.run(id);
      removed++;
    }
    return removed;
  });

  const deleteAllTx = db.transaction((repoId: number) => {
    const ftsMax = (stmt.ftsMax.get(repoId) as number | undefined) ?? 0;
    for (const id of stmt.allIds.all(repoId) as number[]) if (id <= ftsMax) stmt.ftsDel.run(id);
    const removed = stmt.deleteAllCommits.run(repoId).changes;
    stmt.deletePaths.run(repoId);
    stmt.deleteState.run(repoId);
    pathCache.delete(repoId);
    return removed;
  });

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
    async getState(repoId) {
      const row = stmt.getState.get(repoId) as
        | { head: string | null; mailmap_hash: string | null; ingested_at: string | null; commit_count: number }
        | undefined;
      if (!row) return null;
      const state: HistoryState = {
        head: row.head,
        mailmapHash: row.mailmap_hash,
        ingestedAt: row.ingested_at,
        commitCount: row.commit_count,
      };
      return state;
    },
    async setState(repoId, state) {
      stmt.setState.run(repoId, state.head, state.mailmapHash, state.ingestedAt, stmt.count.get(repoId));
    },
    async listHashes(repoId) {
      return stmt.hashes.all(repoId) as string[];
    },
    async maxSeq(repoId) {
      return stmt.maxSeq.get(repoId) as number;
    },
    async insertCommits(repoId, commits) {
      return insertTx(repoId, commits);
    },
    async deleteCommits(repoId, hashes) {
      return deleteTx(repoId, hashes);
    },
    async deleteAll(repoId) {
      return deleteAllTx(repoId);
    },

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
    async setLineCounts(commitId, counts) {
      db.transaction(() => {
        for (const c of counts) stmt.setCounts.run(c.added, c.removed, commitId, commitId, c.path);
      })();
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
      // The same person under several emails after mailmap: merge by name, keep the most used email.
      const byName = new Map<string, ContributorRow>();
      for (const r of rows) {
        const key = r.name.toLowerCase();
        const prev = byName.get(key);
        if (!prev) {
          byName.set(key, { name: r.name, email: r.email, commits: r.commits, firstTime: r.first_time, lastTime: r.last_time });
        } else {
          prev.commits += r.commits;
          prev.firstTime = Math.min(prev.firstTime, r.first_time);
          prev.lastTime = Math.max(prev.lastTime, r.last_time);
        }
      }
      return [...byName.values()].sort((a, b) => b.commits - a.commits || b.lastTime - a.lastTime);
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
