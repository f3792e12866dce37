import { closeSync, openSync, readdirSync, truncateSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/core/apiTokens.js';
import { openSqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { createSqliteWriterLock } from '../../src/store/sqlite/writerLock.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

const PAGE = 4096;

/**
 * A data dir with one synced, indexed repository and the given API tokens; returns the tokens' secrets and the
 * (0-based) pages of the tokens table and of the middle of the indexed file contents.
 */
async function indexedDataDir(tokens: string[], indexArgs: string[] = []) {
  const root = tempDir('gitlore-fault-corrupt-');
  const dataDir = `${root}/data`;
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++)
    files[`src/f${i}.ts`] = `export function fn${i}(a: number) {\n  return a * ${i};\n}\n// ${'lorem ipsum '.repeat(200)}\n`;
  makeRepo(`${root}/upstream`, files);
  const cli = (args: string[]) => runCli(args, { dataDir, env: { GITLORE_EMBEDDINGS: 'local' }, cwd: root });
  expect((await cli(['repo', 'add', `${root}/upstream`, '--name', 'up'])).code).toBe(0);
  expect((await cli(['sync'])).code).toBe(0);
  expect((await cli(['index', ...indexArgs])).code).toBe(0);
  const secrets: string[] = [];
  for (const name of tokens) secrets.push(JSON.parse((await cli(['token', 'create', '--name', name, '--json'])).stdout).token);
  const dbPath = `${dataDir}/index/gitlore.db`;
  // Everything in the main file, so the damage below is all there is.
  const db = new Database(dbPath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rootPage = (table: string) => (db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number) - 1;
  const leaves = db
    .prepare("SELECT pageno - 1 FROM dbstat WHERE name = 'index_files' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  const pages = { tokens: rootPage('api_tokens'), fileContent: leaves[Math.floor(leaves.length / 2)] as number };
  db.close();
  return { cli, dataDir, dbPath, secrets, pages };
}

/** Overwrites whole pages with garbage, as a bad sector or a torn write would. */
function damagePages(dbPath: string, firstPage: number, count: number): void {
  const fd = openSync(dbPath, 'r+');
  const junk = Buffer.alloc(count * PAGE, 0xab);
  writeSync(fd, junk, 0, junk.length, firstPage * PAGE);
  closeSync(fd);
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

describe('fault: a corrupt page in the database', () => {
  it('index fails with one STORE_CORRUPT line; index --full keeps the repositories and tokens, and the tokens still authenticate', async () => {
    // Lexical index only, so the next run learns the embedding model from every indexed file.
    const { cli, dataDir, dbPath, secrets, pages } = await indexedDataDir(['ci'], ['--no-embeddings']);
    damagePages(dbPath, pages.fileContent, 1);

    // Before the fix: exit 0, "embeddings failed (…corrupt…); lexical and symbol search work".
    const index = await cli(['index']);
    expect(index.code, index.stdout + index.stderr).toBe(1);
    expect(lastLine(index.stderr)).toMatch(/^gitlore: The index database \S+gitlore\.db is corrupt .*gitlore index --full/);
    expect(index.stdout).not.toMatch(/search work/);

    // Before the fix: the token was dropped without a word.
    const full = await cli(['index', '--full']);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stderr).toMatch(
      /set it aside as \S+gitlore\.db\.corrupt-\S+\. Kept 1 registered repositories, 1 API tokens, 1 audit events\./,
    );
    expect(readdirSync(`${dataDir}/index`).some((f) => /^gitlore\.db\.corrupt-/.test(f))).toBe(true);

    const store = openSqliteStore(dbPath, { vectorIndexDir: null });
    try {
      expect(await store.tokens.findActiveByHash(hashToken(secrets[0] as string))).toMatchObject({ name: 'ci' });
    } finally {
      await store.close();
    }
    const after = await cli(['search', 'fn3', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/src\/f3\.ts/);
  });

  it('says which API tokens it could not keep when their own page is damaged', async () => {
    const { cli, dbPath, pages } = await indexedDataDir(['ci', 'laptop']);
    damagePages(dbPath, pages.tokens, 1);

    // Before the fix: "kept 1 registered repositories", and both tokens gone unsaid.
    const full = await cli(['index', '--full']);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stderr).toMatch(
      /Kept 1 registered repositories, 0 API tokens, 2 audit events, 1 rows of artifacts\. Could not keep 2 API tokens: register or create them again\./,
    );
    expect((await cli(['repo', 'list'])).stdout).toMatch(/^up /m);
  });

  it('a zero-byte database: every command says so, and index --full sets it aside saying nothing could be kept', async () => {
    const { cli, dataDir, dbPath } = await indexedDataDir(['ci']);
    truncateSync(dbPath, 0);

    // Before the fix: exit 0, "no repositories registered", the registration and token silently gone.
    const list = await cli(['repo', 'list']);
    expect(list.code).toBe(1);
    expect(lastLine(list.stderr)).toMatch(
      /gitlore: The database \S+ is empty \(0 bytes\): its repositories and API tokens are gone\. Run `gitlore index --full`/,
    );

    const full = await cli(['index', '--full']);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stderr).toMatch(/it is empty: 0 bytes.*Nothing in it could be read, so no repositories or API tokens were kept/);
    expect(readdirSync(`${dataDir}/index`).some((f) => /^gitlore\.db\.corrupt-/.test(f))).toBe(true);
    expect((await cli(['repo', 'list'])).code).toBe(0);
  });

  it('does not set the database aside while another writer holds the lock', async () => {
    const { cli, dataDir, dbPath } = await indexedDataDir([]);
    truncateSync(dbPath, 0);
    const held = await createSqliteWriterLock(dbPath).acquire({ command: 'gitlore sync', task: 'syncing', waitMs: 0 });
    try {
      const full = await runCli(['index', '--full'], { dataDir, env: { GITLORE_EMBEDDINGS: 'local', GITLORE_LOCK_WAIT: '0' } });
      expect(full.code, full.stderr).toBe(1);
      expect(lastLine(full.stderr)).toMatch(/Another gitlore process \(pid \d+, `gitlore sync`, syncing since .*\) is writing to/);
      expect(readdirSync(`${dataDir}/index`).some((f) => /^gitlore\.db\.corrupt-/.test(f))).toBe(false);
    } finally {
      await held.release();
    }
    expect((await cli(['index', '--full'])).code).toBe(0);
  });
});
