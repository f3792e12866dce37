import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Embedder } from '../embeddings/embedder.js';
import { copyRepositoryIndex } from '../indexer/indexCopy.js';
import { prepareFile } from '../indexer/prepareFile.js';
import { createPreparer } from '../indexer/preparePool.js';
import { boostingSteps, REPOSITORY_TREES } from '../search/boostedTrees.js';
import { modelFits, type RankerModel } from '../search/learnedRanker.js';
import { RANKING_PARAMS } from '../search/rankingParams.js';
import { repositoryPairs, type TrainingPair, withoutSpans } from '../search/repositoryRanker/pairs.js';
import { modelFingerprint, readStoredTrees, writeStoredTrees } from '../search/repositoryRanker/storedTrees.js';
import { trainingGroups } from '../search/repositoryRanker/trainingGroups.js';
import type { Logger } from '../shared/logger.js';
import { openStore, type RepoRecord } from '../store/index.js';
import type { Services } from './services.js';

/** Doc pairs per repository (and a third as many name pairs): 150 is what the simulation measured. */
const PAIRS_PER_REPO = 150;
/** Fewer documented definitions than this and the repository keeps the fixed model alone. */
const MIN_DOC_PAIRS = 30;
/** A repository learns again once this share of its files changed in one run (or when it has no trees that fit). */
const RELEARN_CHANGED_SHARE = 0.1;

export interface RankerLearning {
  repo: string;
  /** `learned`; `kept` (trees that fit and few changes); `too-few` (fewer documented definitions than MIN_DOC_PAIRS). */
  status: 'learned' | 'kept' | 'too-few';
  docPairs: number;
  namePairs: number;
  trees: number;
  ms: number;
}

export interface LearnRankersOptions {
  embedder: Embedder | null;
  signal: AbortSignal;
  log: Logger;
  /** Files added, changed or removed in this run, by repository name. */
  changed: Map<string, number>;
  /** Learn even while RANKING_PARAMS.repositoryTrees is off (tests, benchmarks). */
  force?: boolean;
  /** Fewer doc pairs than this and a repository keeps the fixed model (default MIN_DOC_PAIRS). */
  minDocPairs?: number;
}

/**
 * Learns each repository's own ranker trees at index time (search/repositoryRanker/): its documented definitions'
 * first sentences are queries whose answers are known, asked of the index as it is and of a copy where those
 * sentences were deleted (so the words of a query are not in its answer, as when a user's words differ from the
 * code's), and trees learn what ranks the answers first on top of the fixed model.
 */
export async function learnRepositoryRankers(app: Services, repos: RepoRecord[], o: LearnRankersOptions): Promise<RankerLearning[]> {
  const base = RANKING_PARAMS.ranker;
  if (!base || !modelFits(base) || !(o.force || RANKING_PARAMS.repositoryTrees)) return [];
  const out: RankerLearning[] = [];
  for (const repo of repos) {
    o.signal.throwIfAborted();
    const started = performance.now();
    const state = await app.store.index.getState(repo.id);
    const files = (await app.store.index.fileBlobs(repo.id)).size;
    const stored = await readStoredTrees(app.store, repo.id);
    const fits = stored !== null && stored.base === modelFingerprint(base) && stored.repo === repo.name;
    if (fits && (o.changed.get(repo.name) ?? 0) < Math.max(1, RELEARN_CHANGED_SHARE * files)) {
      out.push({ repo: repo.name, status: 'kept', docPairs: 0, namePairs: 0, trees: stored.trees.length, ms: 0 });
      continue;
    }
    const pairs = await repositoryPairs(app.store, repo.name, repo.id, { perRepo: PAIRS_PER_REPO });
    const docPairs = pairs.filter((p) => p.deletion);
    const summary = { repo: repo.name, docPairs: docPairs.length, namePairs: pairs.length - docPairs.length };
    if (docPairs.length < (o.minDocPairs ?? MIN_DOC_PAIRS)) {
      out.push({ ...summary, status: 'too-few', trees: 0, ms: performance.now() - started });
      continue;
    }
    const model = await learnTrees(app, repo, base, pairs, o);
    await writeStoredTrees(app.store, repo.id, {
      repo: repo.name,
      base: modelFingerprint(base),
      trees: [...(model.trees ?? [])],
      trainedOn: model.trainedOn,
      commit: state?.commit ?? null,
      files,
      learnedAt: new Date().toISOString(),
    });
    const ms = performance.now() - started;
    o.log.info('repository ranker learned', { ...summary, trees: model.trees?.length ?? 0, ms: Math.round(ms) });
    out.push({ ...summary, status: 'learned', trees: model.trees?.length ?? 0, ms });
  }
  return out;
}

async function learnTrees(app: Services, repo: RepoRecord, base: RankerModel, pairs: TrainingPair[], o: LearnRankersOptions) {
  const embedder = async () => o.embedder;
  const groups = await trainingGroups({ store: app.store, embedder }, repo.id, pairs);
  const docPairs = pairs.filter((p) => p.deletion);
  // The stripped regime: an index of the repository with the doc pairs' sentences deleted, beside the real one.
  const dir = join(app.config.dataDir, 'tmp', `ranker-${process.pid}-${repo.id}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spans = new Map<string, { start: number; end: number }[]>();
  for (const p of docPairs) spans.set(p.path, [...(spans.get(p.path) ?? []), p.deletion!]);
  const scratch = await openStore({ dbPath: join(dir, 'copy.db') });
  const preparer = await createPreparer(prepareFile, { workers: 1 });
  try {
    const copyId = await copyRepositoryIndex(app.store, scratch, repo, {
      transform: (path, content) => {
        const s = spans.get(path);
        return s ? withoutSpans(content, s) : content;
      },
      embedder: o.embedder,
      preparer,
      signal: o.signal,
    });
    groups.push(...(await trainingGroups({ store: scratch, embedder }, copyId, docPairs)));
  } finally {
    await preparer.close();
    await scratch.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const trainedOn = `${repo.name}'s own pairs: ${pairs.length} with its doc sentences (${docPairs.length} sentences, ${pairs.length - docPairs.length} names), ${docPairs.length} without; ${REPOSITORY_TREES.trees} trees of depth ${REPOSITORY_TREES.depth}`;
  const steps = boostingSteps(groups, base, { ...REPOSITORY_TREES, trainedOn });
  for (;;) {
    o.signal.throwIfAborted();
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}
