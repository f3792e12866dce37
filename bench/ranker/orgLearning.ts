/**
 * Learning at index time, simulated on the eval's repositories: each repository's own pairs (synthetic.ts, both
 * regimes, the stripped ones at the weight of the others) boost trees (src/search/boostedTrees.ts) on top of a model,
 * scored on that repository's eval queries and averaged over the repositories.
 * - held out: the model is loro.ts's fit without the repository, which is what a repository the fixed model never
 *   saw starts from (run loro.ts first; it keeps its fits beside the cache);
 * - in-repository: the shipped fixed model, which was trained on these repositories.
 *   EVAL_EMBEDDINGS=codevec npx tsx bench/ranker/orgLearning.ts   (LORO_CACHE=…, TREES=…, STEP=10 for the curve)
 */
import { existsSync, readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { type BoostOptions, boostTrees, REPOSITORY_TREES } from '../../src/search/boostedTrees.js';
import { type RankerModel, rankerScore } from '../../src/search/learnedRanker.js';
import { FIXED_RANKER } from '../../src/search/rankerModel.js';
import { loadQueries, repoName, type Variant } from '../eval/dataset.js';
import { heldOutModelFile, macroScore, rankerCacheFile, scoreEval } from './groups.js';
import type { Collected } from './loro.js';

const log = (m: string) => process.stderr.write(`${m}\n`);
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const file = process.env.LORO_CACHE ?? rankerCacheFile([], 2.5);
if (!existsSync(file)) throw new Error(`No candidate cache at ${file}: run bench/ranker/loro.ts first (or set LORO_CACHE).`);
const d = deserialize(readFileSync(file)) as Collected;
const queries = loadQueries();
const names = [...new Set(queries.map((q) => repoName(q.repo)))];
const options: BoostOptions = {
  trees: env('TREES', REPOSITORY_TREES.trees),
  depth: env('DEPTH', REPOSITORY_TREES.depth),
  learningRate: env('LEARNING_RATE', REPOSITORY_TREES.learningRate),
  lambda: env('LAMBDA', REPOSITORY_TREES.lambda),
  minHessian: env('MIN_HESSIAN', REPOSITORY_TREES.minHessian),
  trainedOn: 'own pairs',
};
const strippedWeight = env('OWN_STRIPPED_WEIGHT', 1);
const step = env('STEP', options.trees);

const bases: Record<string, (repo: string) => RankerModel | null> = {
  'held out': (repo) => {
    const f = heldOutModelFile(file, '5 query repos', repo);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as RankerModel) : null;
  },
  'in-repository': () => FIXED_RANKER,
};

for (const [label, baseOf] of Object.entries(bases)) {
  // scores[trees][variant] → per repository
  const perRepo = new Map<number, Map<Variant, Map<string, { mrr: number; hit1: number }>>>();
  for (const repo of names) {
    const base = baseOf(repo);
    if (!base) {
      log(`${label}: no held-out model for ${repo} (run loro.ts with this cache); skipped`);
      continue;
    }
    const own = d.dev.filter((g) => g.repo === repo).map((g) => (g.weight ? { ...g, weight: strippedWeight } : g));
    const started = Date.now();
    const boosted = boostTrees(own, base, options);
    log(`${label} ${repo}: ${own.length} groups, ${options.trees} trees in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const baseTrees = base.trees?.length ?? 0;
    for (let t = 0; t <= options.trees; t += step) {
      const model = { ...boosted, trees: boosted.trees!.slice(0, baseTrees + t) };
      for (const [variant, collected] of d.evals) {
        const keep = queries.flatMap((q, i) => (repoName(q.repo) === repo ? [i] : []));
        const s = scoreEval(
          keep.map((i) => collected[i]!),
          keep.map((i) => queries[i]!),
          (c) => rankerScore(model, c.x),
        );
        const byVariant = perRepo.get(t) ?? new Map();
        perRepo.set(t, byVariant);
        const byRepo = byVariant.get(variant) ?? new Map();
        byVariant.set(variant, byRepo);
        byRepo.set(repo, s.perRepo.get(repo)!);
      }
    }
  }
  for (const [t, byVariant] of perRepo) {
    const cells = [...byVariant].map(([variant, byRepo]) => {
      const s = macroScore(byRepo);
      return `${variant} ${s.mrr.toFixed(3)} / ${s.hit1.toFixed(3)} [${[...byRepo.values()].map((v) => v.mrr.toFixed(3)).join(' ')}]`;
    });
    console.log(`${label.padEnd(14)} +${String(t).padStart(3)} trees  ${cells.join(' | ')}`);
  }
}
