/**
 * Bounded loopback load test of `gitlore serve`: GET /api/search and the MCP
 * `search_code` tool (POST /mcp) at concurrency 1, 8 and 32, each with a fixed
 * number of requests, first on an idle server, then while `gitlore index --full`
 * rebuilds the same corpus. Prints req/s and p50/p95/p99 latency.
 *
 *   npx tsx bench/loadBench.ts                       # corpus: .eval/repos/{chi,cobra,koa,ky,httpx,click}
 *   BENCH_REPOS=/path/a,/path/b BENCH_REQUESTS=300 npx tsx bench/loadBench.ts
 *   GITLORE_EMBEDDINGS=local npx tsx bench/loadBench.ts   # hybrid with the local model (slow to index)
 *
 * The server runs as its own process (like production); autocannon runs here.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src/main.ts');
const TSX = ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const LEVELS = [1, 8, 32];
const QUERIES = [
  'router middleware',
  'parse command line flags',
  'http client timeout',
  'retry request',
  'context cancel',
  'json response body',
  'click option decorator',
  'url path params',
  'error handler',
  'stream download',
];

const defaultRepos = ['chi', 'cobra', 'koa', 'ky', 'httpx', 'click'].map((r) => join(ROOT, '.eval/repos', r));
const repos = (process.env.BENCH_REPOS?.split(',') ?? defaultRepos).map((p) => resolve(p)).filter((p) => existsSync(p));
if (repos.length === 0) {
  process.stderr.write('loadBench: no corpus; set BENCH_REPOS to comma-separated local git repositories\n');
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-loadbench-'));
const env = {
  ...process.env,
  GITLORE_DATA_DIR: dataDir,
  GITLORE_EMBEDDINGS: process.env.GITLORE_EMBEDDINGS ?? 'none',
  GITLORE_LOG_LEVEL: 'warn',
  GITLORE_SYNC_INTERVAL: '0',
};
const gitlore = (...args: string[]) => run(process.execPath, [...TSX, MAIN, ...args], { cwd: dataDir, env, maxBuffer: 64 * 1024 * 1024 });

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

let t = Date.now();
for (const repo of repos) await gitlore('repo', 'add', repo, '--name', basename(repo));
await gitlore('sync');
log(`synced ${repos.length} repos in ${Date.now() - t} ms`);
t = Date.now();
await gitlore('index');
const status = JSON.parse((await gitlore('index', 'status', '--json')).stdout) as {
  repos: { repo: string; files: number; chunks: number }[];
};
const files = status.repos.reduce((s, r) => s + r.files, 0);
const chunks = status.repos.reduce((s, r) => s + r.chunks, 0);
log(`indexed ${files} files / ${chunks} chunks in ${Date.now() - t} ms (embeddings: ${env.GITLORE_EMBEDDINGS})`);

const server = spawn(process.execPath, [...TSX, MAIN, 'serve', '--port', '0', '--no-sync'], {
  cwd: dataDir,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolveUrl, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += String(d);
    const match = /serving on (http:\/\/\S+?) /.exec(out);
    if (match) resolveUrl(match[1] as string);
  });
  server.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
});

let counter = 0;
const nextQuery = () => QUERIES[counter++ % QUERIES.length] as string;

function mcpBody(query: string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: counter,
    method: 'tools/call',
    params: { name: 'search_code', arguments: { query, limit: 10 } },
  });
}

interface Row {
  target: string;
  phase: string;
  concurrency: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

async function load(target: 'api' | 'mcp', concurrency: number, phase: string): Promise<Row> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections: concurrency,
    amount: REQUESTS,
    timeout: 60,
    requests: [
      target === 'api'
        ? { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/search?q=${encodeURIComponent(nextQuery())}&limit=10` }) }
        : {
            method: 'POST',
            path: '/mcp',
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
            setupRequest: (req) => ({ ...req, body: mcpBody(nextQuery()) }),
          },
    ],
  }) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  return {
    target: target === 'api' ? 'GET /api/search' : 'MCP search_code',
    phase,
    concurrency,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
    rps: Math.round((result.requests.total / (result.duration || 1)) * 10) / 10,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
  };
}

const rows: Row[] = [];
// Warm-up: first queries load the tokenizer tables and fill SQLite's page cache.
await load('api', 4, 'warmup');

for (const target of ['api', 'mcp'] as const) {
  for (const c of LEVELS) rows.push(await load(target, c, 'idle'));
}

// Same loads while a full re-index of the corpus runs in another process (restarted if it finishes first).
let reindexing = true;
let reindexRuns = 0;
const reindexLoop = (async () => {
  while (reindexing) {
    reindexRuns += 1;
    await gitlore('index', '--full').catch((error: Error) => {
      log(`reindex failed, so the "reindex" rows ran without one: ${error.message}`);
      reindexing = false;
      reindexRuns = Number.NaN;
    });
  }
})();
await new Promise((r) => setTimeout(r, 1500));
for (const target of ['api', 'mcp'] as const) {
  for (const c of LEVELS) rows.push(await load(target, c, 'reindex'));
}
reindexing = false;
await reindexLoop;

server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));

const header = ['target', 'phase', 'conc', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'];
const table = rows.map((r) => [r.target, r.phase, r.concurrency, r.requests, r.errors, r.rps, r.p50, r.p95, r.p99].map(String));
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
console.log(
  `corpus: ${repos.map((r) => basename(r)).join(', ')} — ${files} files, ${chunks} chunks; ${REQUESTS} requests per row; reindex runs during load: ${reindexRuns}`,
);
console.log(line(header));
for (const row of table) console.log(line(row));
console.log(JSON.stringify({ files, chunks, requestsPerRow: REQUESTS, rows }));
