import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Logger } from '../shared/logger.js';
import { decodeCodeVectors, encodeCodeVectors } from './codeVectorFile.js';
import { type CodeVectorModel, codeVectorEmbedder } from './codeVectors.js';
import { trainCodeVectorsOffThread } from './codeVectorTrainer.js';
import type { CodeVectorOptions } from './codeVectorTraining.js';
import type { Embedder, FitOptions } from './embedder.js';

export const CODEVEC_DIMS = 128;
/** Retrain when the corpus has grown or shrunk by more than this factor since the model was learned. */
export const CODEVEC_RETRAIN_RATIO = 1.3;
/** The model's name among the store's artifacts. */
export const CODEVEC_ARTIFACT = 'codevec';

/**
 * Where the model lives and how processes take turns learning it: the store's `artifacts` (store/artifactStore.ts)
 * answer it. Written here, not imported: embeddings and the store are one layer, neither imports the other.
 */
export interface ModelStore {
  get(name: string): Promise<{ bytes: Buffer; version: number } | null>;
  version(name: string): Promise<number | null>;
  /** Writes only if the stored version is still `expectedVersion`; the new version, or null when another write came first. */
  put(name: string, bytes: Buffer, expectedVersion: number | null): Promise<number | null>;
  /** Runs `work` as the only holder of `name`'s lock among the store's processes. */
  withLock<T>(name: string, work: () => Promise<T>, options?: { signal?: AbortSignal; onWait?: () => void }): Promise<T>;
}

export interface CorpusEmbedderOptions {
  /** Where the model lives: the store every process of this install shares. */
  artifacts: ModelStore;
  /** A `codevec.bin` of an install from before the model moved into the store: moved in when the store has none. */
  legacyFile?: string;
  log?: Logger;
  train?: CodeVectorOptions;
}

/**
 * The corpus-learned embedder as the indexer sees it: a model kept in the store (artifact `codevec`), learned by
 * `fit()` from the indexed chunk texts. Until the first fit its id is `codevec-untrained` and it returns zero
 * vectors (no semantic signal, never wrong results). After a fit that changes the model, `id` changes, so the
 * indexer re-embeds every chunk (fast: about 4,000 chunks/s).
 *
 * Several processes share the model (workers and API servers on several machines): one learns at a time (the
 * store's lock for the artifact), a fit first takes up a model another process published since this one loaded
 * its own, and a fit that finds one published while it waited for the lock keeps it rather than relearning.
 */
export async function createCorpusEmbedder(options: CorpusEmbedderOptions): Promise<Embedder> {
  const { artifacts, log } = options;
  let inner: Embedder | null = null;
  let trainedOn = 0;
  let dims = options.train?.dims ?? CODEVEC_DIMS;
  /** The stored version `inner` came from (null: the store had none); what a publish expects to replace. */
  let version: number | null = null;

  const use = (model: CodeVectorModel | null, from: number | null) => {
    inner = model ? codeVectorEmbedder(model) : null;
    trainedOn = model?.corpusSize ?? 0;
    if (model) dims = model.dims;
    version = from;
  };

  /** Loads the store's model; an unreadable one is kept as "no model", to be relearned (and replaced) by the next fit. */
  const load = async () => {
    const stored = await artifacts.get(CODEVEC_ARTIFACT);
    if (!stored) return use(null, null);
    try {
      use(decodeCodeVectors(stored.bytes, `the stored model (artifact ${CODEVEC_ARTIFACT})`), stored.version);
    } catch (error) {
      log?.warn('code-vector model unreadable; it will be relearned on the next index run', { error: messageOf(error) });
      use(null, stored.version);
    }
  };

  /** An install's model from before the store kept it: into the store (unless another process was first), then gone. */
  const moveLegacyFile = async (file: string) => {
    let model: CodeVectorModel;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
      model = decodeCodeVectors(bytes, file);
    } catch (error) {
      log?.warn('code-vector model unreadable; it will be relearned on the next index run', { path: file, error: messageOf(error) });
      return;
    }
    const published = await artifacts.put(CODEVEC_ARTIFACT, bytes, null);
    if (published === null) await load();
    else use(model, published);
    log?.info('moved the code-vector model into the store', { from: file, model: model.id });
    try {
      rmSync(file, { force: true });
    } catch (error) {
      log?.debug('the old model file could not be removed; the store copy is used', { path: file, error: messageOf(error) });
    }
  };

  await load();
  if (version === null && options.legacyFile && existsSync(options.legacyFile)) await moveLegacyFile(options.legacyFile);

  const isStale = (size: number, force: boolean | undefined) =>
    !inner || force || size > trainedOn * CODEVEC_RETRAIN_RATIO || size * CODEVEC_RETRAIN_RATIO < trainedOn;

  /** Learns (off the event loop) and publishes, unless another process published first: then that model is used. */
  const learn = async (texts: () => Promise<readonly string[]> | readonly string[], size: number, signal?: AbortSignal) => {
    const t0 = Date.now();
    // A canonical order: the texts arrive in the order files were written (parallel workers, repos at once), and
    // float sums and the bounded co-occurrence table depend on order, so the same corpus gave a different model.
    const corpus = [...(await texts())].sort();
    const learned = await trainCodeVectorsOffThread(corpus, { dims: CODEVEC_DIMS, ...options.train }, signal);
    learned.corpusSize = size;
    signal?.throwIfAborted();
    const published = await artifacts.put(CODEVEC_ARTIFACT, encodeCodeVectors(learned), version);
    if (published === null) {
      log?.info('another process published a code-vector model first; using it', { learned: learned.id });
      await load();
      return;
    }
    use(learned, published);
    log?.info('learned code vectors', { texts: corpus.length, vocab: learned.vocab.length, ms: Date.now() - t0 });
  };

  return {
    get id() {
      return inner?.id ?? 'codevec-untrained';
    },
    get dims() {
      return inner?.dims ?? dims;
    },
    batchSize: 256,
    cheap: true,
    async embed(texts, opts) {
      if (!inner) return texts.map(() => new Float32Array(dims));
      return inner.embed(texts, opts);
    },
    async fit(texts: () => Promise<readonly string[]> | readonly string[], fitOptions: FitOptions) {
      const size = fitOptions.corpusSize;
      if (size === 0) return false;
      const before = inner?.id ?? null;
      // Another process published a model since this one loaded: the index is being embedded with that one.
      if ((await artifacts.version(CODEVEC_ARTIFACT)) !== version) await load();
      if (!isStale(size, fitOptions.force)) return inner?.id !== before;
      const started = version;
      await artifacts.withLock(
        CODEVEC_ARTIFACT,
        async () => {
          if ((await artifacts.version(CODEVEC_ARTIFACT)) !== started) {
            // Learned by another process while this one waited: that is the relearning `force` asked for, and
            // only a corpus that has changed size a lot since then is worth learning again.
            await load();
            log?.info('another process relearned the code-vector model; using it', { model: inner?.id ?? null });
            if (!isStale(size, false)) return;
          }
          await learn(texts, size, fitOptions.signal);
        },
        {
          signal: fitOptions.signal,
          onWait: () => log?.info('another process is learning the code-vector model; waiting for it'),
        },
      );
      return inner?.id !== before;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
