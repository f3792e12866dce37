import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { recoverCorruptDatabase } from './indexRecover.js';
import { openSqliteStore } from './sqliteStore.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database with `repos` registered repositories (long descriptions, so they span many pages) and one token. */
async function databaseWith(repos: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gitlore-recover-'));
  dirs.push(dir);
  const path = join(dir, 'gitlore.db');
  const store = openSqliteStore(path, { vectorIndexDir: null });
  for (let i = 0; i < repos; i++) {
    const name = `repo${String(i).padStart(3, '0')}`;
    await store.repos.upsert({
      name,
      sourceType: 'local',
      sourceKey: name,
      fullName: name,
      cloneUrl: `/src/${name}`,
      localPath: `/clones/${name}`,
      description: 'd'.repeat(400),
    });
  }
  await store.tokens.create({ name: 'ci', prefix: 'glt_ab', hash: 'a'.repeat(64) });
  await store.chats.appendTurn(
    { id: 'thread-0123456789abcd', title: 'q', owner: 'local' },
    {
      question: 'q',
      repos: [],
      answer: 'a',
      citations: [],
      commits: [],
      steps: [],
      droppedCitations: 0,
      model: 'm',
      usage: { inputTokens: 1, outputTokens: 1 },
      tookMs: 1,
    },
  );
  await store.close();
  return path;
}

/** The leaf pages of a table (0-based), and garbage written over one of them. */
function leafPages(path: string, table: string): number[] {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db
    .prepare("SELECT pageno - 1 FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all(table) as number[];
  db.close();
  return pages;
}
function damage(path: string, page: number): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, page * 4096);
  closeSync(fd);
}

describe('recoverCorruptDatabase', () => {
  it('leaves a sound database alone', async () => {
    const path = await databaseWith(1);
    expect(recoverCorruptDatabase(path)).toMatchObject({ recovered: false });
  });

  it('keeps the rows on both sides of a damaged page, counts the lost ones and leaves the index to the rebuild', async () => {
    const path = await databaseWith(120);
    const leaves = leafPages(path, 'repos');
    expect(leaves.length).toBeGreaterThan(4);
    damage(path, leaves[Math.floor(leaves.length / 2)] as number);

    const result = recoverCorruptDatabase(path);
    expect(result).toMatchObject({ recovered: true, nothingReadable: false, kept: { api_tokens: 1, chat_threads: 1, chat_turns: 1 } });
    expect(result.movedTo).toMatch(/gitlore\.db\.corrupt-/);
    expect(result.rebuilt).toEqual(expect.arrayContaining(['index_files', 'index_chunks', 'history_commits']));
    // A page holds a handful of these rows: the rest, before and after it, come back.
    const kept = result.kept.repos as number;
    expect(kept).toBeGreaterThan(100);
    expect(kept + (result.lost.repos as number)).toBe(120);

    const store = openSqliteStore(path, { vectorIndexDir: null });
    const names = (await store.repos.list()).map((r) => r.name);
    await store.close();
    expect(names).toHaveLength(kept);
    expect(names).toContain('repo000');
    expect(names).toContain('repo119');
  });
});
