import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstream, gitOut, spawnCli, type Upstream } from '../fakes/gitHttpFixtures.js';
import { type GitHttpServer, startGitHttpServer } from '../fakes/gitHttpServer.js';
import { runCli } from '../helpers/cli.js';
import { git, gitEnv, tempDir } from '../helpers/git.js';
import { rng } from '../helpers/random.js';

/**
 * `kill -9` at random points of `gitlore sync` (clone, then history ingestion of a few thousand commits):
 * the next sync ends with the clone and the stored history of a clean run.
 */
const COMMITS = 3000;
const random = rng(14_31);
let root: string;
let server: GitHttpServer;
let upstream: Upstream;
let cleanLog: string;
let cleanSyncMs: number;

const envOf = (dataDir: string) => ({ GITLORE_DATA_DIR: dataDir, GITLORE_SYNC_RETRIES: '0', GITLORE_EMBEDDINGS: 'none' });
const cli = (dataDir: string, args: string[]) => runCli(args, { env: envOf(dataDir), cwd: root });

/** Every stored commit of the repository, newest first, as `gitlore log --json` prints them. */
async function storedLog(dataDir: string): Promise<string> {
  const out = await cli(dataDir, ['log', '--repo', 'big', '--limit', String(COMMITS + 10), '--json']);
  expect(out.code, out.stderr).toBe(0);
  const { total, commits } = JSON.parse(out.stdout) as { total: number; commits: unknown[] };
  return JSON.stringify({ total, commits });
}

/** `COMMITS` small commits on top of the upstream's first one, written by git fast-import (a second, not minutes). */
function addHistory(work: string): void {
  let stream = '';
  for (let i = 0; i < COMMITS; i += 1) {
    const body = `change ${i}\n`;
    const message = `Change ${i}\n`;
    const when = 1_700_000_000 + i * 60;
    stream += `commit refs/heads/main\ncommitter Dev ${i % 7} <dev${i % 7}@example.com> ${when} +0000\n`;
    stream += `data ${Buffer.byteLength(message)}\n${message}${i === 0 ? 'from refs/heads/main^0\n' : ''}`;
    stream += `M 100644 inline src/f${i % 50}.txt\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: work, input: stream, env: gitEnv() });
  git(work, ['reset', '-q', '--hard', 'main']);
  git(work, ['push', '-q', 'origin', 'HEAD:main']);
}

async function addRepo(dataDir: string): Promise<void> {
  const add = await cli(dataDir, ['repo', 'add', `${server.url}${upstream.path}`]);
  expect(add.code, add.stderr).toBe(0);
}

beforeAll(async () => {
  root = tempDir('gitlore-faults-sync-');
  upstream = createUpstream(root, 'acme', 'big');
  addHistory(upstream.work);
  server = await startGitHttpServer(join(root, 'srv'));
  const clean = join(root, 'clean');
  await addRepo(clean);
  const started = performance.now();
  const sync = await cli(clean, ['sync']);
  cleanSyncMs = performance.now() - started;
  expect(sync.code, sync.stderr).toBe(0);
  cleanLog = await storedLog(clean);
  expect(JSON.parse(cleanLog).total).toBe(COMMITS + 1);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('kill -9 at random points of gitlore sync and its history ingestion', () => {
  it('the next sync ends with the clone and the stored history of a clean run', async () => {
    for (let point = 0; point < 3; point += 1) {
      const dataDir = join(root, `killed-${point}`);
      await addRepo(dataDir);
      const child = spawnCli(['sync'], envOf(dataDir), root, { detached: true });
      child.stdout?.resume();
      child.stderr?.resume();
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      // Child start-up (tsx) takes about a second; then the clone, then the ingestion.
      const timer = setTimeout(
        () => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        },
        800 + Math.floor((random() + 0.5) * (cleanSyncMs + 1000)),
      );
      await closed;
      clearTimeout(timer);

      const again = await cli(dataDir, ['sync', '--json']);
      expect(again.code, again.stderr).toBe(0);
      const clone = join(dataDir, 'repos', 'big');
      expect(gitOut(clone, ['rev-parse', 'HEAD'])).toBe(gitOut(upstream.work, ['rev-parse', 'HEAD']));
      gitOut(clone, ['fsck', '--no-progress']);
      expect(await storedLog(dataDir)).toBe(cleanLog);
    }
  }, 60_000);
});
