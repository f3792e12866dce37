/**
 * What /metrics costs, in one process: the per-request overhead of counting (route template lookup, counter and
 * histogram update) measured as in-process requests to the HTTP app with the real registry against the same app
 * with a registry that records nothing, in alternating rounds; then the time of a scrape, with the store snapshot
 * cached and fresh.
 *
 *   npx tsx bench/metricsBench.ts                 # 3000 requests a round, 5 rounds, 20 repositories
 *   BENCH_REQUESTS=50000 BENCH_ROUNDS=10 npx tsx bench/metricsBench.ts
 *
 * In-process (app.request, no socket) on purpose: over a socket the difference drowns in the network stack's noise.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { createServices } from '../src/core/services.js';
import { createHttpApp } from '../src/server/httpApp.js';
import { createServerMetrics, type ServerMetrics } from '../src/server/metrics.js';
import { silentLogger } from '../src/shared/logger.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REPOS = Number(process.env.BENCH_REPOS ?? 20);

const root = mkdtempSync(join(tmpdir(), 'gitlore-metrics-bench-'));
const app = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' }, cwd: root }), {
  log: silentLogger,
  embedder: null,
});
for (let i = 0; i < REPOS; i++) {
  await app.store.repos.upsert({
    name: `repo-${i}`,
    sourceType: 'git',
    sourceKey: 'git',
    fullName: `repo-${i}`,
    cloneUrl: `https://example.com/repo-${i}.git`,
    localPath: join(root, 'repos', `repo-${i}`),
  });
}

const real = createServerMetrics(app, { jobs: null, processMetrics: true });
const none: ServerMetrics = { ...real, observeRequest: () => {} };
const withMetrics = createHttpApp({ app, version: '0', scheduler: null, requireAuth: false, metrics: real });
const without = createHttpApp({ app, version: '0', scheduler: null, requireAuth: false, metrics: none });

// Cheap routes, so the counting is as large a share as it can be: the liveness probe, the repository list, and a 404.
const PATHS = ['/health', '/api/repos', '/api/nothing'];
async function round(http: typeof withMetrics): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) await (await http.request(PATHS[i % PATHS.length] as string)).arrayBuffer();
  return ((performance.now() - start) * 1000) / REQUESTS;
}

await round(withMetrics);
await round(without);
const on: number[] = [];
const off: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Alternating which goes first, so warm-up and garbage left by the previous round fall on both alike.
  if (r % 2 === 0) {
    on.push(await round(withMetrics));
    off.push(await round(without));
  } else {
    off.push(await round(without));
    on.push(await round(withMetrics));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mOn = median(on);
const mOff = median(off);
console.log(`requests: ${REQUESTS} a round, ${ROUNDS} rounds, paths ${PATHS.join(' ')}`);
console.log(`per request, median round: metrics on ${mOn.toFixed(1)} µs, off ${mOff.toFixed(1)} µs`);
console.log(`rounds on: ${on.map((x) => x.toFixed(0)).join(' ')} µs; off: ${off.map((x) => x.toFixed(0)).join(' ')} µs`);
console.log(`overhead: ${(mOn - mOff).toFixed(1)} µs a request, ratio on/off ${(mOn / mOff).toFixed(3)}`);

// The counting alone, without the request around it: one counter and one histogram update with three labels.
const N = 100_000;
const t0 = performance.now();
for (let i = 0; i < N; i++) real.observeRequest('GET', PATHS[i % PATHS.length] as string, 200, 0.0003);
console.log(`observeRequest alone: ${(((performance.now() - t0) * 1000) / N).toFixed(2)} µs`);

const scrapes = async (n: number) => {
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes = (await real.scrape()).body.length;
  return { ms: (performance.now() - start) / n, bytes };
};
const fresh = createServerMetrics(app, { jobs: null, cacheMs: 0 });
const freshStart = performance.now();
for (let i = 0; i < 50; i++) await fresh.scrape();
const freshMs = (performance.now() - freshStart) / 50;
const cached = await scrapes(200);
console.log(
  `scrape: ${cached.ms.toFixed(2)} ms with the store snapshot cached (${cached.bytes} bytes of text), ${freshMs.toFixed(2)} ms reading the store each time (${REPOS} repositories)`,
);
real.close();
fresh.close();
await app.close();
