import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/jobs/scheduler.js';
import { openStore } from '../../src/store/openStore.js';
import { createUpstream, spawnCli } from '../fakes/gitHttpFixtures.js';
import { type GitHttpOptions, startGitHttpServer } from '../fakes/gitHttpServer.js';
import { createTestDatabase } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';
import { watchServe } from '../helpers/serveProcess.js';

const REPOS = ['alpha', 'bravo', 'charlie', 'delta'];

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether the PostgreSQL store holds the code index yet (another change brings it); indexing end to end needs it. */
async function indexOnPostgres(): Promise<boolean> {
  const database = await createTestDatabase();
  const dir = tempDir('gitlore-probe-');
  try {
    const store = await openStore({ dbPath: join(dir, 'index', 'gitlore.db'), databaseUrl: database.url, reposPath: join(dir, 'repos') });
    try {
      await store.index.chunkCount();
      return true;
    } catch {
      return false;
    } finally {
      await store.close();
    }
  } finally {
    await database.drop();
  }
}

const INDEX_ON_POSTGRES = await indexOnPostgres();

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  }
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A database with four local repositories registered (and `broken`, whose upstream is no git repository by the time it syncs),
 * `serve` on it, and `gitlore worker` processes (two by default), each with its own arguments.
 */
async function deployment(
  extraEnv: Record<string, string>,
  options: { workers?: string[][]; broken?: string; overHttp?: GitHttpOptions } = {},
) {
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  const root = tempDir('gitlore-workers-');
  const env = { GITLORE_DATA_DIR: join(root, 'data'), DATABASE_URL: database.url, GITLORE_LOCK_WAIT: '0', ...extraEnv };
  // Local folders, or (overHttp) bare repositories behind the fake smart-HTTP server with those options.
  const server = options.overHttp ? await startGitHttpServer(join(root, 'srv'), options.overHttp) : null;
  if (server) cleanups.push(server.close);
  for (const name of REPOS) {
    const files = { 'README.md': `# ${name}\n`, [`src/${name}.ts`]: `export function ${name}() {\n  return '${name}';\n}\n` };
    const source = server ? `${server.url}${createUpstream(root, 'acme', name, files).path}` : join(root, 'upstream', name);
    if (!server) makeRepo(source, files);
    expect((await runCli(['repo', 'add', source], { env })).code).toBe(0);
  }
  if (options.broken) {
    const path = join(root, 'upstream', options.broken);
    makeRepo(path, { 'README.md': 'gone soon\n' });
    expect((await runCli(['repo', 'add', path], { env })).code).toBe(0);
    rmSync(join(path, '.git'), { recursive: true, force: true });
  }
  const serve = spawnCli(['serve', '--port', '0', '--no-sync'], env, root);
  children.push(serve);
  const url = await watchServe(serve).url;
  const workers = (options.workers ?? [[], []]).map((args) => {
    const child = spawnCli(['worker', '--concurrency', '1', ...args], env, root);
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout?.resume();
    return { child, stderr: () => stderr };
  });
  await until(async () => workers.every((w) => /taking jobs/.test(w.stderr())), 60_000);
  const syncStatus = async () =>
    (await (await fetch(`${url}/api/sync/status`)).json()) as {
      jobs: { runningJobs: JobInfo[]; queued: JobInfo[]; recent: JobInfo[]; backend: string };
      repos: { name: string; syncStatus: string; headCommit: string | null }[];
    };
  return { env, url, workers, syncStatus };
}

