/**
 * Retrieval systems built over the baseline's function-level chunks, used to
 * compare embedding candidates independent of the product pipeline:
 * bm25, vec:<use|codevec>, and rrf fusions of BM25 with a vector retriever.
 */

import { codeVectorEmbedder } from '../../src/embeddings/codeVectors.js';
import { trainCodeVectors } from '../../src/embeddings/codeVectorTraining.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { createUseEmbedder } from '../../src/embeddings/localUse.js';
import { dot } from '../../src/embeddings/vectors.js';
import { type BaseChunk, chunkTree } from './baselineChunks.js';
import { buildBm25 } from './bm25Baseline.js';
import { embedCached } from './embedCache.js';
import type { RankedHit } from './metrics.js';

export interface SearchSystem {
  name: string;
  search(repo: string, query: string, k: number): Promise<RankedHit[]>;
}

interface Corpus {
  chunks: Map<string, BaseChunk[]>;
}

export function loadCorpus(trees: { name: string; dir: string }[]): Corpus {
  const chunks = new Map<string, BaseChunk[]>();
  for (const t of trees) chunks.set(t.name, chunkTree(t.dir));
  return { chunks };
}

/** Text given to embedders for a chunk: its path, then its code. */
const chunkDoc = (c: BaseChunk) => `${c.path}\n${c.text}`;

export function bm25System(corpus: Corpus): SearchSystem & { raw(repo: string, q: string, k: number): number[] } {
  const indexes = new Map([...corpus.chunks].map(([name, chunks]) => [name, buildBm25(chunks)]));
  return {
    name: 'bm25',
    async search(repo, query, k) {
      return indexes.get(repo)?.search(query, k) ?? [];
    },
    raw: (repo, q, k) =>
      indexes
        .get(repo)
        ?.search(q, k)
        .map((h) => h.id) ?? [],
  };
}

export async function vectorSystem(
  corpus: Corpus,
  which: 'use' | 'codevec',
  log: (m: string) => void,
): Promise<SearchSystem & { raw(repo: string, q: string, k: number): Promise<number[]> }> {
  let embedder: Embedder;
  if (which === 'use') embedder = await createUseEmbedder();
  else {
    const t0 = Date.now();
    const texts: string[] = [];
    for (const chunks of corpus.chunks.values()) for (const c of chunks) texts.push(chunkDoc(c));
    // Experiments: EVAL_CODEVEC='{"train":{"dims":256},"encode":{"headChars":200,"headWeight":3}}'
    const cfg = JSON.parse(process.env.EVAL_CODEVEC ?? '{}') as { train?: object; encode?: object };
    const model = trainCodeVectors(texts, cfg.train);
    log(`codevec trained on ${texts.length} chunks, vocab ${model.vocab.length}, ${Date.now() - t0} ms`);
    embedder = codeVectorEmbedder(model, cfg.encode);
    if (cfg.encode) (embedder as { id: string }).id += `-${JSON.stringify(cfg.encode)}`;
  }
  const vecs = new Map<string, Float32Array[]>();
  for (const [name, chunks] of corpus.chunks) {
    const t0 = Date.now();
    vecs.set(name, await embedCached(embedder, chunks.map(chunkDoc)));
    log(`${which}: ${name} ${chunks.length} chunks embedded in ${Date.now() - t0} ms`);
  }
  const raw = async (repo: string, query: string, k: number) => {
    const [q] = await embedder.embed([query]);
    const vs = vecs.get(repo) ?? [];
    const scored = vs.map((v, i) => [dot(q, v), i] as const).sort((a, b) => b[0] - a[0]);
    return scored.slice(0, k).map(([, i]) => i);
  };
  return {
    name: `vec:${which}`,
    raw,
    async search(repo, query, k) {
      const chunks = corpus.chunks.get(repo) ?? [];
      return (await raw(repo, query, k)).map((i) => chunks[i]);
    },
  };
}

/** Reciprocal rank fusion of several retrievers' chunk-id lists. */
export function rrfSystem(
  corpus: Corpus,
  name: string,
  parts: { weight: number; raw(repo: string, q: string, k: number): number[] | Promise<number[]> }[],
  c = 60,
): SearchSystem {
  return {
    name,
    async search(repo, query, k) {
      const score = new Map<number, number>();
      for (const p of parts) {
        const ids = await p.raw(repo, query, 100);
        ids.forEach((id, r) => {
          score.set(id, (score.get(id) ?? 0) + p.weight / (c + r + 1));
        });
      }
      const chunks = corpus.chunks.get(repo) ?? [];
      return [...score]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([id]) => chunks[id]);
    },
  };
}
