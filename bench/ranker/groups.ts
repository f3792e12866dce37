/**
 * Training groups for the ranker from repositories' own documented code (synthetic.ts): shared by the fixed model's
 * training (train.ts) and the leave-one-repository-out measurement (loro.ts).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext } from '../../src/core/context.js';
import { listRepos } from '../../src/core/repos.js';
import { dedupeOverlaps } from '../../src/search/fusion.js';
import { type RankerModel, rankerScore, type TrainingGroup, trainHiddenRanker, trainRanker } from '../../src/search/learnedRanker.js';
import { FIXED_RANKER } from '../../src/search/rankerModel.js';
import { FEATURE_NAMES } from '../../src/search/rankFeatures.js';
import { RANKING_PARAMS } from '../../src/search/rankingParams.js';
import { answers } from '../../src/search/repositoryRanker/pairs.js';
import { EVAL_WORK_DIR, type QueryRow, repoName, treeDir, type Variant } from '../eval/dataset.js';
import { openApp } from '../eval/gitloreSystem.js';
import { type Candidate, type CollectedQuery, collect } from './collect.js';
import { type SyntheticPair, strippedTree, syntheticPairs } from './synthetic.js';

const log = (m: string) => process.stderr.write(`${m}\n`);

export type EvalApp = Awaited<ReturnType<typeof appFor>>;

export async function appFor(trees: { name: string; dir: string }[], tag: string) {
  const app = await openApp(trees, tag, log);
  const ids = new Map((await listRepos({}, createContext(app))).map((r) => [r.name, r.id]));
  return { app, ids };
}

/**
 * Trees of other repositories for training pairs: `owner/name` (fetched into MIRROR_DIR, default /work/.mirror, as
 * `<owner>+<name>/repo`; cloned at its head into .eval/extra/), or a name of the eval's own trees (`pylint`).
 */
export function extraTrees(list: string | undefined): { name: string; dir: string }[] {
  const mirrorDir = process.env.MIRROR_DIR ?? '/work/.mirror';
  return (list ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      if (!entry.includes('/')) return { name: entry, dir: treeDir('with-docs', entry) };
      const name = entry.split('/')[1]!;
      const dir = join(EVAL_WORK_DIR, 'extra', name);
      if (!existsSync(dir)) {
        mkdirSync(join(dir, '..'), { recursive: true });
        execFileSync('git', ['clone', '-q', join(mirrorDir, entry.replace('/', '+'), 'repo'), dir]);
      }
      return { name, dir };
    });
}

const toGroups = (collected: CollectedQuery[], ps: SyntheticPair[]): TrainingGroup[] =>
  collected.map((c, i) => ({ features: c.candidates.map((x) => x.x), gold: c.candidates.map((x) => answers(ps[i]!, x.chunk)) }));

export interface GroupOptions {
  /** Doc pairs per repository (and a third as many name pairs). */
  perRepo: number;
  /** How much a stripped group counts against a with-docs one. */
  strippedWeight: number;
  /** Only the pairs over the trees as they are (what an index holds), no stripped copy. */
  withDocsOnly?: boolean;
  /** Eval queries whose gold symbols and sentences are never a pair. */
  exclude: QueryRow[];
}

/** A training group, with the repository its pair came from. */
export type RepoGroup = TrainingGroup & { repo: string };

/**
 * Training groups from some repositories' own documented code: 1. the pairs over the trees as they are, 2. the doc
 * pairs again over copies of the trees without those sentences (the stripped regime).
 */
