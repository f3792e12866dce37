import type { Migration } from '../database.js';

export const indexMigrations: Migration[] = [
  {
    id: 'index-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE index_repos (
        repo_id INTEGER PRIMARY KEY REFERENCES repos(id) ON DELETE CASCADE,
        commit_sha TEXT,
        pending_commit TEXT,
        indexed_at TEXT,
        duration_ms INTEGER,
        status TEXT NOT NULL DEFAULT 'pending',
        errors TEXT NOT NULL DEFAULT '[]',
        skipped INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE index_files (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        blob TEXT NOT NULL,
        language TEXT NOT NULL,
        size INTEGER NOT NULL,
        content TEXT NOT NULL,
        UNIQUE (repo_id, path)
      );
      CREATE TABLE index_chunks (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES index_files(id) ON DELETE CASCADE,
        repo_id INTEGER NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        kind TEXT NOT NULL,
        symbol TEXT,
        doc TEXT,
        context TEXT,
        hash TEXT NOT NULL
      );
      CREATE INDEX index_chunks_file ON index_chunks(file_id);
      CREATE INDEX index_chunks_hash ON index_chunks(hash);
      CREATE TABLE index_symbols (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES index_files(id) ON DELETE CASCADE,
        repo_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        name_lower TEXT NOT NULL,
        qualified TEXT NOT NULL,
        qualified_lower TEXT NOT NULL,
        kind TEXT NOT NULL,
        signature TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL
      );
      CREATE INDEX index_symbols_name ON index_symbols(name_lower);
      CREATE INDEX index_symbols_qualified ON index_symbols(qualified_lower);
      CREATE INDEX index_symbols_file ON index_symbols(file_id);
      CREATE VIRTUAL TABLE index_fts USING fts5(symbol, path, doc, body,
        tokenize = "porter unicode61 tokenchars '_' remove_diacritics 0", content = '', contentless_delete = 1);
      CREATE VIRTUAL TABLE index_trigram USING fts5(content, tokenize = 'trigram', content = '', contentless_delete = 1, detail = 'none');
      CREATE TRIGGER index_chunks_ad AFTER DELETE ON index_chunks BEGIN DELETE FROM index_fts WHERE rowid = old.id; END;
      CREATE TRIGGER index_files_ad AFTER DELETE ON index_files BEGIN DELETE FROM index_trigram WHERE rowid = old.id; END;
      CREATE TABLE index_vectors (
        hash TEXT NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (hash, model)
      ) WITHOUT ROWID;
      CREATE TABLE index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `),
  },
  {
    id: 'index-002',
    up: (db) => db.exec('ALTER TABLE index_repos ADD COLUMN format_version INTEGER NOT NULL DEFAULT 0'),
  },
  {
    // Distinct trigram words per file (see trigramTerms.ts) instead of the trigram tokenizer over the
    // content; files get theirs when the indexer re-chunks them (INDEX_FORMAT_VERSION 2).
    id: 'index-003',
    up: (db) =>
      db.exec(`
      DROP TRIGGER index_files_ad;
      DROP TABLE index_trigram;
      CREATE VIRTUAL TABLE index_grams USING fts5(grams, tokenize = 'ascii', content = '', contentless_delete = 1, detail = 'none');
      CREATE TRIGGER index_files_ad AFTER DELETE ON index_files BEGIN DELETE FROM index_grams WHERE rowid = old.id; END;
    `),
  },
  {
    // An index on random 40-character hashes rewrote most of its pages in every write transaction:
    // without it the writer takes ~1.2 s less for 57 MB of source. Orphaned vectors are found by a
    // scan instead, run once enough chunks were deleted (see pruneVectors), counted by a trigger.
    id: 'index-004',
    up: (db) =>
      db.exec(`
      DROP INDEX index_chunks_hash;
      INSERT OR IGNORE INTO index_meta (key, value) VALUES ('dead_chunks', '0');
      CREATE TRIGGER index_chunks_dead AFTER DELETE ON index_chunks BEGIN
        UPDATE index_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'dead_chunks';
      END;
    `),
  },
  {
    // Row generations, so `index --full` builds a repository's new rows beside the live ones and swaps
    // when complete (see indexWrites.ts): each file row carries the generation it belongs to, and
    // index_repos the live one plus the other generation still on disk (rows of a rebuild in progress or
    // left by a killed one, or the previous rows awaiting deletion). The UNIQUE constraint gains the
    // generation, which SQLite can only do by rebuilding the table (ids kept: chunks, symbols and the
    // trigram rows refer to them).
    id: 'index-005',
    rebuildsTables: true,
    up: (db) =>
      db.exec(`
      CREATE TABLE index_files_next (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        generation INTEGER NOT NULL DEFAULT 0,
        path TEXT NOT NULL,
        blob TEXT NOT NULL,
        language TEXT NOT NULL,
        size INTEGER NOT NULL,
        content TEXT NOT NULL,
        UNIQUE (repo_id, generation, path)
      );
      INSERT INTO index_files_next (id, repo_id, generation, path, blob, language, size, content)
        SELECT id, repo_id, 0, path, blob, language, size, content FROM index_files;
      DROP TRIGGER index_files_ad;
      DROP TABLE index_files;
      ALTER TABLE index_files_next RENAME TO index_files;
      CREATE TRIGGER index_files_ad AFTER DELETE ON index_files BEGIN DELETE FROM index_grams WHERE rowid = old.id; END;
      ALTER TABLE index_repos ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE index_repos ADD COLUMN other_generation INTEGER;
    `),
  },
  {
    // Vendored copies of other projects (indexer/vendored.ts), demoted in search: a flag per file, and the folders
    // the last run found, so the next one rewrites the files whose folder changed status. Existing files get theirs
    // when INDEX_FORMAT_VERSION 3 re-chunks them.
    id: 'index-006',
    up: (db) =>
      db.exec(`
      ALTER TABLE index_files ADD COLUMN vendored INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE index_repos ADD COLUMN vendored_roots TEXT NOT NULL DEFAULT '[]';
    `),
  },
];
