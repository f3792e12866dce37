import type { Embedder } from '../embeddings/embedder.js';
import type { IndexFilter, Store } from '../store/index.js';

/** Chunk ids nearest to the query's embedding, best first (the store's vector port does the search). */
export async function semanticList(store: Store, embedder: Embedder, query: string, filter: IndexFilter, limit: number): Promise<number[]> {
  const [q] = await embedder.embed([query]);
  if (!q) return [];
  return store.index.nearest(embedder.id, q, limit, filter);
}
