import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from './database.js';
import { createWalCheckpointer } from './walCheckpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openTemp(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gitlore-wal-'));
  dirs.push(dir);
  const path = join(dir, 'test.db');
  const db = openDatabase(path);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { db, path };
}

const autocheckpoint = (db: Db) => db.pragma('wal_autocheckpoint', { simple: true });

function writeMegabytes(db: Db, mb: number): void {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const row = 'x'.repeat(64 * 1024);
  db.transaction(() => {
    for (let i = 0; i < mb * 16; i += 1) insert.run(row);
  })();
}

describe('WAL checkpointer', () => {
  it('turns the writer’s automatic checkpoint off while a run lasts and copies the WAL into the file from its own thread', async () => {
    const { db, path } = openTemp();
    const begin = createWalCheckpointer(db);
    const end = await begin();
    expect(autocheckpoint(db)).toBe(0);
    writeMegabytes(db, 8);
    // The writer did not checkpoint; the background connection does within a few intervals.
    const deadline = Date.now() + 5000;
    while (statSync(path).size < 8 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    await end();
    expect(autocheckpoint(db)).toBe(1000);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(128);
    // The WAL such a run grew is cut back to 32 MB at its next reset.
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(32 * 1024 * 1024);
    db.close();
  });

  it('nests: the checkpoint stays off until the last run ends, and ending twice counts once', async () => {
    const { db } = openTemp();
    const begin = createWalCheckpointer(db);
    const endOuter = await begin();
    const endInner = await begin();
    await endInner();
    await endInner();
    expect(autocheckpoint(db)).toBe(0);
    await endOuter();
    expect(autocheckpoint(db)).toBe(1000);
    db.close();
  });

  it('leaves an in-memory database alone', async () => {
    const db = openDatabase(':memory:');
    const end = await createWalCheckpointer(db)();
    expect(autocheckpoint(db)).toBe(1000);
    await end();
    db.close();
  });
});
