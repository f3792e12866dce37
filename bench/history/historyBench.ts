/**
 * History ingest and query benchmark on a large repository.
 *
 *   npx tsx bench/history/historyBench.ts [--repo /work/.mirror/git+git/repo] [--queries 200]
 *
 * Prints, from one run: `git log --name-status` over the whole history (the
 * baseline), gitlore's ingest of the same history (commits/s), the store size
 * per 10,000 commits, an incremental re-ingest, and p50/p95 of path timelines
 * (files and folders) through core's commitTimeline, as `gitlore log --path` runs it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { commitTimeline, getContributors } from '../../src/core/history.js';
import { createServices } from '../../src/core/services.js';
import { ingestHistory } from '../../src/history/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { openStore } from '../../src/store/index.js';

const { values } = parseArgs({
  options: {
    repo: { type: 'string', default: '/work/.mirror/git+git/repo' },
    queries: { type: 'string', default: '200' },
  },
});
const repoPath = resolve(values.repo as string);
const nQueries = Number(values.queries);

function timeGit(args: string[]): Promise<{ ms: number; bytes: number }> {
  return new Promise((res, rej) => {
    const t = performance.now();
    let bytes = 0;
    const child = spawn('git', args, { cwd: repoPath, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    child.on('error', rej);
    child.on('close', (code) =>
      code === 0 ? res({ ms: performance.now() - t, bytes }) : rej(new Error(`git ${args.join(' ')}: exit ${code}`)),
    );
  });
}

/** CPU seconds of this process plus its waited-for children (git), from /proc (Linux). */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? 0), 0); // utime stime cutime cstime
  return ticks / 100;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-history-bench-'));
const config = loadConfig({ flags: { dataDir }, env: {}, cwd: dataDir });
const store = await openStore({ dbPath: config.dbPath });
const log = createLogger('bench', { level: 'warn' });
const app: App = await createServices(config, { store, log });
const repo = await store.repos.upsert({
  name: 'bench',
  sourceType: 'local',
  sourceKey: 'manual',
  fullName: 'bench',
  cloneUrl: repoPath,
  localPath: repoPath,
});

const head = (await timeGit(['rev-parse', 'HEAD'])).bytes;
void head;
console.log(`repository: ${repoPath}`);

// Baseline and ingest, same run, one after the other (page cache warm for both: run git once first).
await timeGit(['rev-list', '--count', 'HEAD']);
let c0 = cpuSeconds();
const baseline = await timeGit(['log', '--name-status', 'HEAD']);
const baselineCpu = cpuSeconds() - c0;
c0 = cpuSeconds();
const t0 = performance.now();
const first = await ingestHistory({ store, log }, repo);
const ingestMs = performance.now() - t0;
const ingestCpu = cpuSeconds() - c0;
c0 = cpuSeconds();
const baseline2 = await timeGit(['log', '--name-status', 'HEAD']);
const baselineCpu2 = cpuSeconds() - c0;
const commits = first.added;
const gitMs = Math.min(baseline.ms, baseline2.ms);
console.log(`commits: ${commits}`);
console.log(
  `git log --name-status (baseline): ${(gitMs / 1000).toFixed(2)} s (runs ${(baseline.ms / 1000).toFixed(2)}, ${(baseline2.ms / 1000).toFixed(2)}), ${Math.round(commits / (gitMs / 1000))} commits/s, ${(baseline.bytes / 1e6).toFixed(1)} MB of output`,
);
console.log(
  `gitlore ingest: ${(ingestMs / 1000).toFixed(2)} s, ${Math.round(commits / (ingestMs / 1000))} commits/s (${(gitMs / ingestMs).toFixed(2)}x the baseline's speed)`,
);
console.log(
  `CPU seconds (user+sys, git included): baseline ${baselineCpu.toFixed(2)} / ${baselineCpu2.toFixed(2)}, ingest ${ingestCpu.toFixed(2)}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${availableParallelism()} cores`,
);

const t1 = performance.now();
const again = await ingestHistory({ store, log }, repo);
console.log(`re-ingest with nothing new: ${(performance.now() - t1).toFixed(1)} ms (added ${again.added})`);

