import type { Store } from '../types.js';
import { type Migration, migrate, openDatabase } from './database.js';
import { createSqliteHistoryStore, historyMigrations } from './historyStore.js';
import { createSqliteIndexStore, indexMigrations } from './indexStore.js';
import { createSqliteRepoStore, repoMigrations } from './repoStore.js';
import { createSqliteTokenStore, tokenMigrations } from './tokenStore.js';

/** Every domain's migrations, in the order they must run. */
const MIGRATIONS: Migration[] = [...repoMigrations, ...indexMigrations, ...tokenMigrations, ...historyMigrations];

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
