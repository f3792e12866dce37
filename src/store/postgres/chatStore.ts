import { SELECT_TURNS, THREAD_COLUMNS, TURN_INSERT_COLUMNS, type TurnRow, toTurn, turnValues } from '../chatColumns.js';
import type { ChatStore, ChatThreadSummary } from '../chatStore.js';
import type { PgDb } from './database.js';
import { changedRows } from './rowCount.js';

const TURN_PLACEHOLDERS = Array.from({ length: 14 }, (_, i) => `$${i + 1}`).join(', ');

export function createPgChatStore(db: PgDb): ChatStore {
  return {
    appendTurn: (thread, turn) =>
      db.tx(async (client) => {
        const now = new Date().toISOString();
        await client.query(
          'INSERT INTO chat_threads (id, title, owner, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (id) DO NOTHING',
          [thread.id, thread.title, thread.owner, now],
        );
        // Also locks the thread's row until commit, so two turns appended at once get successive numbers.
        await client.query('UPDATE chat_threads SET updated_at = $1 WHERE id = $2', [now, thread.id]);
        const next = await client.query<{ seq: number }>('SELECT coalesce(max(seq), 0) + 1 AS seq FROM chat_turns WHERE thread_id = $1', [
          thread.id,
        ]);
        const seq = next.rows[0].seq;
        await client.query(
          `INSERT INTO chat_turns (${TURN_INSERT_COLUMNS}) VALUES (${TURN_PLACEHOLDERS})`,
          turnValues(thread.id, seq, turn, now),
        );
        return { ...turn, seq, createdAt: now };
      }),
    async get(id) {
      const thread = await db.row<ChatThreadSummary>(`SELECT ${THREAD_COLUMNS} FROM chat_threads t WHERE t.id = $1`, [id]);
      if (!thread) return null;
      return { ...thread, turns: (await db.rows<TurnRow>(`${SELECT_TURNS} WHERE thread_id = $1 ORDER BY seq`, [id])).map(toTurn) };
    },
    async list(owner, options = {}) {
      return db.rows<ChatThreadSummary>(
        `SELECT ${THREAD_COLUMNS} FROM chat_threads t WHERE t.owner = $1
         ORDER BY t.updated_at COLLATE "C" DESC, t.id COLLATE "C" LIMIT $2`,
        [owner, options.limit ?? 50],
      );
    },
    async setShared(id, shared) {
      const changed = shared
        ? await changedRows(db.pool, 'UPDATE chat_threads SET shared_at = coalesce(shared_at, $1) WHERE id = $2', [
            new Date().toISOString(),
            id,
          ])
        : await changedRows(db.pool, 'UPDATE chat_threads SET shared_at = NULL WHERE id = $1', [id]);
      return changed > 0;
    },
    async delete(id) {
      return (await changedRows(db.pool, 'DELETE FROM chat_threads WHERE id = $1', [id])) > 0;
    },
  };
}
