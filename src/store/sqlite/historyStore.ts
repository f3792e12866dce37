import type { HistoryStore } from '../historyStore.js';
import type { Db } from './database.js';
import { createHistoryReads } from './historyReads.js';
import { createHistoryWrites } from './historyWrites.js';

export function createSqliteHistoryStore(db: Db): HistoryStore {
  return { ...createHistoryWrites(db), ...createHistoryReads(db) };
}
