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
