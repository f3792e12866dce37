import type { Migration } from '../database.js';

/**
 * The blame cache (store/blameStore.ts). Named history_* so that recovering a damaged database leaves it to be
 * computed again rather than copied.
 */
export const blameMigrations: Migration[] = [
  {
    id: 'blame-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE history_blame (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        blob TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        commit_hash TEXT NOT NULL,
        spans TEXT NOT NULL,
        commits TEXT NOT NULL,
        stored_at TEXT NOT NULL,
        UNIQUE (repo_id, path, blob, start_line, end_line)
      );`),
  },
];
