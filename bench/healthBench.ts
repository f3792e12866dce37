/**
 * Is the server responsive while it indexes? Starts `gitlore serve` (the built `dist/`, as a real child process on a
 * free loopback port, fresh temp data dir) with the given repositories registered as local folders, lets it sync and
 * index them from scratch in the background, and polls `GET /health` every 100 ms until the startup job is done.
 * Prints p50/p99/max latency, the polls over 100/250 ms, the total index time and the machine load.
 *
 *   npm run build && npx tsx bench/healthBench.ts          # corpus: .eval/bench-repos/{flask,gin,express,requests,httpx,click,cobra,chi}
 *   npx tsx bench/healthBench.ts --repos /path/a,/path/b [--embeddings none] [--probe]
 *
 * --probe loads bench/health/loopProbe.mjs into the server, which prints every main-thread stall over 50 ms to
 * stderr next to the server's own log lines (GITLORE_LOG_LEVEL=debug), to find what blocks.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/gitlore.js');
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const defaultRepos = ['flask', 'gin', 'express', 'requests', 'httpx', 'click', 'cobra', 'chi']
  .map((r) => join(ROOT, '.eval/bench-repos', r))
  .join(',');
const repos = opt('repos', defaultRepos)
  .split(',')
  .map((p) => resolve(p))
  .filter((p) => existsSync(p));
if (repos.length === 0) {
  process.stderr.write('healthBench: no corpus; pass --repos with comma-separated local git repositories (see bench/README.md)\n');
  process.exit(2);
}
if (!existsSync(join(ROOT, 'dist/main.js'))) {
  process.stderr.write('healthBench: run `npm run build` first (the bench measures the built server)\n');
  process.exit(2);
}
const INTERVAL_MS = 100;
const POLL_TIMEOUT_MS = 60_000;
const probe = args.includes('--probe');

const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-healthbench-'));
const env = {
  ...process.env,
  GITLORE_DATA_DIR: dataDir,
  GITLORE_EMBEDDINGS: opt('embeddings', 'local'),
  GITLORE_LOG_LEVEL: probe ? 'debug' : 'info',
  GITLORE_SYNC_INTERVAL: '0',
  ...(probe ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${join(ROOT, 'bench/health/loopProbe.mjs')}` } : {}),
};
for (const repo of repos) {
  const r = spawnSync(process.execPath, [BIN, 'repo', 'add', repo, '--name', basename(repo)], { cwd: dataDir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`repo add ${repo}: ${r.stderr}`);
}

const load0 = loadavg();
const t0 = performance.now();
const server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
const logLines: string[] = [];
server.stderr.setEncoding('utf8');
let partial = '';
server.stderr.on('data', (chunk: string) => {
  partial += chunk;
  const lines = partial.split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const stamped = `+${((performance.now() - t0) / 1000).toFixed(1)}s ${line}`;
    logLines.push(stamped);
    if (/GET \/health /.test(line)) continue;
    if (probe || /learned|job|loop|error|warn/i.test(line)) process.stderr.write(`${stamped}\n`);
  }
});
const url = await new Promise<string>((resolveUrl, reject) => {
  let out = '';
  server.stdout.setEncoding('utf8');
  server.stdout.on('data', (chunk: string) => {
    out += chunk;
    const m = /serving on (http:\/\/\S+)/.exec(out);
    if (m) resolveUrl(m[1]!);
  });
  server.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${logLines.join('\n')}`)));
});
const listenMs = performance.now() - t0;

interface Health {
  jobs: { running: string | null; queued: number } | null;
}
const latencies: number[] = [];
let failures = 0;
let sawRunning = false;
let done = false;
const benchLoop = monitorEventLoopDelay({ resolution: 10 });
benchLoop.enable();

async function pollOnce(): Promise<void> {
  const start = performance.now();
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
    const body = (await res.json()) as Health;
    latencies.push(performance.now() - start);
    if (body.jobs?.running) sawRunning = true;
    else if (sawRunning && body.jobs && body.jobs.queued === 0) done = true;
  } catch (error) {
    if (failures++ === 0) process.stderr.write(`first failed poll: ${error instanceof Error ? (error.cause ?? error.message) : error}\n`);
    latencies.push(performance.now() - start);
  }
}

// Fixed cadence: a poll is sent every 100 ms whether or not the previous one answered, as a monitor would.
const inFlight = new Set<Promise<void>>();
while (!done) {
  const p = pollOnce().finally(() => inFlight.delete(p));
  inFlight.add(p);
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
  if (server.exitCode !== null) throw new Error(`serve exited early:\n${logLines.slice(-20).join('\n')}`);
}
await Promise.all(inFlight);
const indexMs = performance.now() - t0;
benchLoop.disable();
const load1 = loadavg();

// The first semantic search loads the vectors: /health polled meanwhile shows whether that blocks the server.
const searchLatencies: number[] = [];
const searchStart = performance.now();
let searchDone = false;
const search = fetch(`${url}/api/search?q=${encodeURIComponent('parse request headers')}&mode=semantic&limit=10`).then(async (res) => {
  await res.text();
  searchDone = true;
  return performance.now() - searchStart;
});
while (!searchDone) {
  const start = performance.now();
  await fetch(`${url}/health`).then((res) => res.text());
  searchLatencies.push(performance.now() - start);
  await new Promise((r) => setTimeout(r, 20));
}
const firstSearchMs = await search;

const status = (await (await fetch(`${url}/api/index/status`)).json()) as {
  embeddingModel: string | null;
  repos: { repo: string; status: string; files: number; chunks: number; embeddedShare: number }[];
};
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

const sorted = [...latencies].sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const row = (k: string, v: string | number) => console.log(`${k.padEnd(38)} ${v}`);
row('repos', status.repos.map((r) => `${r.repo}(${r.status},${r.chunks})`).join(' '));
row('files / chunks', `${status.repos.reduce((s, r) => s + r.files, 0)} / ${status.repos.reduce((s, r) => s + r.chunks, 0)}`);
row('embedding model', `${status.embeddingModel} (embedded ${status.repos.map((r) => r.embeddedShare).join(', ')})`);
row('serve listening after (ms)', listenMs.toFixed(0));
row('sync + index from scratch (s)', (indexMs / 1000).toFixed(1));
row('/health polls', `${latencies.length} (failed ${failures})`);
row('/health p50 / p99 / max (ms)', `${q(0.5).toFixed(1)} / ${q(0.99).toFixed(1)} / ${sorted.at(-1)!.toFixed(1)}`);
row('/health polls over 100 / 250 ms', `${sorted.filter((l) => l > 100).length} / ${sorted.filter((l) => l > 250).length}`);
row('first semantic search (ms)', firstSearchMs.toFixed(0));
row('/health max during it (ms)', Math.max(0, ...searchLatencies).toFixed(1));
row('bench process loop delay max (ms)', (benchLoop.max / 1e6).toFixed(1));
row('load average before / after (1 min)', `${load0[0]!.toFixed(2)} / ${load1[0]!.toFixed(2)}`);
const learned = logLines.find((l) => l.includes('learned code vectors'));
if (learned) row('learning', learned.replace(/^.*learned code vectors/, 'learned code vectors'));
