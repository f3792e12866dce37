import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../fakes/gitHttpFixtures.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `kill -9` in the middle of `gitlore index`: what was written stays queryable, the next run resumes. */
describe('gitlore index killed midway', () => {
  it('keeps a consistent index and resumes with the files still missing', async () => {
    const root = tempDir('gitlore-index-kill-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i += 1) {
      // ~3 KB each, so the 1 MiB batches of GITLORE_MAX_MEMORY_GB=0.05 make several transactions.
      files[`src/m${i}.ts`] =
        `/** Computes value ${i}. */\nexport function compute${i}(x: number): number {\n${'  x = x * 3 + 1;\n'.repeat(160)}  return x + ${i};\n}\n`;
    }
    makeRepo(join(root, 'big'), files);
    const env = { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none', GITLORE_MAX_MEMORY_GB: '0.05' };
    const cli = (...args: string[]) => runCli(args, env, root);
    expect((await cli('repo', 'add', join(root, 'big'))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);

    const child = spawnCli(['index'], env, root, { detached: true });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    // Wait until at least one batch is committed (read the database directly), then kill -9.
    const dbPath = join(root, 'data', 'index', 'gitlore.db');
    const deadline = Date.now() + 120_000;
    for (;;) {
      expect(exited, 'index finished before it could be killed').toBe(false);
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
      if (files > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
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
});
