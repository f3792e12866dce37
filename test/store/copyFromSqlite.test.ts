import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copySqliteStoreToPostgres, openStore, type Store } from '../../src/store/index.js';
import { createTestDatabase } from '../helpers/backends.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function opened(options: Parameters<typeof openStore>[0]): Promise<Store> {
  const store = await openStore(options);
  cleanups.push(() => store.close());
  return store;
}

describe('gitlore migrate --to postgres:// copying the SQLite store', () => {
  it('carries the learned model over byte for byte (BLOB → bytea), with its version, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitlore-copy-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'index', 'gitlore.db');
    const sqlite = await opened({ dbPath });
    const model = Buffer.concat([Buffer.from('{"magic":"GLCV1"}\n'), Buffer.alloc(64), randomBytes(2 * 1024 * 1024)]);
    expect(await sqlite.artifacts.put('codevec', model, null)).toBe(1);
    expect(await sqlite.artifacts.put('codevec', model, 1)).toBe(2);

    const target = await createTestDatabase();
    cleanups.push(target.drop);
    const report = await copySqliteStoreToPostgres({ dbPath, databaseUrl: target.url });
    expect(report.tables.find((t) => t.table === 'artifacts')).toEqual({ table: 'artifacts', source: 1, copied: 1, target: 1 });
    expect(report.notCopied).not.toContain('artifacts');

    const postgres = await opened({ dbPath, databaseUrl: target.url });
    const copied = await postgres.artifacts.get('codevec');
    expect(copied?.version).toBe(2);
    expect(copied?.bytes.equals(model)).toBe(true);
    // The next write there continues from the copied version.
    expect(await postgres.artifacts.put('codevec', Buffer.from('next'), 2)).toBe(3);

    const again = await copySqliteStoreToPostgres({ dbPath, databaseUrl: target.url });
    expect(again.tables.find((t) => t.table === 'artifacts')?.copied).toBe(0);
    expect((await postgres.artifacts.get('codevec'))?.bytes.toString()).toBe('next');
  });
});
