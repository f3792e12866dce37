import type { Migration } from '../database.js';

/** Named binary artifacts every process of the store shares (the learned embedding model); see store/artifactStore.ts. */
export const artifactMigrations: Migration[] = [
  {
    id: 'artifacts-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE artifacts (
        name TEXT PRIMARY KEY,
        bytes BLOB NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );`),
  },
];
