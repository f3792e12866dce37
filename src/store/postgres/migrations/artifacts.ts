import type { PgMigration } from '../database.js';

/** Named binary artifacts every process shares (the learned embedding model), as SQLite's `artifacts` table. */
export const pgArtifactMigrations: PgMigration[] = [
  {
    id: 'artifacts-001',
    up: async (client) => {
      await client.query(`
        CREATE TABLE artifacts (
          name TEXT PRIMARY KEY,
          bytes BYTEA NOT NULL,
          version INTEGER NOT NULL,
          updated_at TEXT NOT NULL
        )`);
    },
  },
];
