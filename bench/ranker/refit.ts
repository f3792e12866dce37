/**
 * Refits the ranker on loro.ts's cached groups (no collection) and scores it in-repository on the eval queries: a fast
 * loop for training choices that do not change the features.
 *   LORO_CACHE=.eval/ranker-cache/loro-….bin npx tsx bench/ranker/refit.ts
 */
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { rankerScore } from '../../src/search/learnedRanker.js';
import { FIXED_RANKER } from '../../src/search/rankerModel.js';
import { loadQueries } from '../eval/dataset.js';
import type { CollectedQuery } from './collect.js';
import { fitModel, formatScore, type RepoGroup, scoreEval } from './groups.js';

const d = deserialize(readFileSync(process.env.LORO_CACHE!)) as {
  dev: RepoGroup[];
  extra: RepoGroup[];
  evals: [string, CollectedQuery[]][];
};
const queries = loadQueries();
const sw = Number(process.env.STRIPPED_WEIGHT ?? 2.5);
const groups = d.dev.map((g) => (g.weight ? { ...g, weight: sw } : g));
const t0 = Date.now();
const model = fitModel(groups, 'refit');
process.stderr.write(`fit ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
for (const [variant, collected] of d.evals) {
  console.log(`${variant.padEnd(9)} shipped ${formatScore(scoreEval(collected, queries, (c) => rankerScore(FIXED_RANKER, c.x)))}`);
  console.log(`${variant.padEnd(9)} refit   ${formatScore(scoreEval(collected, queries, (c) => rankerScore(model, c.x)))}`);
}
