import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { type CliResult, runCli as runProcess, spawnCli } from '../fakes/gitHttpFixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { TOPICS, topicFiles } from '../helpers/topicCorpus.js';

/** Two gitlore writers on one data dir: one waits for the other or is refused naming it, never a silent loss. */
let root: string;
let dataDir: string;
const env = (extra: Record<string, string> = {}) => ({ GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'local', ...extra });
const cli = (args: string[]) => runCli(args, { env: env(), cwd: root });
const LOCKED_BY = /Another gitlore process \(pid \d+, `gitlore index( --full)?`, indexing since \d\d:\d\d:\d\d\) is writing to .+; wait for it or stop it/;

beforeAll(async () => {
  root = tempDir('gitlore-fault-writers-');
  dataDir = join(root, 'data');
  for (const name of ['alpha', 'beta']) {
    makeRepo(join(root, 'up', name), topicFiles(TOPICS.slice(0, 8), name));
    expect((await cli(['repo', 'add', join(root, 'up', name), '--name', name])).code).toBe(0);
  }
  expect((await cli(['sync'])).code).toBe(0);
});

/** Each run either succeeded or was refused with LOCKED naming the holder; afterwards every chunk has its vector. */
async function expectNoLoss(runs: CliResult[]): Promise<void> {
  for (const run of runs) {
    expect(run.stderr).not.toMatch(/database is locked/);
    if (run.code !== 0) expect(run.stderr).toMatch(LOCKED_BY);
  }
  expect(runs.some((run) => run.code === 0)).toBe(true);
  const status = JSON.parse((await cli(['index', 'status', '--json'])).stdout) as {
    repos: { repo: string; status: string; chunks: number; embeddedShare: number }[];
  };
  expect(status.repos.map((r) => [r.repo, r.status, r.chunks > 0, r.embeddedShare])).toEqual([
    ['alpha', 'ok', true, 1],
    ['beta', 'ok', true, 1],
  ]);
}

describe('fault: concurrent writers on one data dir', () => {
  it('two `index` at once, then two `index --full` at once: the second waits for the first; no repository fails, no vector is lost', async () => {
    // Before the fix: one run failed a repository with a bare "database is locked" (exit 1); full runs could both
    // succeed with most chunks left without vectors.
    await expectNoLoss(await Promise.all([1, 2].map(() => runProcess(['index'], env(), root))));
    await expectNoLoss(await Promise.all([1, 2].map(() => runProcess(['index', '--full'], env(), root))));
  }, 60_000);

  it('refuses at once with LOCKED naming the holder, or waits for it when GITLORE_LOCK_WAIT allows', async () => {
    const store = openSqliteStore(join(dataDir, 'index', 'gitlore.db'));
    try {
      const lease = await store.writer.acquire({ command: 'gitlore index --full', task: 'indexing', waitMs: 0 });
      const refused = await runProcess(['index'], env({ GITLORE_LOCK_WAIT: '0' }), root);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`Another gitlore process \\(pid ${process.pid}, \`gitlore index --full\`, indexing since`));

      const waiter = spawnCli(['index'], env({ GITLORE_LOCK_WAIT: '30' }), root);
      let stderr = '';
      waiter.stderr?.on('data', (d) => {
        stderr += String(d);
      });
      waiter.stdout?.resume();
      const exited = new Promise<number | null>((resolve) => waiter.on('close', resolve));
      await until(() => /waiting up to 30s/.test(stderr));
      await lease.release();
      expect(await exited).toBe(0);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('takes over the lock of a writer killed with kill -9', async () => {
    const child = spawnCli(['index', '--full'], env(), root, { detached: true });
    child.stdout?.resume();
    child.stderr?.resume();
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    await until(() => existsSync(join(dataDir, 'index', 'writer.json')));
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    // Killed while holding the lock: its record stays behind, the lock itself does not.
    expect(existsSync(join(dataDir, 'index', 'writer.json'))).toBe(true);

    const started = Date.now();
    const next = await runProcess(['index', '--full'], env({ GITLORE_LOCK_WAIT: '0' }), root);
    expect(next.code, next.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    await expectNoLoss([next]);
  }, 60_000);
});

async function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
