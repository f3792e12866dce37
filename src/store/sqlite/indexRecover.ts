import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { RecoverResult } from '../types.js';
import { type Db, isEmptyDatabaseFile, openDatabase, unwritableOpenError } from './database.js';
import { relativizeClonePaths, scrubStoredCredentials } from './migrations/repos.js';
import { openSqliteStore } from './sqliteStore.js';

/** Tables gitlore rebuilds from the clones (`index --full` re-indexes and re-ingests history): not copied. */
const REBUILT_PREFIXES = ['index_', 'history_'];
/** Bookkeeping the fresh database writes itself. */
const SKIPPED_TABLES = new Set(['schema_migrations']);
/** After a read error, how many rowid seeks past the damage to try before giving up on the rest of a table. */
const SKIP_PROBES = 24;

interface Salvage {
  rows: Record<string, unknown>[];
  /** Rows the table had, when it could still be counted. */
  total: number | null;
}

/**
 * For `gitlore index --full`: checks the SQLite file and, when it is damaged, sets it (and its WAL) aside under a
 * timestamped name, creates a fresh database and copies back every row it can still read of the tables that git
 * cannot give back (repositories, API tokens, and any other such table the schema has). The code index and
 * history are left empty for the rebuild. Says per table what it kept and what it lost.
 */
export function recoverCorruptDatabase(path: string): RecoverResult {
  const result: RecoverResult = { recovered: false, kept: {}, lost: {}, rebuilt: [], nothingReadable: false };
  if (!existsSync(path)) return result;
  const { db, problem } = inspect(path);
  if (problem === null) {
    db?.close();
    return result;
  }
  const salvaged = new Map<string, Salvage>();
  if (db) {
    for (const table of userTables(db, result)) salvaged.set(table, readTable(db, table));
    try {
      db.close();
    } catch {
      // already unusable
    }
  }
  result.recovered = true;
  result.problem = problem;
  result.nothingReadable = db === null || (salvaged.size === 0 && result.rebuilt.length === 0);
  result.movedTo = setAside(path);

  // The fresh database, with today's schema.
  void openSqliteStore(path, { vectorIndexDir: null }).close();
  const fresh = openDatabase(path);
  try {
    copyBack(fresh, salvaged, result);
  } finally {
    fresh.close();
  }
  return result;
}

/** Opens the file and runs SQLite's quick check; the problem found, or null when the file is sound. */
function inspect(path: string): { db: Db | null; problem: string | null } {
  if (isEmptyDatabaseFile(path)) return { db: null, problem: 'it is empty: 0 bytes' };
  let db: Db | null = null;
  try {
    db = new Database(path, { fileMustExist: true });
    const rows = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const first = rows[0]?.quick_check ?? 'unknown';
    if (first === 'ok') return { db, problem: null };
    return {
      db,
      problem: rows
        .map((r) => r.quick_check)
        .slice(0, 3)
        .join('; '),
    };
  } catch (error) {
    // A folder gitlore cannot write is not damage: nothing is set aside, and the user hears what to fix.
    const unwritable = unwritableOpenError(path, error);
    if (unwritable) {
      db?.close();
      throw unwritable;
    }
    return { db, problem: (error as Error).message };
  }
}

/** The tables worth copying; the rebuilt ones are noted in the result instead. */
function userTables(db: Db, result: RecoverResult): string[] {
  let tables: { name: string; sql: string | null }[];
  try {
    tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as typeof tables;
  } catch {
    return [];
  }
  const virtual = tables.filter((t) => /^CREATE VIRTUAL/i.test(t.sql ?? '')).map((t) => t.name);
  // FTS5 keeps its data in shadow tables named after the virtual table.
  const shadow = (name: string) => virtual.some((v) => name !== v && name.startsWith(`${v}_`));
  const names: string[] = [];
  for (const { name } of tables) {
    if (SKIPPED_TABLES.has(name)) continue;
    if (REBUILT_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      if (!shadow(name)) result.rebuilt.push(name);
      continue;
    }
    if (!virtual.includes(name) && !shadow(name)) names.push(name);
  }
  return names;
}

/**
 * Every row of the table it can read, in rowid order. A damaged page ends a scan; seeking past it by rowid
 * (the interior pages usually survive) picks up the rows after it.
 */
function readTable(db: Db, table: string): Salvage {
  const rows: Record<string, unknown>[] = [];
  let total: number | null = null;
  try {
    total = (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } catch {
    total = null;
  }
  let select: Database.Statement;
  try {
    select = db.prepare(`SELECT rowid AS "__rowid__", * FROM "${table}" WHERE rowid > ? ORDER BY rowid`);
  } catch {
    return { rows, total };
  }
  let after = Number.MIN_SAFE_INTEGER;
  let failures = 0;
  while (failures <= SKIP_PROBES) {
    let last = after;
    try {
      for (const row of select.iterate(after) as Iterable<Record<string, unknown>>) {
        last = Number(row.__rowid__);
        delete row.__rowid__;
        rows.push(row);
      }
      break;
    } catch {
      // Skip ahead further each time the next seek lands in the damage too.
      failures += 1;
      after = (last === Number.MIN_SAFE_INTEGER ? 0 : last) + 2 ** (failures - 1);
    }
  }
  return { rows, total };
}

function setAside(path: string): string {
  const movedTo = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, movedTo);
  for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  return movedTo;
}

/** Inserts the salvaged rows, table by table, into the columns today's schema has; counts what does not fit. */
function copyBack(fresh: Db, salvaged: Map<string, Salvage>, result: RecoverResult): void {
  const freshTables = new Set(
    (fresh.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
  );
  // Rows go back as they were; their references were consistent before the damage.
  fresh.pragma('foreign_keys = OFF');
  for (const [table, { rows, total }] of salvaged) {
    if (!freshTables.has(table)) {
      result.lost[table] = total ?? rows.length;
      continue;
    }
    const columns = new Set((fresh.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name));
    let kept = 0;
    fresh.transaction(() => {
      for (const row of rows) {
        const keys = Object.keys(row).filter((k) => columns.has(k));
        try {
          fresh
            .prepare(`INSERT INTO "${table}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`)
            .run(...keys.map((k) => row[k]));
          kept += 1;
        } catch {
          // a row damaged into breaking a constraint: counted as lost
        }
      }
    })();
    result.kept[table] = kept;
    const lost = total === null ? null : Math.max(0, total - kept);
    if (lost !== 0) result.lost[table] = lost;
  }
  fresh.pragma('foreign_keys = ON');
  // Rows from before the fresh database's migrations get what those migrations do.
  scrubStoredCredentials(fresh);
  relativizeClonePaths(fresh);
}
