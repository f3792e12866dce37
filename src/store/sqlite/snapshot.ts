import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { openDatabase } from './database.js';

/**
 * Writes a consistent copy of the SQLite database at `dbPath` to `destFile` while other connections keep reading
 * and writing: `VACUUM INTO` runs in one read transaction of its own connection, so the copy is the database as of
 * one instant (WAL content included) and a writer is never blocked. Chosen over the online backup API, which
 * restarts whenever another connection writes during the copy (docs/decisions.md, "Backup: VACUUM INTO").
 */
export function snapshotSqliteDatabase(dbPath: string, destFile: string): void {
  if (!existsSync(dbPath)) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `There is no database at ${dbPath} to back up.`, {
      hint: 'Check GITLORE_DATA_DIR (or INDEX_PATH): it should name the data folder of the installation to back up.',
    });
  }
  mkdirSync(dirname(destFile), { recursive: true });
  rmSync(destFile, { force: true });
  const db = openDatabase(dbPath, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(destFile);
  } finally {
    db.close();
  }
}
