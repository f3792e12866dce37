import type { Store } from '../types.js';
import { guardCorruption } from './corruption.js';
import { migrate, openDatabase } from './database.js';
import { createSqliteHistoryStore } from './historyStore.js';
import { createSqliteIndexStore } from './indexStore.js';
import { MIGRATIONS } from './migrations/index.js';
import { createSqliteRepoStore } from './repoStore.js';
import { createSqliteTokenStore } from './tokenStore.js';

export function openSqliteStore(path: string, options: { readonly?: boolean } = {}): Store {
  const db = openDatabase(path, options);
  if (!options.readonly) migrate(db, MIGRATIONS);
  return {
    kind: 'sqlite',
    repos: guardCorruption(createSqliteRepoStore(db), path),
    index: guardCorruption(createSqliteIndexStore(db), path),
    history: guardCorruption(createSqliteHistoryStore(db), path),
    tokens: guardCorruption(createSqliteTokenStore(db), path),
    async close() {
      db.close();
    },
  };
}
