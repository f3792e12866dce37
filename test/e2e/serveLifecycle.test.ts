import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { addRepo } from '../../src/core/repos.js';
import { type GitHttpServer, startGitHttpServer } from '../fakes/gitHttpServer.js';
import { commitFiles, git } from '../helpers/git.js';
import { watchServe } from '../helpers/serveProcess.js';
import { childEnv, makeFixture, openTestApp } from '../mcp/fixture.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = ['--import', pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href];

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** Spawns `gitlore serve --port 0` and resolves with the URL it prints once listening. */
async function serve(cwd: string, dataDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [...TSX, MAIN, 'serve', '--port', '0', ...args], {
    cwd,
    env: childEnv(dataDir, { GITLORE_SYNC_INTERVAL: '0', GITLORE_LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const served = watchServe(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const url = await served.url;
  return { child, url, stderr: served.stderr, exited };
}

// biome-ignore lint/suspicious/noExplicitAny: tests probe JSON bodies freely
async function getJson(url: string): Promise<Record<string, any>> {
  const res = await fetch(url);
  // biome-ignore lint/suspicious/noExplicitAny: tests probe JSON bodies freely
  return (await res.json()) as Record<string, any>;
}

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 60_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('gitlore serve lifecycle', () => {
  it('answers /health while the first sync is still running, and stops cleanly on SIGTERM', async () => {
    const fixture = await makeFixture();
    // A second repository behind a git HTTP server that holds every object transfer for a minute.
    const bareRoot = `${fixture.root}/bare`;
    git(fixture.root, ['clone', '-q', '--bare', fixture.originDir, `${bareRoot}/slow.git`]);
    const gitServer: GitHttpServer = await startGitHttpServer(bareRoot, { delayUploadPackMs: 60_000 });
    cleanups.push(() => gitServer.close());
    const app = await openTestApp(fixture.dataDir, fixture.root);
    await addRepo({ target: `${gitServer.url}/slow.git`, name: 'slow' }, createContext(app));
    await app.store.close();

    const served = await serve(fixture.root, fixture.dataDir);
    const health = await fetch(`${served.url}/health`);
    expect(health.status).toBe(200);
    // The clone of `slow` is stuck in the fake server, so the startup job is still syncing.
    await waitFor(async () => (gitServer.counts.get('/slow.git')?.uploadPack ?? 0) > 0, 'the clone to reach the git server');
    const status = await getJson(`${served.url}/api/sync/status`);
    expect(status.jobs.running).toMatchObject({ scope: 'all', reason: 'startup', phase: 'sync' });
    expect((await fetch(`${served.url}/health`)).status).toBe(200);
    expect((await getJson(`${served.url}/api/repos/widgets`)).name).toBe('widgets');

    const started = Date.now();
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(served.stderr()).toContain('SIGTERM: shutting down');
  });

  it('SIGTERM during an index keeps the previous index, queryable after a restart', async () => {
    const fixture = await makeFixture();
    const env = childEnv(fixture.dataDir);
    await run(process.execPath, [...TSX, MAIN, 'index'], { cwd: fixture.root, env });
    const indexedHead = fixture.head;

    // A large new commit upstream: the startup job syncs it, then spends a while indexing it
    // (the indexer does ~4 MB/s on 2 cores, so this needs to be several MB to be caught midway).
    const files: Record<string, string> = {};
    for (let i = 0; i < 6000; i++) {
      const body = Array.from({ length: 30 }, (_, j) => `  const v${j} = input * ${j} + ${i};`).join('\n');
      files[`gen/module${i}.ts`] = `export function generated${i}(input: number): number {\n${body}\n  return input;\n}\n`;
    }
    const newHead = commitFiles(fixture.originDir, files, 'generate many modules');

    const first = await serve(fixture.root, fixture.dataDir);
    const indexing = await waitFor(
      async () => {
        const running = (await getJson(`${first.url}/api/sync/status`)).jobs.running;
        return running?.phase === 'index' && running.progress?.filesTotal ? running : null;
      },
      'the index phase',
      120_000,
    );
    // Progress is visible while it runs.
    expect(indexing.progress).toMatchObject({ repo: 'widgets', reposTotal: 1 });
    expect(indexing.progress.filesTotal).toBeGreaterThanOrEqual(6000);
    // Queries keep answering from the last complete index while the repository is re-indexed.
    const during = await getJson(`${first.url}/api/search?q=parseWidget`);
    expect((during.results as { path: string }[]).some((h) => h.path === 'src/parse.ts')).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await serve(fixture.root, fixture.dataDir, ['--no-sync']);
    const index = await getJson(`${second.url}/api/index/status`);
    const widgets = (index.repos as { repo: string; commit: string | null }[]).find((r) => r.repo === 'widgets');
    expect(widgets?.commit).toBe(indexedHead);
    expect(widgets?.commit).not.toBe(newHead);
    const search = await getJson(`${second.url}/api/search?q=parseWidget`);
    expect((search.results as { path: string }[]).some((h) => h.path === 'src/parse.ts')).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
