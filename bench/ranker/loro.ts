/**
 * How the ranker does on repositories it was not trained on: leave one query repository out of the training pairs,
 * fit the model on the others (optionally plus pairs from other public repositories), score the held-out repository's
 * eval queries. The fixed model is trained on every query repository's pairs, so the eval scores it in-repository; a
 * held-out set from other repositories is scored like this.
 *   EVAL_EMBEDDINGS=codevec EXTRA=psf/requests,expressjs/express npx tsx bench/ranker/loro.ts
 * EXTRA: as TRAIN_EXTRA of train.ts (groups.ts extraTrees). The candidates are collected once per build of the search code (cached in
 * .eval/ranker-cache/), then the fits run in two processes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { rankerScore } from '../../src/search/learnedRanker.js';
import { FIXED_RANKER } from '../../src/search/rankerModel.js';
import { loadQueries, repoName, treeDir, type Variant } from '../eval/dataset.js';
import type { CollectedQuery } from './collect.js';
import {
  appFor,
  collectEval,
  type EvalScore,
  extraTrees,
  extraWeighted,
  fitModel,
  formatScore,
  groupsFrom,
  heldOutModelFile,
  macroScore,
  type RepoGroup,
  rankerCacheFile,
  scoreEval,
} from './groups.js';

const log = (m: string) => process.stderr.write(`${m}\n`);
const queries = loadQueries();
const names = [...new Set(queries.map((q) => repoName(q.repo)))];
const strippedWeight = Number(process.env.STRIPPED_WEIGHT ?? 2.5);
const extraRepos = (process.env.EXTRA ?? '').split(',').filter(Boolean);

export interface Collected {
  dev: RepoGroup[];
  extra: RepoGroup[];
  evals: [Variant, CollectedQuery[]][];
}

async function collectAll(): Promise<Collected> {
  const options = { perRepo: 150, strippedWeight, exclude: queries };
  const extras = extraTrees(process.env.EXTRA);
  const devTrees = names.map((name) => ({ name, dir: treeDir('with-docs', name) }));
  const withDocs = await appFor(devTrees, 'with-docs');
  const dev = (await groupsFrom(devTrees, withDocs, 'train', options)).groups;
  const extra = extras.length > 0 ? (await groupsFrom(extras, await appFor(extras, 'loro-extra'), 'loro-extra', options)).groups : [];
  const evals = await collectEval(withDocs, queries);
  return { dev, extra, evals };
}

const CONFIGS = {
  '5 query repos': (d: Collected, held: string) => d.dev.filter((g) => g.repo !== held),
  '5 + others': (d: Collected, held: string) => [...d.dev.filter((g) => g.repo !== held), ...extraWeighted(d.extra)],
  'others only': (d: Collected) => d.extra,
} as const;
type ConfigName = keyof typeof CONFIGS;
interface Job {
  config: ConfigName;
  held: string;
}
interface JobResult extends Job {
  variant: Variant;
  mrr: number;
  hit1: number;
}

/** Fits one model per job and scores its held-out repository's queries (run in a child process). */
function runJobs(d: Collected, jobs: Job[]): JobResult[] {
  const out: JobResult[] = [];
  for (const job of jobs) {
    const model = fitModel(CONFIGS[job.config](d, job.held), `without ${job.held}`);
    writeFileSync(heldOutModelFile(file, job.config, job.held), JSON.stringify(model));
    for (const [variant, collected] of d.evals) {
      const rows = queries.map((q, i) => ({ q, c: collected[i]! })).filter((r) => repoName(r.q.repo) === job.held);
      const s = scoreEval(
        rows.map((r) => r.c),
        rows.map((r) => r.q),
        (c) => rankerScore(model, c.x),
      );
      out.push({ ...job, variant, ...s.perRepo.get(job.held)! });
    }
  }
  return out;
}

// The children read the parent's file, whatever happened to the sources since.
const file = process.env.LORO_CACHE ?? rankerCacheFile(extraRepos, strippedWeight);
if (process.env.LORO_JOBS) {
  const jobs = JSON.parse(process.env.LORO_JOBS) as Job[];
  process.stdout.write(JSON.stringify(runJobs(deserialize(readFileSync(file)) as Collected, jobs)));
} else {
  let d: Collected;
  if (existsSync(file)) d = deserialize(readFileSync(file)) as Collected;
  else {
    d = await collectAll();
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, serialize(d));
  }
  log(`groups: ${d.dev.length} from the query repositories, ${d.extra.length} from ${extraRepos.length} others`);
  // LORO_CONFIGS="5 query repos,5 + others": only those.
  const only = process.env.LORO_CONFIGS?.split(',');
  const configs = (Object.keys(CONFIGS) as ConfigName[]).filter(
    (c) => (d.extra.length > 0 || c === '5 query repos') && (!only || only.includes(c)),
  );
  const jobs = configs.flatMap((config) => names.map((held) => ({ config, held })));
  const workers = Number(process.env.LORO_PROCESSES ?? 2);
  const shares = Array.from({ length: workers }, (_, w) => jobs.filter((_, i) => i % workers === w));
  const results = (
    await Promise.all(
      shares.map(
        (share) =>
          new Promise<JobResult[]>((resolve, reject) => {
            const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!], {
              env: { ...process.env, LORO_JOBS: JSON.stringify(share), LORO_CACHE: file },
              stdio: ['ignore', 'pipe', 'inherit'],
            });
            let text = '';
            child.stdout.on('data', (b: Buffer) => {
              text += b.toString();
            });
            child.on('close', (code) =>
              code === 0 ? resolve(JSON.parse(text) as JobResult[]) : reject(new Error(`fit process exit ${code}`)),
            );
          }),
      ),
    )
  ).flat();
  const evals = new Map(d.evals);
  const report = (label: string, scores: Map<Variant, EvalScore>) =>
    console.log(`${label.padEnd(28)} ${[...scores].map(([v, s]) => `${v} ${formatScore(s)}`).join(' | ')}`);
  report('shipped (in-repository)', new Map([...evals].map(([v, c]) => [v, scoreEval(c, queries, (x) => rankerScore(FIXED_RANKER, x.x))])));
  report('rrf', new Map([...evals].map(([v, c]) => [v, scoreEval(c, queries, (x) => x.rrf)])));
  for (const config of configs) {
    const scores = new Map<Variant, EvalScore>();
    for (const variant of evals.keys()) {
      const perRepo = new Map(
        names.map((n) => {
          const r = results.find((x) => x.config === config && x.held === n && x.variant === variant)!;
          return [n, { mrr: r.mrr, hit1: r.hit1 }];
        }),
      );
      scores.set(variant, macroScore(perRepo));
    }
    report(`held out: ${config}`, scores);
  }
}
