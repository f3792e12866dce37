import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstream, gitOut, pushCommit, spawnCli, type Upstream } from '../fakes/gitHttpFixtures.js';
import { type GitHttpServer, startGitHttpServer } from '../fakes/gitHttpServer.js';
import { runCli as runInProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';

/** `kill -9` of a running sync (and its git children) never leaves a corrupt clone behind. */
let root: string;
let dataDir: string;
let server: GitHttpServer;
let upstream: Upstream;

const env = () => ({ GITLORE_DATA_DIR: dataDir, GITLORE_SYNC_RETRIES: '0' });
// Set-up and checks run the CLI in-process; only the sync that gets killed is a real process.
const runCli = (args: string[], vars: Record<string, string>, cwd: string) => runInProcess(args, { env: vars, cwd });

async function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `gitlore sync`, waits for `ready`, then SIGKILLs its whole process group. */
async function killDuring(ready: () => boolean): Promise<void> {
  const child = spawnCli(['sync'], env(), root, { detached: true });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.stdout?.resume();
  child.stderr?.resume();
  await until(ready);
  process.kill(-(child.pid as number), 'SIGKILL');
  await exited;
}

const temps = () => {
  const tmp = join(dataDir, 'repos', '.tmp');
  return existsSync(tmp) ? readdirSync(tmp) : [];
};

beforeAll(async () => {
  root = tempDir('gitlore-sync-kill-');
  dataDir = join(root, 'data');
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`src/file${i}.txt`] = `${'line of text\n'.repeat(50)}${i}\n`;
  upstream = createUpstream(root, 'acme', 'big', files);
  server = await startGitHttpServer(join(root, 'srv'));
  const add = await runCli(['repo', 'add', `${server.url}${upstream.path}`], env(), root);
  expect(add.code).toBe(0);
});

afterAll(async () => {
  await server?.close();
});

describe('kill -9 during sync', () => {
  it('while cloning: the half-clone stays in a temp folder, and the next sync completes with a clean clone', async () => {
    server.options.delayUploadPackMs = 5_000;
    await killDuring(() => temps().length > 0 && (server.counts.get(upstream.path)?.uploadPack ?? 0) > 0);
    expect(temps().length).toBeGreaterThan(0);
    expect(existsSync(join(dataDir, 'repos', 'big'))).toBe(false);

    server.options.delayUploadPackMs = 0;
    const again = await runCli(['sync', '--json'], env(), root);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).repos[0]).toMatchObject({ name: 'big', status: 'cloned' });
    const clone = join(dataDir, 'repos', 'big');
    expect(gitOut(clone, ['rev-parse', 'HEAD'])).toBe(gitOut(upstream.work, ['rev-parse', 'HEAD']));
    gitOut(clone, ['fsck', '--no-progress']);
    expect(gitOut(clone, ['status', '--porcelain'])).toBe('');
    expect(temps()).toEqual([]);
  });

  it('while fetching an update: the next sync brings the clone to the new head, fsck clean', async () => {
    const sha = pushCommit(upstream, { 'src/new.txt': 'new\n' }, 'new commit');
    const before = server.counts.get(upstream.path)?.uploadPack ?? 0;
    server.options.delayUploadPackMs = 5_000;
    // ls-remote is one upload-pack request; the fetch is the next ones.
    await killDuring(() => (server.counts.get(upstream.path)?.uploadPack ?? 0) >= before + 2);
    server.options.delayUploadPackMs = 0;
    const again = await runCli(['sync', '--json'], env(), root);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).repos[0]).toMatchObject({ name: 'big', status: 'updated', headCommit: sha });
    const clone = join(dataDir, 'repos', 'big');
    gitOut(clone, ['fsck', '--no-progress']);
    expect(gitOut(clone, ['status', '--porcelain'])).toBe('');
  });
});