export async function groupsFrom(repos: { name: string; dir: string }[], withDocs: EvalApp, tag: string, o: GroupOptions) {
  const pairs: SyntheticPair[] = [];
  for (const { name } of repos) {
    const own = await syntheticPairs(
      withDocs.app,
      name,
      withDocs.ids.get(name)!,
      o.exclude.filter((q) => repoName(q.repo) === name),
      o.perRepo,
    );
    log(`${name}: ${own.filter((p) => !p.anyOfName).length} doc pairs, ${own.filter((p) => p.anyOfName).length} name pairs`);
    pairs.push(...own);
  }
  const docPairs = pairs.filter((p) => !p.anyOfName);
  const tagged = (gs: TrainingGroup[], ps: SyntheticPair[]): RepoGroup[] => gs.map((g, i) => ({ ...g, repo: ps[i]!.repo }));
  const groups = tagged(toGroups(await collect(withDocs.app, withDocs.ids, pairs), pairs), pairs);
  if (!o.withDocsOnly) {
    // STRIP_FOLDS=F: F copies, each without one F-th of the sentences (every F-th pair), so most of an
    // answer's neighbours keep their docs, as in a documented code base with some undocumented functions. Measured
    // (F=4, 2026-12-05): stripped 0.704 → 0.704 but with docs 0.959 → 0.936 (it learns to distrust a matching doc).
    const folds = Math.max(1, Number(process.env.STRIP_FOLDS ?? 1));
    for (let fold = 0; fold < folds; fold++) {
      const foldPairs = docPairs.filter((_, i) => i % folds === fold);
      const trees = repos.map(({ name, dir }) => ({
        name,
        dir: strippedTree(
          dir,
          name,
          foldPairs.filter((p) => p.repo === name),
          folds > 1 ? `-f${fold}` : '',
        ),
      }));
      const stripped = await appFor(trees, folds > 1 ? `${tag}-stripped-f${fold}` : `${tag}-stripped`);
      groups.push(
        ...tagged(toGroups(await collect(stripped.app, stripped.ids, foldPairs), foldPairs), foldPairs).map((g) => ({
          ...g,
          weight: o.strippedWeight,
        })),
      );
      await stripped.app.close();
    }
  }
  return { groups, pairs: pairs.length, docPairs: docPairs.length };
}

// Demotions the pairs cannot teach (the dev repositories hold no vendored copies, and import lists never answer a doc
// sentence) stay linear: the units do not read them, and their weights keep the RRF priors' ratio to the test prior.
const LINEAR_ONLY = ['vendored', 'kindImports'] as const;

/**
 * The ranker fitted to training groups: a linear model, then (UNITS > 0) a layer of rectified units on top, then the
 * temperature that puts its scores on the priors' scale.
 */
