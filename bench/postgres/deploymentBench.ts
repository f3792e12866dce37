/**
 * The scaled-out deployment as processes, on one run's corpus:
 *  1. indexing throughput: `serve` on SQLite (its in-process queue) vs PostgreSQL with 1 and with 2 `gitlore worker`
 *     processes, from POST /api/sync (sync + index + history of every repository) until the queue is empty;
 *  2. load: GET /api/search at concurrency 8 against one `serve` process, then against two (4 connections each),
 *     on the PostgreSQL index built in 1.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55440/postgres npx tsx bench/postgres/deploymentBench.ts [--repos a,b,…] [--requests 800]
 *
 * DATABASE_URL names a server (bench/postgres/cluster.sh); the bench makes fresh databases on it. Embeddings: none
 * (the throughput of the store and the queue, not of the model). Processes run the compiled build (dist/).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const ROOT = join(import.meta.dirname, '../..');
execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
const MAIN = join(ROOT, 'dist/main.js');
const argv = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const server = process.env.DATABASE_URL;
if (!server?.startsWith('postgres')) {
  console.error('deploymentBench: set DATABASE_URL to a PostgreSQL server (bash bench/postgres/cluster.sh start prints one).');
  process.exit(2);
}
const REQUESTS = Number(opt('requests', '800'));
const corpusRoot = join(ROOT, '.eval/repos');
const repos = opt('repos', existsSync(corpusRoot) ? readdirSync(corpusRoot).join(',') : '')
  .split(',')
  .filter(Boolean)
  .map((name) => (name.includes('/') ? name : join(corpusRoot, name)))
  .filter((dir) => existsSync(join(dir, '.git')));
if (repos.length === 0) throw new Error('no corpus: run bench/eval/prepare.ts or pass --repos');
const QUERIES = [
  'router middleware',
  'parse command line flags',
  'http client timeout',
  'retry request',
  'context cancel',
  'json response body',
];

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function freshDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(server!);
  url.pathname = `/${name}`;
  return url.toString();
}

function envFor(databaseUrl: string | null): NodeJS.ProcessEnv {
  const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-deploybench-'));
  return {
    ...process.env,
    GITLORE_DATA_DIR: dataDir,
    GITLORE_EMBEDDINGS: 'none',
    GITLORE_LOG_LEVEL: 'warn',
    GITLORE_SYNC_INTERVAL: '0',
    DATABASE_URL: databaseUrl ?? '',
  };
}

function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stderr?.resume();
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      const match = /serving on (http:\/\/\S+?) /.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}`)));
  });
  // Workers print no URL: their exit at the end of a run is not an error.
  url.catch(() => {});
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function untilIdle(url: string): Promise<void> {
  for (;;) {
    const status = (await (await fetch(`${url}/api/sync/status`)).json()) as {
      jobs: { running: unknown; runningJobs?: unknown[]; queued: unknown[] };
      repos: { syncStatus: string }[];
    };
    const running = status.jobs.runningJobs?.length ?? (status.jobs.running ? 1 : 0);
    if (running === 0 && status.jobs.queued.length === 0 && status.repos.every((r) => r.syncStatus !== 'pending')) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Registers the corpus, starts serve (and `workers` workers on PostgreSQL), queues a sync of everything, times it. */
async function indexRun(
  label: string,
  databaseUrl: string | null,
  workers: number,
): Promise<{ url: string; serve: ChildProcess; env: NodeJS.ProcessEnv }> {
  const env = envFor(databaseUrl);
  for (const dir of repos) execFileSync(process.execPath, [MAIN, 'repo', 'add', dir, '--name', basename(dir)], { env, stdio: 'ignore' });
  const serve = start(['serve', '--port', '0', '--no-sync'], env);
  const url = await serve.url;
  const workerProcesses = Array.from({ length: workers }, () => start(['worker', '--concurrency', '1'], env).child);
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = performance.now();
  const response = await fetch(`${url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (response.status !== 202) throw new Error(`POST /api/sync: ${response.status} ${await response.text()}`);
  await new Promise((r) => setTimeout(r, 500));
  await untilIdle(url);
  const sec = (performance.now() - t0) / 1000;
  const index = (await (await fetch(`${url}/api/index/status`)).json()) as { repos: { files: number; chunks: number; bytes: number }[] };
  const mb = index.repos.reduce((a, r) => a + r.bytes, 0) / 2 ** 20;
  console.log(
    `${label.padEnd(34)} ${sec.toFixed(1)} s  ${(mb / sec).toFixed(2)} MB/s  (${index.repos.length} repos, ${index.repos.reduce((a, r) => a + r.chunks, 0)} chunks)`,
  );
  for (const worker of workerProcesses) await stop(worker);
  return { url, serve: serve.child, env };
}

async function load(urls: string[], connections: number): Promise<{ rps: number; p50: number; p95: number; errors: number }> {
  let counter = 0;
  const latencies: number[] = [];
  const runs = urls.map((url) => {
    const instance = autocannon({
      url,
      connections: connections / urls.length,
      amount: Math.round(REQUESTS / urls.length),
      timeout: 60,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({ ...req, path: `/api/search?q=${encodeURIComponent(QUERIES[counter++ % QUERIES.length])}&limit=10` }),
        },
      ],
    }) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
    instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => latencies.push(ms));
    return instance;
  });
  const t0 = performance.now();
  const results = await Promise.all(runs);
  const sec = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const total = results.reduce((a, r) => a + r.requests.total, 0);
  return { rps: total / sec, p50: pct(0.5), p95: pct(0.95), errors: results.reduce((a, r) => a + r.errors + r.non2xx, 0) };
}

console.log(`corpus: ${repos.map((r) => basename(r)).join(', ')}`);
const sqlite = await indexRun('index, SQLite (serve in-process)', null, 0);
await stop(sqlite.serve);
const one = await indexRun('index, PostgreSQL, 1 worker', await freshDatabase('gitlore_deploy_bench_1'), 1);
await stop(one.serve);
const two = await indexRun('index, PostgreSQL, 2 workers', await freshDatabase('gitlore_deploy_bench_2'), 2);

const first = two.url;
const report = (label: string, r: Awaited<ReturnType<typeof load>>) =>
  console.log(`${label.padEnd(34)} ${r.rps.toFixed(0)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  errors ${r.errors}`);
await load([first], 8);
report('load c=8, one API process', await load([first], 8));
const second = start(['serve', '--port', '0', '--no-sync'], two.env);
const secondUrl = await second.url;
await load([secondUrl], 8);
report('load c=8, two API processes', await load([first, secondUrl], 8));
await stop(second.child);
await stop(two.serve);
