import type { Embedder } from '../embeddings/embedder.js';
import { dot } from '../embeddings/vectors.js';
import { splitIdentifier } from '../shared/codeTokens.js';
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
    if (v.length === list.vector.length) out.set(id, dot(v, list.vector));
  }
  return out;
}

/** Each name's vector, per model (names come back query after query; bounded). */
const nameVectors = new Map<string, Float32Array>();

/**
 * Cosine of the query's vector with each candidate's name read as words (`is_informational` → "is informational"):
 * what the name alone says, for code whose doc comment is missing and whose body talks of other things.
 */
export async function nameCosines(
  embedder: Embedder,
  list: SemanticList,
  chunks: readonly { id: number; symbol: string | null }[],
): Promise<Map<number, number>> {
  const names = new Map<number, string>();
  for (const c of chunks) {
    const name = c.symbol ? splitIdentifier(c.symbol.split(/[.:#]/).pop() ?? c.symbol).join(' ') : '';
    if (name) names.set(c.id, `${list.model}\0${name}`);
  }
  const missing = [...new Set(names.values())].filter((key) => !nameVectors.has(key));
  if (missing.length > 0) {
    const vectors = await embedder.embed(missing.map((key) => key.slice(key.indexOf('\0') + 1)));
    if (nameVectors.size + missing.length > 50_000) nameVectors.clear();
    missing.forEach((key, i) => {
      nameVectors.set(key, vectors[i]!);
    });
  }
  const out = new Map<number, number>();
  for (const [id, key] of names) {
    const v = nameVectors.get(key);
    if (v && v.length === list.vector.length) out.set(id, dot(v, list.vector));
  }
  return out;
}
