import { basename, isAbsolute } from 'node:path';
import { redact } from '../../../shared/redact.js';
import { stripUrlCredentials, urlCredentials } from '../../../shared/urlCredentials.js';
import type { Db, Migration } from '../database.js';

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
  { id: 'repos-002', up: scrubStoredCredentials },
  { id: 'repos-003', up: relativizeClonePaths },
];

/** URLs stored before credentials were refused lose their password or token (issue 14); idempotent. */
export function scrubStoredCredentials(db: Db): void {
  const rows = db.prepare('SELECT id, clone_url, html_url, sync_error FROM repos').all() as {
    id: number;
    clone_url: string;
    html_url: string | null;
    sync_error: string | null;
  }[];
  const update = db.prepare('UPDATE repos SET clone_url = ?, html_url = ?, sync_error = ? WHERE id = ?');
  for (const row of rows) {
    if (!urlCredentials(row.clone_url) && !(row.html_url && urlCredentials(row.html_url))) continue;
    update.run(
      stripUrlCredentials(row.clone_url),
      row.html_url && stripUrlCredentials(row.html_url),
      row.sync_error && redact(row.sync_error),
      row.id,
    );
  }
}

/**
 * Clone folders were stored absolute, so a moved data dir or a changed REPOS_PATH broke every
 * clone. Each was `<reposPath>/<name>`: it becomes `<name>`, resolved against the current
 * REPOS_PATH when read. Idempotent.
 */
export function relativizeClonePaths(db: Db): void {
  const rows = db.prepare('SELECT id, name, local_path FROM repos').all() as { id: number; name: string; local_path: string }[];
  const update = db.prepare('UPDATE repos SET local_path = ? WHERE id = ?');
  for (const row of rows) {
    if (isAbsolute(row.local_path) && basename(row.local_path) === row.name) update.run(row.name, row.id);
  }
}
