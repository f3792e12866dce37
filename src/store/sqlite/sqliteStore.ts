import type { Store } from '../types.js';
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
    repos: createSqliteRepoStore(db),
    index: createSqliteIndexStore(db),
    history: createSqliteHistoryStore(db),
    tokens: createSqliteTokenStore(db),
    async close() {
      db.close();
    },
  };
}
