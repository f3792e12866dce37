/**
 * Turns texts into vectors. Implementations: llm/localUse.ts (Universal Sentence
 * Encoder lite shipped in npm), llm/onnx.ts (any local ONNX model folder),
 * llm/openai.ts, llm/ollama.ts, llm/bedrock.ts, and corpus-learned code-token vectors.
 */
export interface Embedder {
  /** Stable id of model + settings; stored with each vector so a model change triggers re-embedding. */
  readonly id: string;
  readonly dims: number;
  /** Suggested batch size for this provider. */
  readonly batchSize: number;
  /** One vector per text, L2-normalised, same order. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  close?(): Promise<void>;
}
