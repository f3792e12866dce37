import { isIdentifierLike } from '../../shared/codeTokens.js';
import type { IndexedChunk } from '../../store/index.js';
import { gatherCandidates } from '../candidates.js';
import { type FusedCandidate, rrfScore } from '../fusion.js';
import { retrieverQueries } from '../issueText.js';
import type { TrainingGroup } from '../learnedRanker.js';
import { applyPriors, queryWants } from '../priors.js';
import { queryShape, rankFeatures } from '../rankFeatures.js';
import { RANKING_PARAMS, type RankingParams } from '../rankingParams.js';
import type { SearchDeps } from '../types.js';
import { answers, type TrainingPair } from './pairs.js';

export interface RankedCandidate {
  chunk: IndexedChunk;
  /** The ranker's features (rankFeatures.ts). */
  x: Float64Array;
  /** Reciprocal rank fusion with the priors: the score without a ranker. */
  rrf: number;
}

/** Every hybrid candidate of a query within one repository, with its features: what the ranker sees before it orders them. */
export async function rankerCandidates(
  deps: SearchDeps,
  repoId: number,
  query: string,
  params: RankingParams = RANKING_PARAMS,
): Promise<RankedCandidate[]> {
  const { fused, chunks, evidence } = await gatherCandidates(deps, retrieverQueries(query), { repoIds: [repoId] }, params, {
    mode: 'hybrid',
    overfetch: 1,
    forRanker: true,
  });
  const wants = queryWants(query);
  const xs = rankFeatures(chunks, evidence, queryShape(query, wants));
  const weights = isIdentifierLike(query) ? params.identifierWeights : params.weights;
  const rrf = (id: number) => rrfScore(fused.get(id) as FusedCandidate, weights, params.rrfK);
  return chunks.map((chunk, i) => ({ chunk, x: xs[i]!, rrf: applyPriors(rrf(chunk.id), chunk, wants, params.priors) }));
}

/** One training group per pair: its candidates' features and which of them answer it. */
export async function trainingGroups(deps: SearchDeps, repoId: number, pairs: TrainingPair[], weight = 1): Promise<TrainingGroup[]> {
  const out: TrainingGroup[] = [];
  for (const pair of pairs) {
    const candidates = await rankerCandidates(deps, repoId, pair.query);
    out.push({ features: candidates.map((c) => c.x), gold: candidates.map((c) => answers(pair, c.chunk)), weight });
  }
  return out;
}
