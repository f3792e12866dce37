import type { Embedder } from '../../src/embeddings/embedder.js';

/**
 * A real (if tiny) embedder for tests: hashed bag of code sub-tokens, L2-normalised.
 * Deterministic, so semantic ranking can be asserted.
 */
export function hashedEmbedder(dims = 64): Embedder & { calls: number } {
  const embedder = {
    id: `test-hash-${dims}`,
    dims,
    batchSize: 8,
    calls: 0,
    async embed(texts: string[]) {
      embedder.calls += 1;
      return texts.map((text) => {
        const v = new Float32Array(dims);
        for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
          let h = 2166136261;
          for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
          v[Math.abs(h) % dims]! += 1;
        }
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      });
    },
  };
  return embedder;
}
