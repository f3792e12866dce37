import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, inject } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { openStore } from '../../src/store/openStore.js';

export type Backend = 'sqlite' | 'postgres';
/** Every store test runs over both (`describe.each(BACKENDS)`). */
export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

async function adminQuery(sql: string): Promise<void> {
  await runOn(inject('postgresUrl'), sql);
}

async function runOn(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A new empty database on the run's PostgreSQL cluster; its URL and what drops it. Its collation is ICU's en-US, as on
 * many servers, not the cluster's C: text order and case folding that differ from SQLite's show up in tests.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gitlore_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
  const url = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
  return { url, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface BackendStore {
  store: Store;
  /** Open another store on the same database (another process's view). */
  reopen(): Promise<Store>;
  /** The data folder (clones live in `repos/` under it). */
  dir: string;
  /** Runs one SQL statement straight on the database, answering its rows (no port has it, e.g. deleting a user to see what cascades). */
  sql(statement: string): Promise<Record<string, unknown>[]>;
}

/**
 * Opens stores of `backend` on a fresh database (SQLite: a temp file; PostgreSQL: a new database on the run's
 * cluster); each is closed and removed after every test of the file that calls this.
 */
export function useBackendStores(backend: Backend): () => Promise<BackendStore> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), `gitlore-${backend}-`));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (backend === 'postgres') {
      const database = await createTestDatabase();
      databaseUrl = database.url;
      cleanups.push(database.drop);
    }
    const dbPath = join(dir, 'index', 'gitlore.db');
    const open = async () => {
      const store = await openStore({ dbPath, databaseUrl, reposPath: join(dir, 'repos') });
      cleanups.push(() => store.close());
      return store;
    };
    const sql = async (statement: string) => {
      if (databaseUrl) return runOn(databaseUrl, statement);
      const db = new Database(dbPath);
      try {
        db.pragma('foreign_keys = ON');
        const prepared = db.prepare(statement);
        if (prepared.reader) return prepared.all() as Record<string, unknown>[];
        prepared.run();
        return [];
      } finally {
        db.close();
      }
    };
    return { store: await open(), reopen: open, dir, sql };
  };
}

/**
 * A store of `backend` kept as long as the caller wants (a suite's beforeAll … afterAll, or one test), for suites
 * that build a fixture once and ask it many things; `close` closes it and drops its PostgreSQL database.
 */
export async function openBackendStore(
  backend: Backend,
  options: { dbPath: string; reposPath?: string },
): Promise<{ store: Store; close: () => Promise<void> }> {
  const database = backend === 'postgres' ? await createTestDatabase() : null;
  const store = await openStore({ ...options, databaseUrl: database?.url });
  return {
    store,
    async close() {
      await store.close();
      await database?.drop();
    },
  };
}
