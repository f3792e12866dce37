import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../shared/logger.js';
import { loadCodeVectors, saveCodeVectors } from './codeVectorFile.js';
import { type CodeVectorModel, codeVectorEmbedder } from './codeVectors.js';
import { trainCodeVectorsOffThread } from './codeVectorTrainer.js';
import type { CodeVectorOptions } from './codeVectorTraining.js';
import type { Embedder, FitOptions } from './embedder.js';

export const CODEVEC_DIMS = 128;
/** Retrain when the corpus has grown or shrunk by more than this factor since the model was learned. */
export const CODEVEC_RETRAIN_RATIO = 1.3;

/**
 * The corpus-learned embedder as the indexer sees it: a model file under the
 * index folder, learned by `fit()` from the indexed chunk texts. Until the first
 * fit its id is `codevec-untrained` and it returns zero vectors (no semantic
 * signal, never wrong results). After a fit that changes the model, `id`
 * changes, so the indexer re-embeds every chunk (fast: about 4,000 chunks/s).
 */
export function createCorpusEmbedder(options: { modelPath: string; log?: Logger; train?: CodeVectorOptions }): Embedder {
  let model: CodeVectorModel | null = null;
  let inner: Embedder | null = null;
  let trainedOn = 0;
  if (existsSync(options.modelPath)) {
    try {
      model = loadCodeVectors(options.modelPath);
      trainedOn = model.corpusSize ?? 0;
      inner = codeVectorEmbedder(model);
    } catch (error) {
      options.log?.warn('code-vector model unreadable; it will be relearned on the next index run', {
        path: options.modelPath,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const dims = model?.dims ?? CODEVEC_DIMS;
  return {
    get id() {
      return inner?.id ?? 'codevec-untrained';
    },
    get dims() {
      return inner?.dims ?? dims;
    },
    batchSize: 256,
    async embed(texts, opts) {
      if (!inner) return texts.map(() => new Float32Array(dims));
      return inner.embed(texts, opts);
    },
    async fit(texts: () => Promise<readonly string[]> | readonly string[], fitOptions: FitOptions) {
      const size = fitOptions.corpusSize;
      const stale = !inner || fitOptions.force || size > trainedOn * CODEVEC_RETRAIN_RATIO || size * CODEVEC_RETRAIN_RATIO < trainedOn;
      if (!stale || size === 0) return false;
      const t0 = Date.now();
      // A canonical order: the texts arrive in the order files were written (parallel workers, repos at once), and
      // float sums and the bounded co-occurrence table depend on order, so the same corpus gave a different model.
      const corpus = [...(await texts())].sort();
      const learned = await trainCodeVectorsOffThread(corpus, { dims: CODEVEC_DIMS, ...options.train }, fitOptions.signal);
      learned.corpusSize = size;
      mkdirSync(dirname(options.modelPath), { recursive: true });
      const tmp = `${options.modelPath}.tmp`;
      saveCodeVectors(learned, tmp);
      renameSync(tmp, options.modelPath);
      const changed = learned.id !== inner?.id;
      model = learned;
      inner = codeVectorEmbedder(learned);
      trainedOn = size;
      options.log?.info('learned code vectors', { texts: corpus.length, vocab: learned.vocab.length, ms: Date.now() - t0 });
      return changed;
    },
  };
}
