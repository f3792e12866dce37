import { queryTerms } from '../shared/codeTokens.js';
import type { IndexFilter, Store } from '../store/index.js';
import type { RankingParams } from './rankingParams.js';

/** Chunk ids by BM25 over the code-aware tokens of the query, or over the terms given (any term may match), best first. */
export async function lexicalList(
  store: Store,
  query: string | readonly string[],
  filter: IndexFilter,
  params: RankingParams,
  limit: number,
): Promise<number[]> {
  const terms = typeof query === 'string' ? queryTerms(query) : [...query];
  if (terms.length === 0) return [];
  const rows = await store.index.lexical({ terms, fieldWeights: params.bm25 }, filter, limit);
  return rows.map((r) => r.chunkId);
}