describe('gitlore worker', () => {
  it('prints its help, and refuses to start without a PostgreSQL DATABASE_URL in one line, exit 2', async () => {
    const help = await runCli(['worker', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--concurrency <n>');
    expect(help.stdout).toContain('--metrics-port <n>');
    expect(help.stdout).toContain('DATABASE_URL');
    const dataDir = tempDir('gitlore-worker-');
    const bare = await runCli(['worker'], { dataDir });
    expect(bare.code).toBe(2);
    expect(bare.stderr.trim().split('\n')).toEqual([expect.stringContaining('gitlore worker needs DATABASE_URL=postgres://')]);
    const wrong = await runCli(['worker'], { dataDir, env: { GITLORE_DATA_DIR: dataDir, DATABASE_URL: 'mysql://localhost/x' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runCli(['worker', '--concurrency', '0'], { dataDir })).code).toBe(2);
  });

  it('`gitlore status` shows the shared queue on PostgreSQL (running with progress, dead-lettered) and none on SQLite', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const dataDir = tempDir('gitlore-status-');
    const env = { GITLORE_DATA_DIR: dataDir, DATABASE_URL: database.url };
    const store = await openStore({
      dbPath: join(dataDir, 'index', 'gitlore.db'),
      databaseUrl: database.url,
      reposPath: join(dataDir, 'repos'),
    });
    cleanups.push(() => store.close());
    const jobs = store.jobs as NonNullable<typeof store.jobs>;
    const repoJob = (name: string) => ({ kind: 'repo', scope: name, lane: `repo:${name}`, reason: 'api', maxAttempts: 1 });
    await jobs.enqueue(repoJob('alpha'));
    await jobs.enqueue(repoJob('bravo'));
    const running = await jobs.claim('host:1/1', 60_000);
    const progress = { repo: running?.scope, reposDone: 0, reposTotal: 1, filesDone: 7, filesTotal: 10 };
    await jobs.heartbeat(running?.id as number, 'host:1/1', 60_000, { phase: 'index', progress });
    const failing = await jobs.claim('host:2/1', 60_000);
    await jobs.fail(failing?.id as number, 'host:2/1', 'clone failed: 404', 1000);
    const json = await runCli(['status', '--json'], { env });
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as { store: string; jobs: { runningJobs: JobInfo[]; queued: JobInfo[]; recent: JobInfo[] } };
    expect(summary.store).toBe('postgres');
    expect(summary.jobs.runningJobs).toEqual([expect.objectContaining({ scope: running?.scope, phase: 'index', progress })]);
    expect(summary.jobs.recent).toEqual([expect.objectContaining({ scope: failing?.scope, state: 'dead', error: 'clone failed: 404' })]);
    const text = await runCli(['status'], { env });
    expect(text.stdout).toContain('jobs: 1 running, 0 queued, 1 failed recently');
    expect(text.stdout).toContain('7 of 10 files');
    expect(text.stdout).toMatch(/dead after 1 attempts: clone failed: 404/);
    const sqlite = await runCli(['status', '--json'], { dataDir: tempDir('gitlore-status-sqlite-') });
    expect(JSON.parse(sqlite.stdout)).toMatchObject({ store: 'sqlite', jobs: null });
  });

  it('two workers take the jobs `serve` queues: every repository synced once, spread over both, per-repository locks', async () => {
    // A barrier in the git server: no clone is answered until clones of two repositories have been asked for. Each
    // worker runs one job at a time, so the one that took the first repository cannot finish it (and take the next)
    // before the other worker has taken a job too: spread over both is what the queue must do, not a race's luck.
    const arrived = new Set<string>();
    let bothCloning = () => {};
    const barrier = new Promise<void>((resolve) => {
      bothCloning = resolve;
    });
    const { url, workers, syncStatus } = await deployment(
      { SKIP_AUTO_INDEX: 'true' },
      {
        overHttp: {
          holdUploadPack: async (path) => {
            arrived.add(path);
            if (arrived.size >= 2) bothCloning();
            await barrier;
          },
        },
      },
    );
    // serve only queues: nothing runs until a worker takes it.
    const queued = await fetch(`${url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(queued.status).toBe(202);
    const status = await until(async () => {
      const s = await syncStatus();
      const repoJobs = s.jobs.recent.filter((j) => j.kind === 'repo');
      return s.jobs.runningJobs.length === 0 && s.jobs.queued.length === 0 && repoJobs.length === REPOS.length ? s : null;
    });
    expect(status.jobs.backend).toBe('postgres');
    expect(status.repos.map((r) => [r.name, r.syncStatus])).toEqual(REPOS.map((name) => [name, 'ok']));
    expect(status.repos.every((r) => /^[0-9a-f]{40}$/.test(r.headCommit ?? ''))).toBe(true);
    const repoJobs = status.jobs.recent.filter((j) => j.kind === 'repo');
    expect(repoJobs.map((j) => j.scope).sort()).toEqual(REPOS);
    // With one store-wide lock and GITLORE_LOCK_WAIT=0 the second worker's sync would fail LOCKED and be retried.
    expect(repoJobs.every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
    const hosts = new Set(repoJobs.map((j) => String(j.worker).split('/')[0]));
    expect(hosts.size).toBe(2);
    for (const w of workers) expect(w.stderr()).not.toMatch(/is writing/);

    // SIGTERM: each worker stops cleanly and exits 0.
    for (const w of workers) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => new Promise((r) => w.child.once('exit', r))));
    expect(codes).toEqual([0, 0]);
  });

  it('a worker with --metrics-port serves the jobs it ran on /metrics: by kind and outcome, a failed attempt as retried', async () => {
    const { url, workers, syncStatus } = await deployment(
      { SKIP_AUTO_INDEX: 'true', GITLORE_SYNC_RETRIES: '0' },
      { workers: [['--metrics-port', '0']], broken: 'echo' },
    );
    const worker = workers[0] as (typeof workers)[number];
    const metricsUrl = (await until(async () => /worker metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(worker.stderr())))[1];
    await fetch(`${url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    // Every good repository synced; echo's first attempt failed and waits for its retry (30 s later).
    await until(async () => {
      const s = await syncStatus();
      const done = s.jobs.recent.filter((j) => j.kind === 'repo' && j.state === 'done');
      const echo = s.jobs.queued.find((j) => j.scope === 'echo');
      return done.length === REPOS.length && echo?.attempts === 1 && echo.error !== null;
    });
    const res = await fetch(String(metricsUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await res.text());
    const jobs = (kind: string, outcome: string) => sampleValue(samples, 'gitlore_jobs_total', { kind, outcome });
    expect(jobs('resync', 'done')).toBe(1);
    expect(jobs('repo', 'done')).toBe(REPOS.length);
    expect(jobs('repo', 'retried')).toBe(1);
    expect(jobs('repo', 'failed') + jobs('repo', 'dead')).toBe(0);
    expect(sampleValue(samples, 'gitlore_job_duration_seconds_count', { kind: 'repo', outcome: 'done' })).toBe(REPOS.length);
    expect(sampleValue(samples, 'gitlore_job_duration_seconds_count', { kind: 'repo', outcome: 'retried' })).toBe(1);
    expect(sampleValue(samples, 'gitlore_worker_slots')).toBe(1);
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // No repository name in a label value.
    expect(samples.flatMap((s) => Object.values(s.labels)).filter((v) => REPOS.includes(v) || v === 'echo')).toEqual([]);
    // serve's /metrics counts no job itself (workers ran them) and shows the shared queue: echo waits.
    const served = parseExposition(await (await fetch(`${url}/metrics`)).text());
    expect(served.filter((s) => s.name === 'gitlore_jobs_total')).toEqual([]);
    expect(sampleValue(served, 'gitlore_job_queue_depth')).toBe(1);
  });

  // Needs the PostgreSQL code index and history stores, which land separately; until then openStore on postgres
  // answers NOT_CONFIGURED for them and this test is skipped (the sync-only test above covers the queue).
  it.skipIf(!INDEX_ON_POSTGRES)('two workers sync, index and ingest the history of every repository', async () => {
    const { url, syncStatus } = await deployment({ GITLORE_EMBEDDINGS: 'none' });
    await fetch(`${url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const status = await until(async () => {
      const s = await syncStatus();
      const repoJobs = s.jobs.recent.filter((j) => j.kind === 'repo');
      return s.jobs.runningJobs.length === 0 && s.jobs.queued.length === 0 && repoJobs.length === REPOS.length ? s : null;
    }, 120_000);
    expect(status.jobs.recent.filter((j) => j.kind === 'repo').every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
    const index = (await (await fetch(`${url}/api/index/status`)).json()) as { repos: { repo: string; status: string }[] };
    expect(index.repos.map((r) => [r.repo, r.status])).toEqual(REPOS.map((name) => [name, 'ok']));
    const search = (await (await fetch(`${url}/api/search?q=charlie&mode=lexical`)).json()) as { results: { repo: string }[] };
    expect(search.results.some((r) => r.repo === 'charlie')).toBe(true);
    const log = (await (await fetch(`${url}/api/commits?repo=delta`)).json()) as { total: number };
    expect(log.total).toBe(1);
  });
});
