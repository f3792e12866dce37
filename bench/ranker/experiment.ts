/**
 * Does a learned ranker beat today's fusion on the dev queries? Leave-one-repository-out: train on five repos'
 * queries (both variants), score the sixth; also the fixed-weights baseline measured in the same harness.
 *   EVAL_EMBEDDINGS=codevec npx tsx bench/ranker/experiment.ts
 */

import { createContext } from '../../src/core/context.js';
import { listRepos } from '../../src/core/repos.js';
import { dedupeOverlaps } from '../../src/search/fusion.js';
import { rankerScore, type TrainingGroup, trainRanker } from '../../src/search/learnedRanker.js';
import { FIXED_RANKER } from '../../src/search/rankerModel.js';
import { FEATURE_NAMES } from '../../src/search/rankFeatures.js';
import { loadQueries, type QueryRow, repoName, treeDir, type Variant } from '../eval/dataset.js';
import { openApp } from '../eval/gitloreSystem.js';
import { type CollectedQuery, collect } from './collect.js';

const log = (m: string) => process.stderr.write(`${m}\n`);
const queries = loadQueries();
const names = [...new Set(queries.map((q) => repoName(q.repo)))];
const data: { variant: Variant; row: QueryRow; c: CollectedQuery }[] = [];
for (const variant of ['with-docs', 'stripped'] as Variant[]) {
  const app = await openApp(
    names.map((name) => ({ name, dir: treeDir(variant, name) })),
    variant,
    log,
  );
  const repos = await listRepos({}, createContext(app));
  const ids = new Map(repos.map((r) => [r.name, r.id]));
  const collected = await collect(
    app,
    ids,
    queries.map((q) => ({ repo: repoName(q.repo), query: q.query })),
  );
  for (const [i, c] of collected.entries()) data.push({ variant, row: queries[i]!, c });
  await app.close();
}
const isGold = (row: QueryRow, ch: { path: string; startLine: number; endLine: number }) =>
  ch.path === row.gold_path && ch.startLine <= row.end_line && ch.endLine >= row.start_line;
const recall = (v: Variant) => {
  const d = data.filter((x) => x.variant === v);
  return d.filter((x) => x.c.candidates.some((c) => isGold(x.row, c.chunk))).length / d.length;
};
log(`candidate recall: with-docs ${recall('with-docs').toFixed(3)} stripped ${recall('stripped').toFixed(3)}`);

function rr(row: QueryRow, c: CollectedQuery, score: (x: (typeof c.candidates)[number]) => number): number {
  const ranked = c.candidates.map((cand) => ({ chunk: cand.chunk, score: score(cand) })).sort((a, b) => b.score - a.score);
  const top = dedupeOverlaps(ranked).slice(0, 10);
  const i = top.findIndex((t) => isGold(row, t.chunk));
  return i < 0 ? 0 : 1 / (i + 1);
}
const group = (d: (typeof data)[number]): TrainingGroup => ({
  features: d.c.candidates.map((c) => c.x),
  gold: d.c.candidates.map((c) => isGold(d.row, c.chunk)),
});
const report = (label: string, mrr: (d: (typeof data)[number]) => number) => {
  const line = (['with-docs', 'stripped'] as Variant[]).map((v) => {
    const per = names.map((n) => {
      const d = data.filter((x) => x.variant === v && repoName(x.row.repo) === n);
      return d.reduce((a, x) => a + mrr(x), 0) / d.length;
    });
    const h1 = data.filter((x) => x.variant === v).filter((x) => mrr(x) === 1).length / data.filter((x) => x.variant === v).length;
    return `${v} MRR ${(per.reduce((a, b) => a + b, 0) / per.length).toFixed(3)} H@1 ${h1.toFixed(3)} [${per.map((p) => p.toFixed(2)).join(' ')}]`;
  });
  console.log(`${label.padEnd(22)} ${line.join(' | ')}`);
};
report('rrf (today)', (d) => rr(d.row, d.c, (c) => c.rrf));
const epochs = Number(process.env.EPOCHS ?? 300);
const l2 = Number(process.env.L2 ?? 1e-3);
const loro = new Map<(typeof data)[number], number>();
for (const held of names) {
  const train = data.filter((d) => repoName(d.row.repo) !== held).map(group);
  const model = trainRanker(train, { epochs, l2, trainedOn: 'loro' });
  for (const d of data.filter((x) => repoName(x.row.repo) === held))
    loro.set(
      d,
      rr(d.row, d.c, (c) => rankerScore(model, c.x)),
    );
}
report('learned (leave-1-out)', (d) => loro.get(d)!);
const all = trainRanker(data.map(group), { epochs, l2, trainedOn: 'all' });
report('learned (train=test)', (d) => rr(d.row, d.c, (c) => rankerScore(all, c.x)));
console.log(FEATURE_NAMES.map((n, i) => `${n}=${all.weights[i]!.toFixed(2)}`).join(' '));
if (process.env.SHOW) {
  const picked = data.filter(
    (x) =>
      x.variant === 'stripped' &&
      (process.env.SHOW === 'all' || repoName(x.row.repo) === process.env.SHOW) &&
      (!process.env.SHOW_KIND || x.row.kind === process.env.SHOW_KIND),
  );
  let shown = 0;
  for (const d of picked) {
    const ranked = d.c.candidates.map((c) => ({ chunk: c.chunk, score: rankerScore(FIXED_RANKER, c.x) })).sort((a, b) => b.score - a.score);
    const top = dedupeOverlaps(ranked).slice(0, 5);
    const gi = dedupeOverlaps(ranked).findIndex((t) => isGold(d.row, t.chunk));
    // SHOW_MISSES=1: only the queries whose answer is not first.
    if ((process.env.SHOW_MISSES && gi === 0) || shown++ >= Number(process.env.SHOW_COUNT ?? 16)) continue;
    console.log(`\nQ: ${d.row.query}\n  gold ${d.row.gold_path}:${d.row.start_line} ${d.row.gold_symbol} (rank ${gi + 1})`);
    for (const t of top)
      console.log(
        `   ${isGold(d.row, t.chunk) ? '*' : ' '} ${t.chunk.path}:${t.chunk.startLine}-${t.chunk.endLine} ${t.chunk.kind} ${t.chunk.symbol}`,
      );
  }
}
