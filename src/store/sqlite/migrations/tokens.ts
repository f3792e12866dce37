import type { Migration } from '../database.js';

export const tokenMigrations: Migration[] = [
  {
    id: 'tokens-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );`),
  },
];
