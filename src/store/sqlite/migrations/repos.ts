import type { Migration } from '../database.js';

export const repoMigrations: Migration[] = [
  {
    id: 'repos-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE repos (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        source_type TEXT NOT NULL,
        source_key TEXT NOT NULL,
        full_name TEXT NOT NULL,
        clone_url TEXT NOT NULL,
        html_url TEXT,
        default_branch TEXT,
        description TEXT,
        language TEXT,
        is_private INTEGER NOT NULL DEFAULT 0,
        is_fork INTEGER NOT NULL DEFAULT 0,
        is_archived INTEGER NOT NULL DEFAULT 0,
        pushed_at TEXT,
        local_path TEXT NOT NULL,
        head_commit TEXT,
        last_sync_at TEXT,
        last_sync_duration_ms INTEGER,
        sync_status TEXT NOT NULL DEFAULT 'pending',
        sync_error TEXT,
        synced_pushed_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );`),
  },
];
