import type { HistoryStore } from '../historyStore.js';
import type { PgDb } from './database.js';
import { createPgHistoryReads } from './historyReads.js';
import { createPgHistoryWrites } from './historyWrites.js';

export function createPgHistoryStore(db: PgDb): HistoryStore {
  return { ...createPgHistoryWrites(db), ...createPgHistoryReads(db) };
}
