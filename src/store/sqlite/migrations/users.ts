import type { Migration } from '../database.js';

export const userMigrations: Migration[] = [
  {
    id: 'users-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT,
        name TEXT,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        github_login TEXT,
        github_id INTEGER,
        created_at TEXT NOT NULL,
        last_sign_in_at TEXT,
        disabled_at TEXT
      );
      CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;
      CREATE TABLE user_identities (
        provider TEXT NOT NULL,
        subject TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        email TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (provider, subject)
      );
      CREATE INDEX user_identities_user ON user_identities (user_id);
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        user_agent TEXT
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT NOT NULL,
        ip TEXT
      );
      CREATE INDEX audit_events_actor ON audit_events (actor, id);
      CREATE INDEX audit_events_action ON audit_events (action, id);
      ALTER TABLE api_tokens ADD COLUMN user_id TEXT REFERENCES users (id) ON DELETE CASCADE;
      ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE repo_access (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        repo_id INTEGER NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (source IN ('user', 'repo')),
        granted_at TEXT NOT NULL,
        PRIMARY KEY (user_id, repo_id, source)
      );
      CREATE INDEX repo_access_repo ON repo_access (repo_id, source);
      CREATE TABLE permission_syncs (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'revoked')),
        last_synced_at TEXT,
        last_error TEXT,
        repo_count INTEGER NOT NULL
      );`),
  },
  {
    // The OAuth token of a linked GitHub identity, sealed with SECRET_KEY (core/auth/secretBox): the permission sync lists
    // that user's repositories with it. NULL where none was kept (OIDC identities, or GitHub revoked it).
    id: 'users-002',
    up: (db) => db.exec('ALTER TABLE user_identities ADD COLUMN sealed_token TEXT;'),
  },
];
