import { encodeDiffLines, mergePaths, PENDING_DIFFS_SQL } from '../historySql.js';
import type { CommitDiffInput, HistoryCommitInput, HistoryState, HistoryStore, HistoryWriteMethod } from '../historyStore.js';
import type { Db } from './database.js';

export type HistoryWrites = Pick<HistoryStore, HistoryWriteMethod>;

/** Ingest side of the history store: commits in and out, people and paths interned, ingest state. */
export function createHistoryWrites(db: Db): HistoryWrites {
  const stmt = {
    getState: db.prepare('SELECT head, mailmap_hash, format, ingested_at, commit_count FROM history_state WHERE repo_id = ?'),
    setState: db.prepare(
      `INSERT INTO history_state (repo_id, head, mailmap_hash, format, ingested_at, commit_count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo_id) DO UPDATE SET head = excluded.head, mailmap_hash = excluded.mailmap_hash,
         format = excluded.format, ingested_at = excluded.ingested_at, commit_count = excluded.commit_count`,
    ),
    count: db.prepare('SELECT count(*) FROM history_commits WHERE repo_id = ?').pluck(),
    maxSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM history_commits WHERE repo_id = ?').pluck(),
    hashes: db.prepare('SELECT hash FROM history_commits WHERE repo_id = ? ORDER BY hash').pluck(),
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
    mergeFileAdd: db.prepare('INSERT OR IGNORE INTO history_merge_files (path_id, seq, commit_id) VALUES (?, ?, ?)'),
    ftsDel: db.prepare('DELETE FROM history_fts WHERE rowid = ?'),
    ftsMax: db.prepare('SELECT fts_max_id FROM history_state WHERE repo_id = ?').pluck(),
    commitIdByHash: db.prepare('SELECT id FROM history_commits WHERE repo_id = ? AND hash = ?').pluck(),
    commitDel: db.prepare('DELETE FROM history_commits WHERE id = ?'),
    allIds: db.prepare('SELECT id FROM history_commits WHERE repo_id = ?').pluck(),
    deleteAllCommits: db.prepare('DELETE FROM history_commits WHERE repo_id = ?'),
    deletePaths: db.prepare('DELETE FROM history_paths WHERE repo_id = ?'),
    deleteState: db.prepare('DELETE FROM history_state WHERE repo_id = ?'),
    pendingDiffs: db.prepare(PENDING_DIFFS_SQL),
    commitByHash: db.prepare('SELECT id, seq FROM history_commits WHERE repo_id = ? AND hash = ?'),
    diffsDel: db.prepare('DELETE FROM history_diffs WHERE commit_id = ?'),
    diffAdd: db.prepare('INSERT INTO history_diffs (repo_id, commit_id, seq, path_id, lines) VALUES (?, ?, ?, ?, ?)'),
    diffFtsAdd: db.prepare('INSERT INTO history_diff_fts (rowid, added, removed) VALUES (?, ?, ?)'),
    diffDone: db.prepare(
      `INSERT INTO history_diff_commits (commit_id, repo_id, format, skipped) VALUES (?, ?, ?, ?)
       ON CONFLICT (commit_id) DO UPDATE SET format = excluded.format, skipped = excluded.skipped`,
    ),
    setCounts: db.prepare(
      'UPDATE history_files SET added = ?, removed = ? WHERE commit_id = ? AND path_id = (SELECT id FROM history_paths WHERE repo_id = (SELECT repo_id FROM history_commits WHERE id = ?) AND path = ?)',
    ),
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
      if (c.parents.length > 1) {
        for (const path of mergePaths(c)) stmt.mergeFileAdd.run(pathId(repoId, path), c.seq, id);
        continue;
      }
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

  const writeDiffsTx = db.transaction((repoId: number, format: number, commits: CommitDiffInput[]) => {
    for (const c of commits) {
      const row = stmt.commitByHash.get(repoId, c.hash) as { id: number; seq: number } | undefined;
      if (!row) continue;
      stmt.diffsDel.run(row.id);
      for (const f of c.files) {
        const id = Number(stmt.diffAdd.run(repoId, row.id, row.seq, pathId(repoId, f.path), encodeDiffLines(f.lines)).lastInsertRowid);
        stmt.diffFtsAdd.run(id, f.addedTerms.join(' '), f.removedTerms.join(' '));
      }
      stmt.diffDone.run(row.id, repoId, format, c.skipped);
    }
  });

  return {
    async pendingDiffs(repoId, format) {
      return stmt.pendingDiffs.all(repoId, format) as { hash: string; files: number }[];
    },
    async writeDiffs(repoId, format, commits) {
      writeDiffsTx(repoId, format, commits);
    },
    async getState(repoId) {
      const row = stmt.getState.get(repoId) as
        | { head: string | null; mailmap_hash: string | null; format: number; ingested_at: string | null; commit_count: number }
        | undefined;
      if (!row) return null;
      const state: HistoryState = {
        head: row.head,
        mailmapHash: row.mailmap_hash,
        formatVersion: row.format,
        ingestedAt: row.ingested_at,
        commitCount: row.commit_count,
      };
      return state;
    },
    async setState(repoId, state) {
      stmt.setState.run(repoId, state.head, state.mailmapHash, state.formatVersion, state.ingestedAt, stmt.count.get(repoId));
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
    async setLineCounts(commitId, counts) {
      db.transaction(() => {
        for (const c of counts) stmt.setCounts.run(c.added, c.removed, commitId, commitId, c.path);
      })();
    },
  };
}
