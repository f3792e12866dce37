import { existsSync } from 'node:fs';
import { ERROR_CODES, type GitloreError } from '../shared/errors.js';
import { defaultReposPath } from './repoColumns.js';
import type { RecoverResult, Store } from './types.js';
import type { AcquireWriterOptions, WriterLease } from './writerLock.js';

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
    const { openPostgresStore } = await import('./postgres/postgresStore.js');
    return openPostgresStore(options.databaseUrl, { reposPath: options.reposPath ?? defaultReposPath(options.dbPath) });
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
export async function recoverStore(
  options: OpenStoreOptions,
  writer: Pick<AcquireWriterOptions, 'command' | 'waitMs' | 'onWait' | 'signal'>,
): Promise<RecoverResult> {
  if (options.databaseUrl) return { recovered: false, kept: {}, lost: {}, rebuilt: [], nothingReadable: false };
  const [{ recoverCorruptDatabase }, { createSqliteWriterLock }] = await Promise.all([
    import('./sqlite/indexRecover.js'),
    import('./sqlite/writerLock.js'),
  ]);
  if (!existsSync(options.dbPath)) return recoverCorruptDatabase(options.dbPath);
  // Setting the file aside under another writer would pull it from under that writer.
  let lease: WriterLease | null = null;
  try {
    lease = await createSqliteWriterLock(options.dbPath).acquire({ ...writer, task: 'recovering' });
  } catch (error) {
    // A folder that cannot even hold the lock file (read-only, full) gets recovery's own one-line error.
    if ((error as GitloreError).code === ERROR_CODES.LOCKED || (error as Error).name === 'AbortError') throw error;
  }
  try {
    return recoverCorruptDatabase(options.dbPath);
  } finally {
    await lease?.release();
  }
}

/**
 * Writes a consistent snapshot of the SQLite database at `dbPath` to `destFile` (a single file) while the store
 * stays open elsewhere; see sqlite/snapshot.ts.
 */
export async function snapshotSqliteStore(dbPath: string, destFile: string): Promise<void> {
  // In a worker thread: VACUUM INTO is synchronous in better-sqlite3, and `serve` must keep answering meanwhile.
  const [{ newModuleWorker, siblingModule }, { ERROR_CODES, GitloreError }] = await Promise.all([
    import('../shared/moduleWorker.js'),
    import('../shared/errors.js'),
  ]);
  const worker = newModuleWorker(siblingModule(import.meta.url, 'sqlite/snapshotWorker'), { dbPath, destFile });
  const reply = await new Promise<{ ok: boolean; code?: string; message?: string; hint?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the database snapshot worker exited with code ${code}`)));
  }).finally(() => void worker.terminate());
  if (!reply.ok) {
    const code = Object.values(ERROR_CODES).find((c) => c === reply.code) ?? ERROR_CODES.INTERNAL;
    throw new GitloreError(code, reply.message ?? 'The database snapshot failed.', { hint: reply.hint });
  }
}

/** pg_dump of a PostgreSQL store (custom format) to `destFile`; see postgres/dump.ts. */
export async function dumpPostgresStore(databaseUrl: string, destFile: string, options: { binDir?: string; signal?: AbortSignal } = {}) {
  const { dumpPostgres } = await import('./postgres/dump.js');
  await dumpPostgres(databaseUrl, destFile, options);
}

/** Refuses (BACKUP_INVALID) a PostgreSQL database that already holds tables: checked before a restore fetches anything. */
export async function assertEmptyPostgresStore(databaseUrl: string): Promise<void> {
  const { assertEmptyPostgres } = await import('./postgres/dump.js');
  await assertEmptyPostgres(databaseUrl);
}

/** pg_restore of a dump into an empty PostgreSQL database, in one transaction; refuses a database that holds tables. */
export async function restorePostgresStore(databaseUrl: string, dumpFile: string, options: { binDir?: string; signal?: AbortSignal } = {}) {
  const { restorePostgres } = await import('./postgres/dump.js');
  await restorePostgres(databaseUrl, dumpFile, options);
}

export type { SqliteCopyReport, TableCopy } from './postgres/copyFromSqlite.js';

/**
 * For `gitlore migrate --to`: brings the PostgreSQL database at `databaseUrl` to the current schema and copies
 * into it every row of the SQLite store at `dbPath` that PostgreSQL keeps as is (everything but the code index,
 * which the caller rebuilds from the clones); `notCopied` names SQLite tables PostgreSQL has no place for.
 */
export async function copySqliteStoreToPostgres(
  options: { dbPath: string; databaseUrl: string },
  onTable?: (table: string) => void,
): Promise<import('./postgres/copyFromSqlite.js').SqliteCopyReport> {
  const [{ openPgDatabase, migratePg }, { PG_MIGRATIONS }, { copySqliteIntoPostgres }] = await Promise.all([
    import('./postgres/database.js'),
    import('./postgres/migrations/index.js'),
    import('./postgres/copyFromSqlite.js'),
  ]);
  const db = await openPgDatabase(options.databaseUrl);
  try {
    await migratePg(db, PG_MIGRATIONS);
    return await copySqliteIntoPostgres(options.dbPath, db, { onTable });
  } finally {
    await db.close();
  }
}
