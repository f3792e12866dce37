import type { PgDb } from './database.js';

/** Rows changed at once (an ingest's commits, messages indexed by a first --grep) that call for new statistics. */
const ANALYZE_AFTER = 1000;

/**
 * Refreshes the planner's statistics of `tables` after a large change: with none (a first ingest) or those of a far
 * smaller history, PostgreSQL picks plans that take seconds instead of milliseconds, and autovacuum only catches up
 * a minute or so later. ANALYZE samples a fixed number of rows: it costs far less than the change that calls it.
 */
export async function refreshStatistics(db: PgDb, changed: number, tables: string): Promise<void> {
  if (changed >= ANALYZE_AFTER) await db.rows(`ANALYZE ${tables}`);
}
