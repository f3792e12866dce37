import type { PgMigration } from '../database.js';

/** Ask threads and their turns; JSON fields stay text, as on SQLite. */
export const pgChatMigrations: PgMigration[] = [
  {
    id: 'chats-001',
    up: async (client) => {
      await client.query(`
        CREATE TABLE chat_threads (
          id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          owner TEXT NOT NULL,
          shared_at TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        )`);
      await client.query('CREATE INDEX chat_threads_owner ON chat_threads (owner, updated_at COLLATE "C")');
      await client.query(`
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
          input_tokens BIGINT NOT NULL,
          output_tokens BIGINT NOT NULL,
          took_ms BIGINT NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (thread_id, seq)
        )`);
    },
  },
];
