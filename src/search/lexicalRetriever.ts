import { queryTerms } from '../shared/codeTokens.js';
import type { IndexFilter, Store } from '../store/index.js';
import type { RankingParams } from './rankingParams.js';

/** Chunks by BM25 over the code-aware tokens of the query, or over the terms given (any term may match), best first (lower score is better). */
export async function lexicalList(
  store: Store,
  query: string | readonly string[],
  filter: IndexFilter,
  params: RankingParams,
  limit: number,
): Promise<{ chunkId: number; score: number }[]> {
  const terms = typeof query === 'string' ? queryTerms(query) : [...query];
  if (terms.length === 0) return [];
  return store.index.lexical({ terms, fieldWeights: params.bm25 }, filter, limit);
}
