import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Embedder } from './embedder.js';
import { codeTokens } from './subtokens.js';
import { l2normalize, throwIfAborted } from './vectors.js';

/** A learned code-vector model (see codeVectorTraining.ts); `codeVectorEmbedder` encodes texts with it. */
export interface CodeVectorModel {
  vocab: string[];
  idf: Float32Array;
  dims: number;
  /** vocab.length × dims, row-major, rows L2-normalised. */
  vectors: Float32Array;
  id: string;
  /** Number of chunks in the corpus when it was learned (drives retraining). */
  corpusSize?: number;
}

/** Texts encoded per turn of the event loop (about 5 ms of CPU for chunk-sized texts). */
const YIELD_EVERY = 32;

/** Encodes texts as IDF-weighted means of their sub-token vectors. */
export function codeVectorEmbedder(
  model: CodeVectorModel,
  options: { maxTokensPerText?: number; headChars?: number; headWeight?: number } = {},
): Embedder {
  const index = new Map(model.vocab.map((t, i) => [t, i]));
  const d = model.dims;
  const maxTok = options.maxTokensPerText ?? 2000;
  const headChars = options.headChars ?? 0;
  const headWeight = options.headWeight ?? 1;
  const encode = (text: string): Float32Array => {
    const acc = new Float32Array(d);
    const weights = new Map<number, number>();
    const count = (part: string, w: number) => {
      for (const t of codeTokens(part, maxTok)) {
        const i = index.get(t);
        if (i !== undefined) weights.set(i, (weights.get(i) ?? 0) + w);
      }
    };
    // The head of a chunk (path, signature) names what it is: optionally weigh it more.
    if (headChars > 0 && headWeight !== 1) {
      count(text.slice(0, headChars), headWeight);
      count(text.slice(headChars), 1);
    } else count(text, 1);
    for (const [i, tf] of weights) {
      const w = (1 + Math.log(Math.max(1, tf))) * model.idf[i];
      for (let c = 0; c < d; c++) acc[c] += w * model.vectors[i * d + c];
    }
    return l2normalize(acc);
  };
  return {
    id: model.id,
    dims: d,
    batchSize: 256,
    cheap: true,
    async embed(texts, opts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += YIELD_EVERY) {
        throwIfAborted(opts?.signal);
        // A server shares this thread: a turn of the event loop between slices keeps its requests answered.
        if (i > 0) await yieldToEventLoop();
        for (const text of texts.slice(i, i + YIELD_EVERY)) out.push(encode(text));
      }
      return out;
    },
  };
}
