/**
 * Hybrid query latency with the learned ranker against reciprocal rank fusion, the same queries interleaved in one
 * process (the ratio is what to read; absolute times depend on the machine's load).
 *   EVAL_EMBEDDINGS=codevec npx tsx bench/ranker/latency.ts [--variant with-docs|stripped] [--rounds 3]
 */
import { createContext } from '../../src/core/context.js';
import { listRepos } from '../../src/core/repos.js';
import { search } from '../../src/search/engine.js';
import { RANKING_PARAMS } from '../../src/search/rankingParams.js';
import { loadQueries, repoName, treeDir, type Variant } from '../eval/dataset.js';
import { openApp } from '../eval/gitloreSystem.js';

const argv = process.argv.slice(2);
const variant = (argv.includes('--variant') ? argv[argv.indexOf('--variant') + 1] : 'with-docs') as Variant;
const rounds = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 3;
const queries = loadQueries();
const names = [...new Set(queries.map((q) => repoName(q.repo)))];
const app = await openApp(
  names.map((name) => ({ name, dir: treeDir(variant, name) })),
  variant,
  (m) => process.stderr.write(`${m}\n`),
);
const repos = await listRepos({}, createContext(app));
const searchRepos = repos.map((r) => ({ id: r.id, name: r.name, htmlUrl: null, commit: null }));
const systems = { learned: RANKING_PARAMS, rrf: { ...RANKING_PARAMS, ranker: null } };
const times: Record<keyof typeof systems, number[]> = { learned: [], rrf: [] };
for (let round = 0; round < rounds; round += 1) {
  for (const q of queries) {
    const repoIds = [repos.find((r) => r.name === repoName(q.repo))!.id];
    const order = (round + queries.indexOf(q)) % 2 === 0 ? (['learned', 'rrf'] as const) : (['rrf', 'learned'] as const);
    for (const name of order) {
      const t0 = performance.now();
      await search(
        { store: app.store, embedder: () => app.embedder(), params: systems[name] },
        { query: q.query, repos: searchRepos, repoIds, mode: 'hybrid', limit: 10 },
      );
      if (round > 0) times[name].push(performance.now() - t0);
    }
  }
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
for (const [name, xs] of Object.entries(times))
  console.log(`${name.padEnd(8)} p50 ${pct(xs, 0.5).toFixed(1)} ms  p95 ${pct(xs, 0.95).toFixed(1)} ms  (n=${xs.length})`);
console.log(`ratio p50 learned/rrf ${(pct(times.learned, 0.5) / pct(times.rrf, 0.5)).toFixed(2)}`);
await app.close();
