import { SELECT_TURNS, THREAD_COLUMNS, TURN_INSERT_COLUMNS, type TurnRow, toTurn, turnValues } from '../chatColumns.js';
import type { ChatStore, ChatThread, ChatThreadSummary, ChatTurnRecord } from '../chatStore.js';
import type { Db } from './database.js';

export function createSqliteChatStore(db: Db): ChatStore {
  const insertThread = db.prepare(
    'INSERT INTO chat_threads (id, title, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const touchThread = db.prepare('UPDATE chat_threads SET updated_at = ? WHERE id = ?');
  const nextSeq = db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM chat_turns WHERE thread_id = ?').pluck();
  const insertTurn = db.prepare(`INSERT INTO chat_turns (${TURN_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const threadById = db.prepare(`SELECT ${THREAD_COLUMNS} FROM chat_threads t WHERE t.id = ?`);
  const turnsOf = db.prepare(`${SELECT_TURNS} WHERE thread_id = ? ORDER BY seq`);
  const byOwner = db.prepare(`SELECT ${THREAD_COLUMNS} FROM chat_threads t WHERE t.owner = ? ORDER BY t.updated_at DESC, t.id LIMIT ?`);
  const share = db.prepare('UPDATE chat_threads SET shared_at = coalesce(shared_at, ?) WHERE id = ?');
  const unshare = db.prepare('UPDATE chat_threads SET shared_at = NULL WHERE id = ?');
  const remove = db.prepare('DELETE FROM chat_threads WHERE id = ?');

  const append = db.transaction((thread: { id: string; title: string; owner: string }, turn: Omit<ChatTurnRecord, 'seq' | 'createdAt'>) => {
    const now = new Date().toISOString();
    insertThread.run(thread.id, thread.title, thread.owner, now, now);
    touchThread.run(now, thread.id);
    const seq = nextSeq.get(thread.id) as number;
    insertTurn.run(...turnValues(thread.id, seq, turn, now));
    return { ...turn, seq, createdAt: now };
  });

  return {
    async appendTurn(thread, turn) {
      return append(thread, turn);
    },
    async get(id) {
      const thread = threadById.get(id) as ChatThreadSummary | undefined;
      if (!thread) return null;
      return { ...thread, turns: (turnsOf.all(id) as TurnRow[]).map(toTurn) } satisfies ChatThread;
    },
    async list(owner, options = {}) {
      return byOwner.all(owner, options.limit ?? 50) as ChatThreadSummary[];
    },
    async setShared(id, shared) {
      return (shared ? share.run(new Date().toISOString(), id) : unshare.run(id)).changes > 0;
    },
    async delete(id) {
      return remove.run(id).changes > 0;
    },
  };
}
