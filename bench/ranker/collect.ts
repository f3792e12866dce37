/**
 * Candidates with ranker features for a set of queries over an eval index: what the engine sees before
 * it orders the candidates. Shared by the ranker experiments and the fixed model's training.
 */
import type { App } from '../../src/core/app.js';
import { gatherCandidates } from '../../src/search/candidates.js';
import { rrfScore } from '../../src/search/fusion.js';
import { retrieverQueries } from '../../src/search/issueText.js';
import { applyPriors, queryWants } from '../../src/search/priors.js';
import { queryShape, rankFeatures } from '../../src/search/rankFeatures.js';
import { RANKING_PARAMS } from '../../src/search/rankingParams.js';
import { isIdentifierLike } from '../../src/shared/codeTokens.js';
import type { IndexedChunk } from '../../src/store/index.js';

export interface Candidate {
  chunk: IndexedChunk;
  x: Float64Array;
  /** Today's score (RRF with priors), for the baseline. */
  rrf: number;
}

export interface CollectedQuery {
  repo: string;
  query: string;
  candidates: Candidate[];
}

export async function collect(app: App, repoIds: Map<string, number>, rows: { repo: string; query: string }[]): Promise<CollectedQuery[]> {
  const params = RANKING_PARAMS;
  const out: CollectedQuery[] = [];
  const deps = { store: app.store, embedder: app.embedder };
  for (const row of rows) {
    const filter = { repoIds: [repoIds.get(row.repo)!] };
    const asked = retrieverQueries(row.query);
    const { fused, chunks, evidence } = await gatherCandidates(deps, asked, filter, params, {
      mode: 'hybrid',
      overfetch: 1,
      forRanker: true,
    });
    const wants = queryWants(row.query);
    const shape = queryShape(row.query, wants);
    const xs = rankFeatures(chunks, evidence, shape);
    const weights = isIdentifierLike(row.query) ? params.identifierWeights : params.weights;
    out.push({
      repo: row.repo,
      query: row.query,
      candidates: chunks.map((chunk, i) => ({
        chunk,
        x: xs[i]!,
        rrf: applyPriors(rrfScore(fused.get(chunk.id)!, weights, params.rrfK), chunk, wants, params.priors),
      })),
    });
  }
  return out;
}
