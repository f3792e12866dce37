import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, inject } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { openStore } from '../../src/store/openStore.js';

export type Backend = 'sqlite' | 'postgres';
/** Every store test runs over both (`describe.each(BACKENDS)`). */
export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database on the run's PostgreSQL cluster; its URL and what drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gitlore_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
  return { url, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface BackendStore {
  store: Store;
  /** Open another store on the same database (another process's view). */
  reopen(): Promise<Store>;
  /** The data folder (clones live in `repos/` under it). */
  dir: string;
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
    const open = async () => {
      const store = await openStore({ dbPath: join(dir, 'index', 'gitlore.db'), databaseUrl, reposPath: join(dir, 'repos') });
      cleanups.push(() => store.close());
      return store;
    };
    return { store: await open(), reopen: open, dir };
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
