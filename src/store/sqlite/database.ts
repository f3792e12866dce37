import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { isUnwritable, unwritableError } from '../../shared/storageErrors.js';

export type Db = Database.Database;

/** A schema change; ids are namespaced by domain (`repos-001`) and applied once, in array order. */
export interface Migration {
  id: string;
  up: (db: Db) => void;
  /**
   * Runs with foreign keys off (checked before commit): a table rebuild drops a parent table, which would
   * otherwise delete its children's rows by cascade.
   */
  rebuildsTables?: boolean;
}

/**
 * A database file of 0 bytes with no WAL beside it: what a crash or a full disk leaves, holding nothing. (A new
 * database passes 0 bytes only between its creation and the WAL switch in openDatabase, which writes its header.)
 */
export function isEmptyDatabaseFile(path: string): boolean {
  const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
  return existsSync(path) && size(path) === 0 && size(`${path}-wal`) === 0;
}

export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  if (isEmptyDatabaseFile(path)) {
    // Opening it would silently start a new database, and the repositories and tokens it held would vanish unsaid.
    throw new GitloreError(
      ERROR_CODES.STORE_CORRUPT,
      `The database ${path} is empty (0 bytes): its repositories and API tokens are gone.`,
      {
        hint: 'Run `gitlore index --full` to set it aside and start a fresh one, then register repositories again and create new API tokens.',
      },
    );
  }
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // The WAL file keeps its largest size unless told otherwise (an index pass can grow it to ~70 MB).
    if (!options.readonly) db.pragma('journal_size_limit = 33554432');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    // Touch the schema so a corrupt or foreign file fails here, with a clear message.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    throw unwritableOpenError(path, error) ?? corruptError(path, error);
  }
  return db;
}

/**
 * STORE_UNWRITABLE when opening failed because the database's folder cannot be written: SQLite writes its WAL
 * and shared-memory files beside the database even to read it, so a read-only folder fails with a bare
 * "unable to open database file". Null when the folder is writable (the failure is something else).
 */
export function unwritableOpenError(path: string, error: unknown): GitloreError | null {
  const code = (error as { code?: unknown })?.code;
  if (isUnwritable(error)) return unwritableError(dirname(path), error);
  if (code !== 'SQLITE_CANTOPEN') return null;
  try {
    accessSync(dirname(path), constants.W_OK);
    return null;
  } catch (denied) {
    return unwritableError(dirname(path), denied);
  }
}

export function corruptError(path: string, error: unknown): GitloreError {
  const message = (error as Error).message ?? String(error);
  if (/not a database|malformed|corrupt|file is encrypted/i.test(message)) {
    return new GitloreError(ERROR_CODES.STORE_CORRUPT, `The database ${path} is corrupt (${message}).`, {
      hint: 'Move it aside and run `gitlore sync` then `gitlore index --full` to rebuild it.',
      cause: error,
    });
  }
  return new GitloreError(ERROR_CODES.STORE_CORRUPT, `Cannot open the database ${path}: ${message}.`, {
    hint: 'Check GITLORE_DATA_DIR / INDEX_PATH and the folder permissions.',
    cause: error,
  });
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    // The pragma is a no-op inside a transaction, so it is switched around it.
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        if (migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`migration ${migration.id} left rows whose parent is missing`);
        }
        record.run(migration.id, new Date().toISOString());
      })();
    } finally {
      if (migration.rebuildsTables) db.pragma('foreign_keys = ON');
    }
  }
}
