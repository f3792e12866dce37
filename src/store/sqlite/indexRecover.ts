import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { RecoverResult } from '../types.js';
import { openDatabase } from './database.js';
import { relativizeClonePaths, scrubStoredCredentials } from './migrations/repos.js';
import { openSqliteStore } from './sqliteStore.js';

/**
 * For `gitlore index --full`: checks the SQLite file and, when it is corrupt,
 * moves it (and its WAL) aside, creates a fresh database and copies back the
 * registered repositories it can still read, so the rebuild has something to index.
 */
export function recoverCorruptDatabase(path: string): RecoverResult {
  if (!existsSync(path)) return { recovered: false, salvagedRepos: 0 };
  let problem: string | null = null;
  let repos: Record<string, unknown>[] = [];
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { fileMustExist: true });
    const rows = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const first = rows[0]?.quick_check ?? 'unknown';
    if (first !== 'ok')
      problem = rows
        .map((r) => r.quick_check)
        .slice(0, 3)
        .join('; ');
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem === null) {
    db?.close();
    return { recovered: false, salvagedRepos: 0 };
  }
  try {
    repos = (db?.prepare('SELECT * FROM repos').all() as Record<string, unknown>[]) ?? [];
  } catch {
    repos = [];
  }
  try {
    db?.close();
  } catch {
    // already unusable
  }
  const movedTo = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, movedTo);
  for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  const store = openSqliteStore(path);
  void store.close();
  let salvaged = 0;
  if (repos.length > 0) {
    const fresh = openDatabase(path);
    try {
      const columns = new Set((fresh.prepare('PRAGMA table_info(repos)').all() as { name: string }[]).map((c) => c.name));
      for (const row of repos) {
        const keys = Object.keys(row).filter((k) => columns.has(k));
        try {
          fresh
            .prepare(`INSERT INTO repos (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`)
            .run(...keys.map((k) => row[k]));
          salvaged += 1;
        } catch {
          // a damaged row: skip it, the next sync re-registers configured sources
        }
      }
      // Rows from before the fresh database's migrations get what those migrations do.
      scrubStoredCredentials(fresh);
      relativizeClonePaths(fresh);
    } finally {
      fresh.close();
    }
  }
  return { recovered: true, movedTo, salvagedRepos: salvaged, problem };
}
