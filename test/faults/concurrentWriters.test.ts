import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli as runProcess, spawnCli } from '../fakes/gitHttpFixtures.js';
import { type FakeOllamaServer, startFakeOllama } from '../fakes/ollamaServer.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { TOPICS, topicFiles } from '../helpers/topicCorpus.js';

/** Two gitlore writers on one data dir: one waits for the other or is refused naming it, never a silent loss. */
let root: string;
let dataDir: string;
const REPOS = ['r0', 'r1', 'r2', 'r3'];
const children: ChildProcess[] = [];
const servers: FakeOllamaServer[] = [];
let openGate = () => {};
const env = (extra: Record<string, string> = {}) => ({ GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'local', ...extra });
const cli = (args: string[]) => runCli(args, { env: env(), cwd: root });
const LOCKED_BY =
  /Another gitlore process \(pid \d+, `gitlore index( --full)?`, indexing since \d\d:\d\d:\d\d\) is writing to .+; wait for it or stop it/;

beforeAll(async () => {
  root = tempDir('gitlore-fault-writers-');
  dataDir = join(root, 'data');
  for (const name of REPOS) {
    makeRepo(join(root, 'up', name), topicFiles(TOPICS.slice(0, 8), name));
    expect((await cli(['repo', 'add', join(root, 'up', name), '--name', name])).code).toBe(0);
  }
  expect((await cli(['sync'])).code).toBe(0);
});

afterAll(async () => {
  openGate();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of servers) await server.close();
});

/**
 * A fake Ollama server that holds every embed request until `openGate()`: a `gitlore index` using it stays in
 * its embedding phase, holding the writer lock, for as long as a test needs. Returns the environment that uses it.
 */
async function gatedOllama(): Promise<{ server: FakeOllamaServer; via: (extra?: Record<string, string>) => Record<string, string> }> {
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const server = await startFakeOllama({ gate });
  servers.push(server);
  return { server, via: (extra = {}) => env({ GITLORE_EMBEDDINGS: 'ollama', OLLAMA_HOST: server.url, ...extra }) };
}

/** Each run either succeeded or was refused with LOCKED naming the holder, and at least one succeeded. */
function expectNoSilentFailure(runs: CliResult[]): void {
  for (const run of runs) {
    expect(run.stderr).not.toMatch(/database is locked/);
    if (run.code !== 0) expect(run.stderr).toMatch(LOCKED_BY);
  }
  expect(runs.some((run) => run.code === 0)).toBe(true);
}

/** Every repository indexed, every chunk with a vector of the index's model. */
async function expectFullCoverage(model = /codevec/): Promise<void> {
  const status = JSON.parse((await cli(['index', 'status', '--json'])).stdout) as {
    repos: { repo: string; status: string; chunks: number; embeddedShare: number }[];
    embeddingModel: string;
  };
  expect(status.repos.map((r) => [r.repo, r.status, r.chunks > 0, r.embeddedShare])).toEqual(REPOS.map((name) => [name, 'ok', true, 1]));
  expect(status.embeddingModel).toMatch(model);
}

describe('fault: concurrent writers on one data dir', () => {
  it('two `index` at once, then two `index --full` at once: the second waits for the first; no repository fails, no vector is lost', async () => {
    // Before the fix one of two runs often failed a repository with a bare "database is locked" (exit 1).
    expectNoSilentFailure(await Promise.all([1, 2].map(() => runProcess(['index'], env(), root))));
    await expectFullCoverage();

    // Two full rebuilds whose models differ (here Ollama's and codevec; in the field two codevec models learned
    // from different states of a half-rebuilt corpus). The first is held in its embedding phase while the
    // second runs. Before the fix both exited 0, and the first, let go, pruned every vector the second had just
    // made: the index ended on the first's model, the later rebuild silently gone (in the field, 0 % and 6 %).
    const ollama = await gatedOllama();
    const first = start(['index', '--full'], ollama.via());
    await until(() => ollama.server.requests.length > 0);
    const second = start(['index', '--full'], env());
    await until(() => /is writing; waiting up to 60s/.test(second.stderr()) || second.child.exitCode !== null, 30_000);
    openGate();
    const runs = await Promise.all(
      [first, second].map(async (run) => ({ code: (await run.exited) ?? -1, stdout: '', stderr: run.stderr() })),
    );
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    expectNoSilentFailure(runs);
    await expectFullCoverage();
  }, 60_000);

  it('while one `index` is writing, another is refused with LOCKED naming it, or waits for it when GITLORE_LOCK_WAIT allows', async () => {
    const ollama = await gatedOllama();
    const viaOllama = ollama.via;
    // The holder: a real `gitlore index`, held in its embedding phase by the fake Ollama server.
    const holder = start(['index'], viaOllama());
    await until(() => ollama.server.requests.length > 0);

    // Before the fix the second run wrote alongside (and here hung in the same embedding phase).
    const refused = await Promise.race([runProcess(['index'], viaOllama({ GITLORE_LOCK_WAIT: '0' }), root), sleep(15_000)]);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as CliResult).stderr).toMatch(
      new RegExp(
        `gitlore: Another gitlore process \\(pid ${holder.child.pid}, \`gitlore index\`, indexing since \\d\\d:\\d\\d:\\d\\d\\) is writing to `,
      ),
    );

    const waiter = start(['index'], viaOllama({ GITLORE_LOCK_WAIT: '30' }));
    await until(() => /is writing; waiting up to 30s/.test(waiter.stderr()), 15_000);
    openGate();
    expect(await holder.exited).toBe(0);
    expect(await waiter.exited).toBe(0);
    await expectFullCoverage(/^ollama:/);
  }, 60_000);

  it('takes over the lock of a writer killed with kill -9', async () => {
    const { child, exited } = start(['index', '--full'], env(), { detached: true });
    // `index --full` first holds the lock briefly to check the store ('recovering'); a kill between that and
    // the indexing lock would leave no record, so wait for the indexing holder itself.
    await until(() => writerTask() === 'indexing');
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    // Killed while holding the lock: its record stays behind, the lock itself does not.
    expect(existsSync(join(dataDir, 'index', 'writer.json'))).toBe(true);

    const started = Date.now();
    const next = await runProcess(['index', '--full'], env({ GITLORE_LOCK_WAIT: '0' }), root);
    expect(next.code, next.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    await expectFullCoverage();
    expect(existsSync(join(dataDir, 'index', 'writer.json'))).toBe(false);
  }, 60_000);
});

/** The task the writer lock's record names, or null while there is none (or it is mid-rename). */
function writerTask(): string | null {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'index', 'writer.json'), 'utf8')) as { task?: string }).task ?? null;
  } catch {
    return null;
  }
}

/** A spawned CLI run: its exit code and what it wrote to stderr so far. */
function start(args: string[], vars: Record<string, string>, options: { detached?: boolean } = {}) {
  const child = spawnCli(args, vars, root, options);
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, exited, stderr: () => stderr };
}

function sleep(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

async function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
