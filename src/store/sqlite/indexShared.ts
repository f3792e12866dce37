import type { Db } from './database.js';

/** Prepares on first use, so opening the store never touches (possibly damaged) index tables. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** One value of the index's key/value settings (index_meta), null when unset. */
export function readMeta(db: Db, key: string): string | null {
  return (db.prepare('SELECT value FROM index_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

/** The generation of a repo's rows that queries see (0 before any rebuild). */
export function liveGeneration(db: Db, repoId: number): number {
  return (db.prepare('SELECT generation FROM index_repos WHERE repo_id = ?').pluck().get(repoId) as number | undefined) ?? 0;
}

/**
 * The SQL condition (` AND …`, empty in the usual case) that keeps file rows of `fileAlias` to their repo's
 * live generation: it names the rows outside it (a rebuild in progress, or old rows not deleted yet).
 */
export function liveRowsSql(db: Db, fileAlias: string): { sql: string; params: number[] } {
  const others = db.prepare('SELECT repo_id, other_generation FROM index_repos WHERE other_generation IS NOT NULL').raw().all() as [
    number,
    number,
  ][];
  if (others.length === 0) return { sql: '', params: [] };
  return {
    sql: ` AND NOT (${others.map(() => `(${fileAlias}.repo_id = ? AND ${fileAlias}.generation = ?)`).join(' OR ')})`,
    params: others.flat(),
  };
}
