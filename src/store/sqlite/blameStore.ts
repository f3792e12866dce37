import {
  BLAME_COLUMNS,
  type BlameRow,
  type BlameStore,
  blameKeyParams,
  blameKeysCondition,
  encodeBlame,
  entriesInOrder,
} from '../blameStore.js';
import type { Db } from './database.js';

export function createSqliteBlameStore(db: Db): BlameStore {
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO history_blame (repo_id, path, blob, start_line, end_line, commit_hash, spans, commits, stored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const cutoff = db.prepare('SELECT id FROM history_blame ORDER BY id DESC LIMIT 1 OFFSET ?').pluck();
  const deleteUpTo = db.prepare('DELETE FROM history_blame WHERE id <= ?');
  const count = db.prepare('SELECT count(*) FROM history_blame').pluck();
  return {
    async get(keys) {
      if (keys.length === 0) return [];
      const rows = db
        .prepare(`SELECT ${BLAME_COLUMNS} FROM history_blame WHERE ${blameKeysCondition(keys.length, () => '?')}`)
        .all(...blameKeyParams(keys)) as BlameRow[];
      return entriesInOrder(keys, rows);
    },
    async put(entry) {
      const { spans, commits } = encodeBlame(entry);
      // REPLACE deletes the old row: the new one gets the highest id, so prune keeps it as the newest.
      upsert.run(
        entry.repoId,
        entry.path,
        entry.blob,
        entry.startLine,
        entry.endLine,
        entry.commit,
        spans,
        commits,
        new Date().toISOString(),
      );
    },
    async prune(keep) {
      const last = cutoff.get(Math.max(0, Math.floor(keep))) as number | undefined;
      return last === undefined ? 0 : deleteUpTo.run(last).changes;
    },
    async count() {
      return count.get() as number;
    },
  };
}
