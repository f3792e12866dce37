import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Embedder } from './embedder.js';
import { l2normalize, throwIfAborted } from './vectors.js';

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
) => Promise<{ dims: number[]; data: Float32Array; dispose?: () => void }>;

/**
 * Any ONNX text-embedding model in a local folder (the Hugging Face layout:
 * `config.json`, `tokenizer.json`, `onnx/model.onnx`), run by transformers.js on
 * onnxruntime-node, with remote downloads disabled. transformers.js is an optional
 * dependency (about 470 MB): `ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers`.
 */
export async function createOnnxEmbedder(options: { dir: string; log?: Logger; maxChars?: number }): Promise<Embedder> {
  const { dir } = options;
  if (!existsSync(join(dir, 'onnx', 'model.onnx')) && !existsSync(join(dir, 'model.onnx'))) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `No ONNX model in ${dir}.`, {
      hint: 'GITLORE_EMBEDDINGS_MODEL must be a folder containing onnx/model.onnx, tokenizer.json and config.json.',
    });
  }
  const spec = '@huggingface/transformers';
  let tf: {
    env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
    pipeline: (task: string, model: string, opts: Record<string, unknown>) => Promise<FeatureExtractor>;
  };
  try {
    tf = await import(spec);
  } catch (error) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'A local ONNX embedding model needs transformers.js.', {
      hint: 'Run `ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers` in the gitlore folder.',
      cause: error,
    });
  }
  tf.env.allowRemoteModels = false;
  tf.env.allowLocalModels = true;
  tf.env.localModelPath = `${dirname(dir)}/`;
  const extractor = await tf.pipeline('feature-extraction', basename(dir), { dtype: 'fp32', device: 'cpu' });
  const maxChars = options.maxChars ?? 4000;

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const out = await extractor(
      texts.map((t) => t.slice(0, maxChars) || ' '),
      { pooling: 'mean', normalize: true },
    );
    const [n, d] = out.dims;
    const vectors: Float32Array[] = [];
    for (let i = 0; i < n; i++) vectors.push(l2normalize(out.data.subarray(i * d, (i + 1) * d)));
    out.dispose?.();
    return vectors;
  };
  const [probe] = await run(['dimension probe']);
  options.log?.debug('onnx embedder loaded', { dir, dims: probe.length });
  return {
    id: `onnx:${basename(dir)}`,
    dims: probe.length,
    batchSize: 16,
    async embed(texts, opts) {
      throwIfAborted(opts?.signal);
      if (texts.length === 0) return [];
      return run(texts);
    },
  };
}
