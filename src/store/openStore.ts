import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** SQLite database file; created with its folder when missing. */
  dbPath: string;
  /** postgres:// URL; selects the PostgreSQL backend when set. */
  databaseUrl?: string;
  readonly?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'The PostgreSQL backend is not available in this build.', {
      hint: 'Unset DATABASE_URL to use the embedded SQLite store.',
    });
  }
  const { openSqliteStore } = await import('./sqlite/sqliteStore.js');
  return openSqliteStore(options.dbPath, { readonly: options.readonly });
}
