/**
 * Turns texts into vectors. Implementations: embeddings/localUse.ts (Universal Sentence
 * Encoder lite shipped in npm), embeddings/onnx.ts (any local ONNX model folder),
 * embeddings/openai.ts, embeddings/ollama.ts, embeddings/bedrock.ts, and corpus-learned code-token vectors.
 */
export interface Embedder {
  /** Stable id of model + settings; stored with each vector so a model change triggers re-embedding. */
  readonly id: string;
  readonly dims: number;
  /** Suggested batch size for this provider. */
  readonly batchSize: number;
  /**
   * Embedding a text costs microseconds in this process (the code-vector model): search may embed a few hundred
   * short texts per query (candidates' names). Absent for models that run slowly or over the network.
   */
  readonly cheap?: boolean;
  /** One vector per text, L2-normalised, same order. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  close?(): Promise<void>;
  /**
   * Only on corpus-learned embedders (the code-vector model): learns from the indexed
   * chunk texts. The indexer calls it after lexical indexing and before embedding, with
   * the current number of chunks; it retrains only when there is no model, on `force`
   * (`index --full`), or when the corpus changed size a lot. Returns true when the model
   * changed: `id` is then different and every chunk needs a new vector.
   */
  fit?(texts: () => Promise<readonly string[]> | readonly string[], options: FitOptions): Promise<boolean>;
}

export interface FitOptions {
  /** Chunks in the whole index now. */
  corpusSize: number;
  /** Relearn even if the corpus barely changed (`gitlore index --full`). */
  force?: boolean;
  /** Stops the learning (it runs in a worker thread). */
  signal?: AbortSignal;
}
