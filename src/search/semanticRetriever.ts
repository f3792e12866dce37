import type { Embedder } from '../embeddings/embedder.js';
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
    if (v.length !== list.vector.length) continue;
    let dot = 0;
    for (let d = 0; d < v.length; d += 1) dot += v[d]! * list.vector[d]!;
    out.set(id, dot);
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
  const nameOf = (symbol: string) => splitIdentifier(symbol.split(/[.:#]/).pop() ?? symbol).join(' ');
  const missing = new Set<string>();
  for (const c of chunks) {
    if (!c.symbol) continue;
    const name = nameOf(c.symbol);
    if (name && !nameVectors.has(`${list.model}\0${name}`)) missing.add(name);
  }
  if (missing.size > 0) {
    const names = [...missing];
    const vectors = await embedder.embed(names);
    if (nameVectors.size + names.length > 50_000) nameVectors.clear();
    names.forEach((n, i) => {
      nameVectors.set(`${list.model}\0${n}`, vectors[i]!);
    });
  }
  const out = new Map<number, number>();
  for (const c of chunks) {
    if (!c.symbol) continue;
    const v = nameVectors.get(`${list.model}\0${nameOf(c.symbol)}`);
    if (!v || v.length !== list.vector.length) continue;
    let dot = 0;
    for (let d = 0; d < v.length; d += 1) dot += v[d]! * list.vector[d]!;
    out.set(c.id, dot);
  }
  return out;
}
