import {
  BLAME_COLUMNS,
  type BlameRow,
  type BlameStore,
  blameKeyParams,
  blameKeysCondition,
  encodeBlame,
  entriesInOrder,
} from '../blameStore.js';
import type { PgDb } from './database.js';
import { changedRows } from './rowCount.js';

export function createPgBlameStore(db: PgDb): BlameStore {
  return {
    async get(keys) {
      if (keys.length === 0) return [];
      const rows = await db.rows<BlameRow>(
        `SELECT ${BLAME_COLUMNS} FROM history_blame WHERE ${blameKeysCondition(keys.length, (i) => `$${i + 1}`)}`,
        blameKeyParams(keys),
      );
      return entriesInOrder(keys, rows);
    },
    async put(entry) {
      const { spans, commits } = encodeBlame(entry);
      // A replaced entry takes a new id, as SQLite's REPLACE gives it: prune keeps the most recently stored.
      await db.rows(
        `INSERT INTO history_blame (repo_id, path, blob, start_line, end_line, commit_hash, spans, commits, stored_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (repo_id, path, blob, start_line, end_line) DO UPDATE SET
           id = DEFAULT, commit_hash = excluded.commit_hash, spans = excluded.spans, commits = excluded.commits, stored_at = excluded.stored_at`,
        [entry.repoId, entry.path, entry.blob, entry.startLine, entry.endLine, entry.commit, spans, commits, new Date().toISOString()],
      );
    },
    async prune(keep) {
      return changedRows(
        db.pool,
        'DELETE FROM history_blame WHERE id <= (SELECT id FROM history_blame ORDER BY id DESC LIMIT 1 OFFSET $1)',
        [Math.max(0, Math.floor(keep))],
      );
    },
    async count() {
      return Number((await db.row<{ n: number }>('SELECT count(*) AS n FROM history_blame'))?.n ?? 0);
    },
  };
}
