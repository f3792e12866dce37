import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RecoverResult, Store } from './types.js';

export interface OpenStoreOptions {
  /** SQLite database file; created with its folder when missing. */
  dbPath: string;
  /** postgres:// URL; selects the PostgreSQL backend when set. */
  databaseUrl?: string;
  readonly?: boolean;
  /** Folder of SQLite's approximate-nearest-neighbour graphs (config.vectorIndexPath); `vectors/` beside dbPath when absent. */
  vectorIndexDir?: string;
  /** Folder of the clones (config.reposPath): stored clone paths are relative to it. */
  reposPath?: string;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'The PostgreSQL backend is not available in this build.', {
      hint: 'Unset DATABASE_URL to use the embedded SQLite store.',
    });
  }
  const { openSqliteStore } = await import('./sqlite/sqliteStore.js');
  return openSqliteStore(options.dbPath, {
    readonly: options.readonly,
    vectorIndexDir: options.vectorIndexDir,
    reposPath: options.reposPath,
  });
}

/**
 * For `gitlore index --full`: checks the store and, when it is damaged, sets it aside and starts a fresh one
 * that keeps every row it could still read of what git cannot give back (repositories, API tokens).
 */
export async function recoverStore(options: OpenStoreOptions): Promise<RecoverResult> {
  if (options.databaseUrl) return { recovered: false, kept: {}, lost: {}, rebuilt: [], nothingReadable: false };
  const { recoverCorruptDatabase } = await import('./sqlite/indexRecover.js');
  return recoverCorruptDatabase(options.dbPath);
}