export function fitModel(groups: TrainingGroup[], trainedOn: string, o: { orgOnly?: boolean } = {}): RankerModel {
  // 600 epochs: dev set 0.949 / 0.650 (with-docs / stripped MRR@10 here) at 300, 0.950 / 0.656 at 600, 0.950 / 0.655 at 1000.
  const linear = trainRanker(groups, {
    epochs: Number(process.env.EPOCHS ?? 600),
    l2: Number(process.env.L2 ?? (o.orgOnly ? (process.env.ORG_L2 ?? 0.05) : 1e-3)),
    init: o.orgOnly ? FIXED_RANKER.weights : undefined,
    trainedOn: '',
  });
  // 16 units × 3 starts, 300 epochs, L2 1e-2 (dev set, stripped MRR@10 / Hit@1 here: linear 0.668 / 0.544; 8 units
  // 0.696 / 0.581; 16 units 0.700–0.709; 32 units 0.691; L2 3e-3 lost 0.03 with docs, 3e-2 lost 0.04 stripped).
  const units = Number(process.env.UNITS ?? 16);
  const seeds = Number(process.env.SEEDS ?? 3);
  const model: RankerModel =
    units > 0
      ? trainHiddenRanker(groups, {
          units,
          seeds,
          epochs: Number(process.env.UNIT_EPOCHS ?? 300),
          l2: Number(process.env.UNIT_L2 ?? 1e-2),
          linear,
          linearOnly: LINEAR_ONLY,
          trainedOn: `${trainedOn}; ${units} rectified units × ${seeds} starts`,
        })
      : { ...linear, trainedOn };
  const at = (n: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(n);
  const { priors } = RANKING_PARAMS;
  // What marking a candidate as a test changes its score by, on average over the training candidates (with units the
  // test feature's effect is no longer one weight).
  let sum = 0;
  let n = 0;
  for (const g of groups)
    for (const x of g.features) {
      const on = Float64Array.from(x);
      const off = Float64Array.from(x);
      on[at('test')] = 1;
      off[at('test')] = 0;
      sum += rankerScore(model, on) - rankerScore(model, off);
      n += 1;
    }
  const testWeight = sum / Math.max(1, n);
  const scale = testWeight / Math.log(priors.test);
  const weights = [...model.weights];
  weights[at('vendored')] = Math.min(weights[at('vendored')]!, scale * Math.log(priors.vendored));
  weights[at('kindImports')] = Math.min(weights[at('kindImports')]!, scale * Math.log(priors.imports));
  return { ...model, weights, temperature: Number(scale.toFixed(4)) };
}

export interface EvalScore {
  /** Mean over repositories of each one's MRR@10 (the eval's macro average). */
  mrr: number;
  hit1: number;
  perRepo: Map<string, { mrr: number; hit1: number }>;
}

/** MRR@10 and Hit@1 of a scoring over collected eval queries (`collected[i]` is `queries[i]`'s), per repository. */
export function scoreEval(collected: CollectedQuery[], queries: QueryRow[], score: (c: Candidate) => number): EvalScore {
  const isGold = (row: QueryRow, ch: { path: string; startLine: number; endLine: number }) =>
    ch.path === row.gold_path && ch.startLine <= row.end_line && ch.endLine >= row.start_line;
  const byRepo = new Map<string, number[]>();
  collected.forEach((c, i) => {
    const row = queries[i]!;
    const ranked = c.candidates.map((x) => ({ chunk: x.chunk, score: score(x) })).sort((a, b) => b.score - a.score);
    const r = dedupeOverlaps(ranked)
      .slice(0, 10)
      .findIndex((t) => isGold(row, t.chunk));
    const name = repoName(row.repo);
    byRepo.set(name, [...(byRepo.get(name) ?? []), r < 0 ? 0 : 1 / (r + 1)]);
  });
  return macroScore(
    new Map(
      [...byRepo].map(([name, xs]) => [
        name,
        { mrr: xs.reduce((a, b) => a + b, 0) / xs.length, hit1: xs.filter((x) => x === 1).length / xs.length },
      ]),
    ),
  );
}

/** The macro average of per-repository scores. */
export function macroScore(perRepo: EvalScore['perRepo']): EvalScore {
  const mean = (f: (v: { mrr: number; hit1: number }) => number) =>
    [...perRepo.values()].reduce((a, v) => a + f(v), 0) / Math.max(1, perRepo.size);
  return { mrr: mean((v) => v.mrr), hit1: mean((v) => v.hit1), perRepo };
}

export const formatScore = (s: EvalScore) =>
  `MRR@10 ${s.mrr.toFixed(3)} H@1 ${s.hit1.toFixed(3)} [${[...s.perRepo.values()].map((v) => v.mrr.toFixed(3)).join(' ')}]`;

/** The eval queries' candidates in both variants (the with-docs index is the one given; the stripped one is opened). */
export async function collectEval(withDocs: EvalApp, queries: QueryRow[]): Promise<[Variant, CollectedQuery[]][]> {
  const names = [...new Set(queries.map((q) => repoName(q.repo)))];
  const out: [Variant, CollectedQuery[]][] = [];
  for (const variant of ['with-docs', 'stripped'] as Variant[]) {
    const ev =
      variant === 'with-docs'
        ? withDocs
        : await appFor(
            names.map((name) => ({ name, dir: treeDir(variant, name) })),
            variant,
          );
    const rows = queries.map((q) => ({ repo: repoName(q.repo), query: q.query }));
    out.push([variant, await collect(ev.app, ev.ids, rows)]);
  }
  return out;
}

/** EXTRA_WEIGHT (default 1): how much the other repositories' groups count against the query repositories'. */
export function extraWeighted<G extends TrainingGroup>(groups: G[]): G[] {
  const w = Number(process.env.EXTRA_WEIGHT ?? 1);
  return w === 1 ? groups : groups.map((g) => ({ ...g, weight: (g.weight ?? 1) * w }));
}

/** loro.ts's cache of collected candidates: keyed by what the candidates and their features depend on. */
export function rankerCacheFile(extraRepos: string[], strippedWeight: number): string {
  const h = createHash('sha1').update(JSON.stringify({ extraRepos, strippedWeight, embeddings: process.env.EVAL_EMBEDDINGS }));
  for (const dir of ['src/search', 'src/shared', 'bench/ranker']) {
    const root = join(import.meta.dirname, '../..', dir);
    for (const f of readdirSync(root).sort()) if (f.endsWith('.ts') && !f.endsWith('.test.ts')) h.update(readFileSync(join(root, f)));
  }
  return join(EVAL_WORK_DIR, 'ranker-cache', `loro-${h.digest('hex').slice(0, 12)}.bin`);
}

/** Where loro.ts keeps a held-out fit's model, beside the cache (orgLearning.ts starts from it). */
export function heldOutModelFile(cache: string, config: string, held: string): string {
  return cache.replace(/\.bin$/, `-${config.replace(/\W+/g, '_')}-${held}.json`);
}
