import Database from 'better-sqlite3';
import type { PgDb, PgQueryable } from './database.js';

/** What copying one table did: rows in SQLite, rows written now (new ones), rows in PostgreSQL afterwards. */
export interface TableCopy {
  table: string;
  source: number;
  copied: number;
  target: number;
}

export interface SqliteCopyReport {
  tables: TableCopy[];
  /** SQLite tables left for the index rebuild, which derives them from the clones. */
  rebuilt: string[];
  /** SQLite tables (not full-text shadows, not rebuilt) PostgreSQL has no table for: their rows were not copied. */
  notCopied: string[];
}

/**
 * Tables of the code index that the target derives from the clones rather than copying: their rows hold SQLite's
 * own tokens and full-text layout (FTS5, trigram words), which PostgreSQL indexes differently. Vectors are copied
 * (they are the expensive part to recompute) and found again by chunk hash.
 */
const REBUILT = new Set([
  'index_repos',
  'index_files',
  'index_chunks',
  'index_symbols',
  'index_files_next',
  // The diff index's terms live in FTS5 on SQLite; the next index run builds PostgreSQL's from the clones.
  'history_diffs',
  'history_diff_commits',
]);

/** PostgreSQL columns whose SQLite column has another name (table → PostgreSQL column → SQLite column). */
const SQLITE_NAMES: Record<string, Record<string, string>> = { index_vectors: { embedding: 'vector' } };
const sqliteName = (table: string, column: string) => SQLITE_NAMES[table]?.[column] ?? column;

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const maxRows = (columns: number) => Math.max(1, Math.floor(60_000 / columns));

interface PgColumn {
  name: string;
  type: string;
}

async function pgColumns(db: PgDb): Promise<Map<string, PgColumn[]>> {
  const rows = await db.rows<{ table_name: string; column_name: string; udt_name: string; is_generated: string }>(
    `SELECT table_name, column_name, udt_name, is_generated FROM information_schema.columns
     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const tables = new Map<string, PgColumn[]>();
  for (const row of rows) {
    if (row.is_generated === 'ALWAYS') continue;
    const columns = tables.get(row.table_name) ?? [];
    columns.push({ name: row.column_name, type: row.udt_name });
    tables.set(row.table_name, columns);
  }
  return tables;
}

/** A SQLite value as the PostgreSQL column takes it: 0/1 → boolean, float32 blob → pgvector text. */
function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'bool') return value === 1 || value === true;
  if (type === 'vector' && Buffer.isBuffer(value)) {
    const floats = new Float32Array(value.buffer, value.byteOffset, value.byteLength / 4);
    return `[${Array.from(floats).join(',')}]`;
  }
  return value;
}

async function copyTable(
  sqlite: Database.Database,
  client: PgQueryable,
  table: string,
  columns: PgColumn[],
  sqliteColumns: Set<string>,
): Promise<number> {
  const shared = columns.filter((c) => sqliteColumns.has(sqliteName(table, c.name)));
  const names = shared.map((c) => `"${c.name}"`).join(', ');
  const select = sqlite.prepare(`SELECT ${shared.map((c) => `"${sqliteName(table, c.name)}"`).join(', ')} FROM "${table}"`).raw(true);
  const batch = maxRows(shared.length);
  let copied = 0;
  let rows: unknown[][] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const params = rows.flatMap((row) => row.map((value, i) => convert(value, shared[i].type)));
    const values = rows.map((_, r) => `(${shared.map((_c, i) => `$${r * shared.length + i + 1}`).join(', ')})`).join(', ');
    const result = await client.query(`INSERT INTO "${table}" (${names}) VALUES ${values} ON CONFLICT DO NOTHING`, params);
    copied += result.rowCount ?? 0;
    rows = [];
  };
  for (const row of select.iterate() as Iterable<unknown[]>) {
    rows.push(row);
    if (rows.length >= batch) await flush();
  }
  await flush();
  // Rows came with their ids; the identity must continue after them. Asked first, apart: in one statement
  // PostgreSQL types `max(id)` even for a table whose id is text (users, chat threads) and refuses it.
  if (shared.some((c) => c.name === 'id')) {
    const sequence = (await client.query<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [table])).rows[0]?.seq;
    if (sequence) await client.query(`SELECT setval($1, GREATEST((SELECT max(id) FROM "${table}"), 1))`, [sequence]);
  }
  return copied;
}

/**
 * Copies every table of the SQLite database at `sqlitePath` that the PostgreSQL schema also has (same names, the
 * columns both have), in SQLite's creation order (parents before children), keeping ids; rows already there are
 * kept, so running it again copies only what is new. One transaction: a failure leaves PostgreSQL as it was.
 */
export async function copySqliteIntoPostgres(
  sqlitePath: string,
  db: PgDb,
  options: { onTable?: (table: string) => void } = {},
): Promise<SqliteCopyReport> {
  const sqlite = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const target = await pgColumns(db);
    const names = (where: string) =>
      (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND ${where} ORDER BY rowid`).all() as { name: string }[]).map(
        (t) => t.name,
      );
    const tables = names(`sql NOT LIKE 'CREATE VIRTUAL%'`);
    const virtual = names(`sql LIKE 'CREATE VIRTUAL%'`);
    // SQLite's own bookkeeping: full-text shadow tables, AUTOINCREMENT counters, the migration log.
    const internal = (table: string) =>
      table === 'schema_migrations' || table === 'sqlite_sequence' || virtual.some((v) => table.startsWith(`${v}_`));
    const report: SqliteCopyReport = { tables: [], rebuilt: [], notCopied: [] };
    await db.tx(async (client) => {
      for (const table of tables) {
        if (REBUILT.has(table)) {
          report.rebuilt.push(table);
          continue;
        }
        const columns = target.get(table);
        if (internal(table)) continue;
        if (!columns) {
          report.notCopied.push(table);
          continue;
        }
        options.onTable?.(table);
        const sqliteColumns = new Set((sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name));
        const source = (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
        const copied = await copyTable(sqlite, client, table, columns, sqliteColumns);
        const count = (await client.query<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n;
        report.tables.push({ table, source, copied, target: count });
      }
      // SQLite's message index (FTS5) is not copied: PostgreSQL builds its own from the copied commits on the first
      // message search, which it would skip if the copied progress marker said the work was done.
      await client.query('UPDATE history_state SET fts_max_id = 0');
    });
    return report;
  } finally {
    sqlite.close();
  }
}
