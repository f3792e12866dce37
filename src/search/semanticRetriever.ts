import type { Embedder } from '../embeddings/embedder.js';
import type { IndexFilter, Store } from '../store/index.js';

/** The semantic list of a query: its vector and the chunk ids nearest to it, best first. */
export interface SemanticList {
  model: string;
  vector: Float32Array;
  ids: number[];
}

/** Chunk ids nearest to the query's embedding, best first (the store's vector port does the search). */
export async function semanticList(
  store: Store,
  embedder: Embedder,
  query: string,
  filter: IndexFilter,
  limit: number,
): Promise<SemanticList | null> {
  const [vector] = await embedder.embed([query]);
  if (!vector) return null;
  return { model: embedder.id, vector, ids: await store.index.nearest(embedder.id, vector, limit, filter) };
}

/** Cosine of the query's vector with each chunk's (vectors are L2-normalised); chunks without a vector are absent. */
export async function cosines(store: Store, list: SemanticList, chunkIds: number[]): Promise<Map<number, number>> {
  const vectors = await store.index.vectorsOf(list.model, chunkIds);
  const out = new Map<number, number>();
  for (const [id, v] of vectors) {
    if (v.length !== list.vector.length) continue;
    let dot = 0;
    for (let d = 0; d < v.length; d += 1) dot += v[d]! * list.vector[d]!;
    out.set(id, dot);
  }
  return out;
}
