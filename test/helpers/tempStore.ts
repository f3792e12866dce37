import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqliteStore.js';

/**
 * SQLite stores in temp folders, each with one registered repository; closed and deleted after every test
 * of the file that calls this.
 */
export function useTempStores(prefix: string): () => Promise<{ store: Store; repoId: number }> {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    const store = openSqliteStore(join(dir, 'gitlore.db'));
    stores.push(store);
    const repo = await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir });
    return { store, repoId: repo.id };
  };
}
