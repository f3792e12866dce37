import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { watchServe } from '../helpers/serveProcess.js';
import { childEnv } from '../mcp/fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = ['--import', pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href];

/** Exponential for a backtracking engine on a line of word characters that ends in a non-word one. */
const CATASTROPHIC = ['^(\\w+\\s?)*$', '(a+)+$', '(a|aa)+b', '^(([a-z])+.)+[A-Z]([a-z])+$'];
/** serve's documented shutdown grace (docs/serve.md): in-flight requests 10 s, then exit within 3 s. */
const GRACE_MS = 13_000;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

let root = '';
let dataDir = '';
beforeAll(async () => {
  root = tempDir('gitlore-fault-regex-');
  dataDir = `${root}/data`;
  const evil = `${'a'.repeat(40)}!`;
  const files: Record<string, string> = { 'src/words.txt': 'hello world\nplain words only\n' };
  for (let i = 0; i < 20; i += 1)
    files[`src/evil${i}.ts`] = `// ${i}\n${evil}\n${evil.replace('!', ' !')}\nexport const x${i} = '${evil}';\n`;
  makeRepo(`${root}/upstream/evil`, files);
  const cli = (args: string[]) => runCli(args, { dataDir, env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none' }, cwd: root });
  expect((await cli(['repo', 'add', `${root}/upstream/evil`, '--name', 'evil'])).code).toBe(0);
  expect((await cli(['sync'])).code).toBe(0);
  expect((await cli(['index'])).code).toBe(0);
}, 30_000);

function spawnGitlore(args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [...TSX, MAIN, ...args], {
    cwd: root,
    env: childEnv(dataDir, { GITLORE_SYNC_INTERVAL: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

async function serve(env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnGitlore(['serve', '--port', '0', '--no-sync'], env);
  const served = watchServe(child);
  const url = await served.url;
  return { child, url };
}

/** Polls /health every 100 ms; each answer must come within 1 s. */
function pollHealth(url: string) {
  const slow: string[] = [];
  let polls = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
        await res.text();
        if (res.status !== 200) slow.push(`status ${res.status}`);
      } catch (error) {
        slow.push(`${Math.round(performance.now() - started)} ms: ${(error as Error).name}`);
      }
      polls += 1;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { polls, slow };
    },
  };
}

async function cliSearch(pattern: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string }> {
  const child = spawnGitlore(['search', pattern, '--mode', 'regex', '--limit', '50', '--json'], env);
  let stdout = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout };
}

function exitWithin(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(performance.now());
    });
  });
}

describe('fault: catastrophic regexes over HTTP, MCP and CLI while /health is polled', () => {
  it('answers every door quickly, keeps /health answering, and stops on SIGTERM within the grace', async () => {
    const { child, url } = await serve();
    const health = pollHealth(url);

    for (const pattern of CATASTROPHIC) {
      const res = await fetch(`${url}/api/search?mode=regex&limit=50&q=${encodeURIComponent(pattern)}`, {
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status, pattern).toBe(200);
      const body = (await res.json()) as { results: { path: string; startLine: number }[]; partial?: boolean };
      expect(body.partial, pattern).toBeUndefined();
      if (pattern === CATASTROPHIC[0]) expect(body.results.map((r) => `${r.path}:${r.startLine}`)).toContain('src/words.txt:1');
    }

    const client = new Client({ name: 'regex-fault', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
    try {
      for (const pattern of CATASTROPHIC) {
        const result = await client.callTool({ name: 'search_code', arguments: { query: pattern, mode: 'regex' } }, undefined, {
          timeout: 10_000,
        });
        expect(result.isError, pattern).toBeFalsy();
      }
      const refused = await client.callTool({ name: 'search_code', arguments: { query: '(a)\\1', mode: 'regex' } }, undefined, {
        timeout: 10_000,
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/backreferences.*RE2 syntax/);
    } finally {
      await client.close();
    }

    const cli = await cliSearch(CATASTROPHIC[0] as string);
    expect(cli.code).toBe(0);
    expect((JSON.parse(cli.stdout) as { results: unknown[] }).results.length).toBeGreaterThan(0);

    const { polls, slow } = await health.stop();
    expect(polls).toBeGreaterThan(5);
    expect(slow).toEqual([]);

    // SIGTERM while a scan is in flight: the process ends within the documented grace.
    const inFlight = fetch(`${url}/api/search?mode=regex&q=${encodeURIComponent(CATASTROPHIC[1] as string)}`).catch(() => null);
    await new Promise((r) => setTimeout(r, 50));
    const signalled = performance.now();
    child.kill('SIGTERM');
    const exitedAt = await exitWithin(child, GRACE_MS + 2000);
    await inFlight;
    expect(exitedAt, 'serve did not exit after SIGTERM').not.toBeNull();
    expect((exitedAt as number) - signalled).toBeLessThan(GRACE_MS);
  }, 60_000);

  it('returns the hits found so far marked partial when the time budget runs out, at every door', async () => {
    const budget = { GITLORE_SEARCH_TIMEOUT_MS: '1' };
    const cli = await cliSearch('a+!', budget);
    expect(cli.code).toBe(0);
    const body = JSON.parse(cli.stdout) as { partial?: boolean; partialReason?: string; results: unknown[] };
    expect(body).toMatchObject({ partial: true, partialReason: expect.stringMatching(/time budget of 1 ms/) });

    const { url } = await serve(budget);
    const res = await fetch(`${url}/api/search?mode=regex&q=${encodeURIComponent('a+!')}`, { signal: AbortSignal.timeout(10_000) });
    expect(await res.json()).toMatchObject({ partial: true, partialReason: expect.stringMatching(/time budget of 1 ms/) });
    const client = new Client({ name: 'regex-fault', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
    try {
      const result = await client.callTool({ name: 'search_code', arguments: { query: 'a+!', mode: 'regex' } }, undefined, {
        timeout: 10_000,
      });
      expect(result.structuredContent).toMatchObject({ partial: true });
      expect(JSON.stringify(result.content)).toMatch(/Partial results: the time budget of 1 ms/);
    } finally {
      await client.close();
    }
  }, 40_000);
});