// Store size: the history tables only (dbstat), after a checkpoint.
await store.close();
const db = new Database(config.dbPath);
db.pragma('wal_checkpoint(TRUNCATE)');
let historyBytes = 0;
try {
  const rows = db
    .prepare(
      "SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'history%' OR name LIKE 'sqlite_autoindex_history%' GROUP BY name ORDER BY bytes DESC",
    )
    .all() as { name: string; bytes: number }[];
  historyBytes = rows.reduce((n, r) => n + r.bytes, 0);
  console.log(`store: ${rows.map((r) => `${r.name} ${(r.bytes / 1e6).toFixed(1)} MB`).join(', ')}`);
} catch {
  historyBytes = statSync(config.dbPath).size;
}
const fileBytes = statSync(config.dbPath).size;
console.log(
  `store size: history tables ${(historyBytes / 1e6).toFixed(1)} MB (${(((historyBytes / commits) * 10_000) / 1e6).toFixed(2)} MB per 10k commits); database file ${(fileBytes / 1e6).toFixed(1)} MB`,
);
const samplePaths = db
  .prepare(`SELECT p.path, count(*) AS n FROM history_files f JOIN history_paths p ON p.id = f.path_id GROUP BY f.path_id ORDER BY p.id`)
  .all() as { path: string; n: number }[];
db.close();

const reopened = await openStore({ dbPath: config.dbPath });
const app2: App = { ...app, store: reopened };
// Deterministic sample: every k-th path, plus the most-changed ones and some folders.
const step = Math.max(1, Math.floor(samplePaths.length / nQueries));
const files = samplePaths
  .filter((_, i) => i % step === 0)
  .slice(0, nQueries)
  .map((p) => p.path);
const hot = [...samplePaths]
  .sort((a, b) => b.n - a.n)
  .slice(0, 20)
  .map((p) => p.path);
const folders = [...new Set(files.map((p) => p.split('/')[0] ?? '').filter((p) => p && files.some((f) => f.startsWith(`${p}/`))))].slice(
  0,
  30,
);

async function measure(label: string, paths: string[], extra: Record<string, unknown> = {}) {
  const ms: number[] = [];
  let totalSum = 0;
  for (const path of paths) {
    const t = performance.now();
    const r = await commitTimeline({ repo: 'bench', path, limit: 50, ...extra }, createContext(app2));
    ms.push(performance.now() - t);
    totalSum += r.total;
  }
  console.log(
    `${label}: n=${paths.length} p50 ${pct(ms, 50).toFixed(2)} ms, p95 ${pct(ms, 95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(1)} ms (mean matches ${(totalSum / paths.length).toFixed(0)})`,
  );
}
await measure('path timeline, sampled files (limit 50, with total)', files);
await measure('path timeline, 20 most-changed files', hot);
await measure('path timeline, folders', folders);
await measure('path timeline --follow, sampled files', files.slice(0, 50), { follow: true });
{
  const t = performance.now();
  const r = await commitTimeline({ repo: 'bench', grep: 'fix', limit: 50 }, createContext(app2));
  const firstMs = performance.now() - t;
  const gm: number[] = [];
  for (const word of ['refs', 'merge', 'documentation typo', 'segfault', 'rebase interactive', 'mailmap', 'windows', 'leak']) {
    const t2 = performance.now();
    await commitTimeline({ repo: 'bench', grep: word, limit: 50 }, createContext(app2));
    gm.push(performance.now() - t2);
  }
  console.log(
    `grep: first query ${(firstMs / 1000).toFixed(2)} s (builds the message index once; ${r.total} matches), then p50 ${pct(gm, 50).toFixed(1)} ms, p95 ${pct(gm, 95).toFixed(1)} ms`,
  );
}
const ct: number[] = [];
for (const path of folders) {
  const t = performance.now();
  await getContributors({ repo: 'bench', path }, createContext(app2));
  ct.push(performance.now() - t);
}
console.log(`contributors by folder: p50 ${pct(ct, 50).toFixed(2)} ms, p95 ${pct(ct, 95).toFixed(2)} ms`);
const gl: number[] = [];
for (const path of hot.slice(0, 10)) {
  const t = performance.now();
  await timeGit(['log', '--no-merges', '-n', '50', '--format=%H', 'HEAD', '--', path]);
  gl.push(performance.now() - t);
}
console.log(`for comparison, git log -n 50 -- <hot file>: p50 ${pct(gl, 50).toFixed(0)} ms`);
await reopened.close();
