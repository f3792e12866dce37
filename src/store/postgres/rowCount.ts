import type { PgQueryable } from './database.js';

/** Runs a write (on the pool or a transaction's client) and answers how many rows it changed. */
export async function changedRows(on: PgQueryable, text: string, params?: unknown[]): Promise<number> {
  return (await on.query(text, params)).rowCount ?? 0;
}
