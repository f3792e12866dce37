import pg from 'pg';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { stripUrlCredentials } from '../../shared/urlCredentials.js';

/** Anything that runs a query: the pool, or the one client of a transaction. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The PostgreSQL connection every store of one `openPostgresStore` shares. */
export interface PgDb {
  readonly pool: pg.Pool;
  /** `postgres://host:port/db` without credentials, for messages. */
  readonly where: string;
  rows<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  row<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R | null>;
  /** Runs `work` in one transaction on one client (of its own: COPY streams through it); rolled back when it throws. */
  tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A schema change; ids are namespaced by domain (`repos-001`) and applied once, in array order. */
export interface PgMigration {
  id: string;
  up: (client: PgQueryable) => Promise<void>;
}

// bigint (count(*), sum) and numeric come back as strings by default; every value gitlore stores fits a double.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export async function openPgDatabase(url: string, options: { max?: number } = {}): Promise<PgDb> {
  const where = stripUrlCredentials(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    application_name: 'gitlore',
    connectionTimeoutMillis: 15_000,
  });
  // An idle client that loses its server (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw connectError(where, error);
  }
  return {
    pool,
    where,
    async rows(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async row(text, params) {
      return (await pool.query(text, params)).rows[0] ?? null;
    },
    async tx(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** One line naming what to fix; the URL is shown without its password. */
export function connectError(where: string, error: unknown): GitloreError {
  const err = error as { code?: string; message?: string };
  const reason = err.code === 'ECONNREFUSED' ? 'connection refused' : (err.message ?? String(error)).split('\n')[0];
  const hint =
    err.code === '28P01' || err.code === '28000'
      ? 'Check the user and password in DATABASE_URL.'
      : err.code === '3D000'
        ? 'Create the database first (createdb), or point DATABASE_URL at one that exists.'
        : 'Check that PostgreSQL is running and that DATABASE_URL names its host, port and database.';
  return new GitloreError(ERROR_CODES.NOT_CONFIGURED, `Cannot connect to PostgreSQL at ${where}: ${reason}.`, { hint, cause: error });
}

/**
 * Applies the migrations not yet recorded, all in one transaction (PostgreSQL's DDL is transactional: a failure
 * leaves the schema as it was); several processes starting at once apply each exactly once.
 */
export async function migratePg(db: PgDb, migrations: readonly PgMigration[]): Promise<void> {
  await db.tx(async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('gitlore.migrate'))`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      try {
        await migration.up(client);
      } catch (error) {
        throw migrationError(migration.id, error);
      }
      await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [migration.id, new Date().toISOString()]);
    }
  });
}

function migrationError(id: string, error: unknown): GitloreError {
  const err = error as { code?: string; message?: string };
  // 42501: permission denied (CREATE EXTENSION needs a superuser or the database owner for trusted extensions).
  const hint =
    err.code === '42501' || /extension/i.test(err.message ?? '')
      ? 'Run `CREATE EXTENSION vector; CREATE EXTENSION pg_trgm;` as a superuser in this database (pgvector must be installed on the server), then start gitlore again.'
      : 'The database was left as it was before this migration; fix the cause and start gitlore again.';
  return new GitloreError(ERROR_CODES.STORE_CORRUPT, `PostgreSQL migration ${id} failed: ${err.message ?? String(error)}.`, {
    hint,
    cause: error,
  });
}
