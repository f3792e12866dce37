import type { Migration } from '../database.js';

/**
 * History schema. Paths and people are interned so a commit_files row is five
 * integers; FTS5 (contentless, with delete support) indexes subject + body.
 */
export const historyMigrations: Migration[] = [
  {
    id: 'history-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE history_state (
        repo_id INTEGER PRIMARY KEY REFERENCES repos(id) ON DELETE CASCADE,
        head TEXT,
        mailmap_hash TEXT,
        ingested_at TEXT,
        commit_count INTEGER NOT NULL DEFAULT 0,
        fts_max_id INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE history_people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        UNIQUE (name, email)
      );
      CREATE TABLE history_paths (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        UNIQUE (repo_id, path)
      );
      CREATE TABLE history_commits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        seq INTEGER NOT NULL,
        parents TEXT NOT NULL,
        n_parents INTEGER NOT NULL,
        author_id INTEGER NOT NULL,
        author_time INTEGER NOT NULL,
        author_tz INTEGER NOT NULL,
        committer_id INTEGER NOT NULL,
        committer_time INTEGER NOT NULL,
        committer_tz INTEGER NOT NULL,
        subject TEXT NOT NULL,
        UNIQUE (repo_id, hash)
      );
      -- Bodies apart, so scans of history_commits (counts, author/date filters) stay small.
      CREATE TABLE history_bodies (
        commit_id INTEGER PRIMARY KEY REFERENCES history_commits(id) ON DELETE CASCADE,
        body TEXT NOT NULL
      );
      CREATE INDEX history_commits_seq ON history_commits (repo_id, seq);
      CREATE INDEX history_commits_parents ON history_commits (repo_id, n_parents);
      CREATE INDEX history_commits_author ON history_commits (author_id);
      -- seq is copied from the commit so a path's timeline is one index range, already in order.
      CREATE TABLE history_files (
        path_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        commit_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        old_path_id INTEGER,
        added INTEGER,
        removed INTEGER,
        PRIMARY KEY (path_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX history_files_commit ON history_files (commit_id);
      CREATE INDEX history_files_old ON history_files (old_path_id, seq) WHERE old_path_id IS NOT NULL;
      CREATE VIRTUAL TABLE history_fts USING fts5 (subject, body, content = '', contentless_delete = 1, detail = none);
    `),
  },
  {
    // Merges' changes against their first parent (the other parents are compared on demand, see
    // docs/decisions.md), and the ingest format, so a history stored before them is ingested again.
    id: 'history-002',
    up: (db) =>
      db.exec(`
      ALTER TABLE history_state ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
      CREATE TABLE history_merge_files (
        path_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        commit_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
        PRIMARY KEY (path_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX history_merge_files_commit ON history_merge_files (commit_id);
    `),
  },
  {
    // The diff index (docs/history.md#diff-search): each non-merge commit's file changes against its first parent,
    // their added and removed lines' code tokens in FTS5 (two columns, no positions), the first lines for display.
    // history_diff_commits says which commits are done, in which format; the FTS rows go with their history_diffs row.
    id: 'history-003',
    up: (db) =>
      db.exec(`
      CREATE TABLE history_diff_commits (
        commit_id INTEGER PRIMARY KEY REFERENCES history_commits(id) ON DELETE CASCADE,
        repo_id INTEGER NOT NULL,
        format INTEGER NOT NULL,
        skipped TEXT
      );
      CREATE INDEX history_diff_commits_repo ON history_diff_commits (repo_id, format);
      CREATE TABLE history_diffs (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL,
        commit_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        path_id INTEGER NOT NULL,
        lines TEXT NOT NULL
      );
      CREATE INDEX history_diffs_commit ON history_diffs (commit_id);
      CREATE VIRTUAL TABLE history_diff_fts USING fts5 (added, removed, content = '', contentless_delete = 1, detail = column,
        tokenize = "unicode61 tokenchars '_' remove_diacritics 0");
      CREATE TRIGGER history_diffs_delete AFTER DELETE ON history_diffs BEGIN
        DELETE FROM history_diff_fts WHERE rowid = old.id;
      END;
    `),
  },
];
