import type { Migration } from '../database.js';

export const chatMigrations: Migration[] = [
  {
    id: 'chats-001',
    up: (db) =>
      db.exec(`
      CREATE TABLE chat_threads (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        owner TEXT NOT NULL,
        shared_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX chat_threads_owner ON chat_threads (owner, updated_at);
      CREATE TABLE chat_turns (
        thread_id TEXT NOT NULL REFERENCES chat_threads (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        question TEXT NOT NULL,
        repos TEXT NOT NULL,
        answer TEXT NOT NULL,
        citations TEXT NOT NULL,
        commits TEXT NOT NULL,
        steps TEXT NOT NULL,
        dropped_citations INTEGER NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        took_ms INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, seq)
      );`),
  },
];
