/**
 * Candidates with ranker features for a set of queries over an eval index: what the engine sees before
 * it orders the candidates. Shared by the ranker experiments and the fixed model's training.
 */
import type { App } from '../../src/core/app.js';
import { fuseRanks, rrfScore } from '../../src/search/fusion.js';
import { lexicalList } from '../../src/search/lexicalRetriever.js';
import { applyPriors, queryWants } from '../../src/search/priors.js';
import { queryShape, rankFeatures } from '../../src/search/rankFeatures.js';
import { RANKING_PARAMS } from '../../src/search/rankingParams.js';
import { cosines, semanticList } from '../../src/search/semanticRetriever.js';
import { symbolList } from '../../src/search/symbolRetriever.js';
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
  const embedder = await app.embedder();
  const out: CollectedQuery[] = [];
  for (const row of rows) {
    const filter = { repoIds: [repoIds.get(row.repo)!] };
    const lexical = await lexicalList(app.store, row.query, filter, params, params.candidates.lexical);
    const symbol = await symbolList(app.store, row.query, filter, params, params.candidates.symbol);
    const list = embedder ? await semanticList(app.store, embedder, row.query, filter, params.candidates.semantic) : null;
    const semantic = list?.ids ?? [];
    const fused = fuseRanks({ lexical: lexical.map((r) => r.chunkId), semantic, symbol: symbol.map((s) => s.chunkId) });
    const ids = [...fused.keys()];
    const chunks = await app.store.index.chunks(ids);
    const cosine = list ? await cosines(app.store, list, ids) : undefined;
    const wants = queryWants(row.query);
    const shape = queryShape(row.query, wants);
    const xs = rankFeatures(chunks, { lexical, semantic, symbol, cosine }, shape);
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
