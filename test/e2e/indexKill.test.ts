import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../fakes/gitHttpFixtures.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `kill -9` in the middle of `gitlore index`: what was written stays queryable, the next run resumes. */
describe('gitlore index killed midway', () => {
  it('keeps a consistent index and resumes with the files still missing', async () => {
    const root = tempDir('gitlore-index-kill-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i += 1) {
      files[`src/m${i}.ts`] =
        `/** Computes value ${i}. */\nexport function compute${i}(x: number): number {\n${'  x = x * 3 + 1;\n'.repeat(30)}  return x + ${i};\n}\n`;
    }
    makeRepo(join(root, 'big'), files);
    const env = { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none', GITLORE_MAX_MEMORY_GB: '0.05' };
    const cli = (...args: string[]) => runCli(args, env, root);
    expect((await cli('repo', 'add', join(root, 'big'))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);

    const child = spawnCli(['index'], env, root, { detached: true });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress: ${stderr}`)), 120_000);
      child.stderr?.on('data', (chunk) => {
        stderr += chunk;
        const match = /big: (\d+)\/1500 files/.exec(stderr.split('\n').filter(Boolean).at(-1) ?? '');
        if (match && Number(match[1]) >= 200 && Number(match[1]) < 1500) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        reject(new Error(`index finished before it could be killed: ${stderr}`));
      });
    });
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('close', r));

    const status = JSON.parse((await cli('index', 'status', '--json')).stdout).repos[0];
    expect(status).toMatchObject({ repo: 'big', status: 'indexing', commit: null });
    expect(status.files).toBeLessThan(1500);
    const partial = status.files as number;
    if (partial > 0) {
      const hits = JSON.parse((await cli('search', 'compute', '--mode', 'symbol', '--limit', '5', '--json')).stdout).results;
      expect(hits.length).toBeGreaterThan(0);
    }
    const resumed = await cli('index', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).repos[0]).toMatchObject({ repo: 'big', status: 'indexed', added: 1500 - partial });
    const done = JSON.parse((await cli('index', 'status', '--json')).stdout).repos[0];
    expect(done).toMatchObject({ status: 'ok', upToDate: true, files: 1500 });
  });
});
