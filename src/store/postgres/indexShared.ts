import type { IndexFilter } from '../indexStore.js';
import type { PgQueryable } from './database.js';

/** Values of one statement, each added where its `$n` goes. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The generation of a repo's rows that queries see (0 before any rebuild). */
export async function liveGeneration(db: PgQueryable, repoId: number): Promise<number> {
  const { rows } = await db.query<{ generation: number }>('SELECT generation FROM index_repos WHERE repo_id = $1', [repoId]);
  return rows[0]?.generation ?? 0;
}

/**
 * The condition (` AND …`, empty in the usual case) that keeps file rows of `fileAlias` to their repo's live
 * generation: it names the rows outside it (a rebuild in progress, or old rows not deleted yet).
 */
export async function liveRowsSql(db: PgQueryable, fileAlias: string, params: SqlParams): Promise<string> {
  const { rows } = await db.query<{ repo_id: number; other_generation: number }>(
    'SELECT repo_id, other_generation FROM index_repos WHERE other_generation IS NOT NULL',
  );
  if (rows.length === 0) return '';
  const others = rows.map(
    (r) => `(${fileAlias}.repo_id = ${params.add(r.repo_id)} AND ${fileAlias}.generation = ${params.add(r.other_generation)})`,
  );
  return ` AND NOT (${others.join(' OR ')})`;
}

/** The repo and language filter as ` AND …` over the given columns. */
export function filterSql(filter: IndexFilter, repoColumn: string, langColumn: string, params: SqlParams): string {
  let sql = '';
  if (filter.repoIds && filter.repoIds.length > 0) sql += ` AND ${repoColumn} = ANY(${params.add(filter.repoIds)}::int[])`;
  if (filter.languages && filter.languages.length > 0) sql += ` AND ${langColumn} = ANY(${params.add(filter.languages)}::text[])`;
  return sql;
}

/** One value of the index's key/value settings (index_meta), null when unset. */
export async function readMeta(db: PgQueryable, key: string): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM index_meta WHERE key = $1', [key]);
  return rows[0]?.value ?? null;
}
