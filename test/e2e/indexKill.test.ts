import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../fakes/gitHttpFixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** A registered, synced repository of 1500 files (~3 KB each) and a CLI bound to its data dir. */
async function bigRepo(prefix: string) {
  const root = tempDir(prefix);
  const files: Record<string, string> = {};
  for (let i = 0; i < 1500; i += 1) {
    // ~3 KB each, so the 1 MiB batches of GITLORE_MAX_MEMORY_GB=0.05 make several transactions.
    files[`src/m${i}.ts`] =
      `/** Computes value ${i}. */\nexport function compute${i}(x: number): number {\n${'  x = x * 3 + 1;\n'.repeat(160)}  return x + ${i};\n}\n`;
  }
  makeRepo(join(root, 'big'), files);
  const env = { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none', GITLORE_MAX_MEMORY_GB: '0.05' };
  const cli = (...args: string[]) => runCli(args, { env, cwd: root });
  expect((await cli('repo', 'add', join(root, 'big'))).code).toBe(0);
  expect((await cli('sync')).code).toBe(0);
  return { root, env, cli, dbPath: join(root, 'data', 'index', 'gitlore.db') };
}

/** Polls the database (read directly) until at least one batch of `big` is committed. */
async function waitForFirstBatch(dbPath: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    expect(exited(), 'index finished before it could be stopped').toBe(false);
    expect(Date.now()).toBeLessThan(deadline);
    let files = 0;
    try {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 1000');
      files = db
        .prepare("SELECT count(*) FROM index_files f JOIN repos r ON r.id = f.repo_id WHERE r.name = 'big'")
        .pluck()
        .get() as number;
      db.close();
    } catch {
      // not created yet, or busy
    }
    if (files > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `kill -9` or Ctrl-C in the middle of `gitlore index`: what was written stays queryable, the next run resumes. */
describe('gitlore index stopped midway', () => {
  it('keeps a consistent index after kill -9 and resumes with the files still missing', async () => {
    const { root, env, cli, dbPath } = await bigRepo('gitlore-index-kill-');
    const child = spawnCli(['index'], env, root, { detached: true });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    await waitForFirstBatch(dbPath, () => exited);
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('close', r));

    const status = JSON.parse((await cli('index', 'status', '--json')).stdout).repos[0];
    expect(status).toMatchObject({ repo: 'big', status: 'indexing', commit: null });
    expect(status.files).toBeLessThan(1500);
    const partial = status.files as number;
    expect(partial).toBeGreaterThan(0);
    const hits = JSON.parse((await cli('search', 'compute', '--mode', 'symbol', '--limit', '5', '--json')).stdout).results;
    expect(hits.length).toBeGreaterThan(0);
    const resumed = await cli('index', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).repos[0]).toMatchObject({ repo: 'big', status: 'indexed', added: 1500 - partial });
    const done = JSON.parse((await cli('index', 'status', '--json')).stdout).repos[0];
    expect(done).toMatchObject({ status: 'ok', upToDate: true, files: 1500 });
  });

  it('records and reports a run stopped by Ctrl-C as cancelled (exit 130), not failed', async () => {
    const { root, env, cli, dbPath } = await bigRepo('gitlore-index-sigint-');
    const child = spawnCli(['index'], env, root);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    let exited = false;
    const closed = new Promise<number | null>((resolve) =>
      child.once('close', (code) => {
        exited = true;
        resolve(code);
      }),
    );
    await waitForFirstBatch(dbPath, () => exited);
    child.kill('SIGINT');
    expect(await closed, stderr).toBe(130);
    expect(stderr).toMatch(/index cancelled/);
    expect(stderr).not.toMatch(/failed/);

    const status = JSON.parse((await cli('index', 'status', '--json')).stdout).repos[0];
    expect(status).toMatchObject({ repo: 'big', status: 'cancelled', commit: null, errors: [] });
    expect((await cli('index', 'status')).stdout).toMatch(/^big\s+cancelled\s/m);
    const resumed = await cli('index', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).repos[0]).toMatchObject({ repo: 'big', status: 'indexed' });
  });
});
