import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Embedder } from './embedder.js';
import { l2normalize, throwIfAborted } from './vectors.js';

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
) => Promise<{ dims: number[]; data: Float32Array; dispose?: () => void }>;

export type EmbeddingsDevice = 'auto' | 'cpu' | 'cuda';

export interface OnnxEmbedderOptions {
  dir: string;
  /** `auto` (default) runs on CUDA when an NVIDIA GPU is present and its provider loads, else on the CPU. */
  device?: EmbeddingsDevice;
  log?: Logger;
  maxChars?: number;
  /** Overrides the GPU check (tests). */
  gpuPresent?: boolean;
}

/** An NVIDIA driver is loaded (the CUDA provider is worth trying). */
function nvidiaGpuPresent(): boolean {
  return existsSync('/proc/driver/nvidia/version') || existsSync('/dev/nvidia0');
}

/** onnxruntime-node downloads its CUDA execution provider at install only when asked to; without it, trying CUDA only logs native errors. */
function cudaProviderInstalled(): boolean {
  try {
    const fromTransformers = createRequire(createRequire(import.meta.url).resolve('@huggingface/transformers'));
    const bin = join(dirname(fromTransformers.resolve('onnxruntime-node')), '..', 'bin');
    return readdirSync(bin).some((napi) => existsSync(join(bin, napi, process.platform, process.arch, 'libonnxruntime_providers_cuda.so')));
  } catch {
    return false;
  }
}

const CUDA_HINT =
  'Install transformers.js with it (`ONNXRUNTIME_NODE_INSTALL_CUDA=v12 npm install @huggingface/transformers`, with the CUDA 12 and cuDNN 9 libraries on the library path), or set GITLORE_EMBEDDINGS_DEVICE=cpu.';

/**
 * Any ONNX text-embedding model in a local folder (the Hugging Face layout:
 * `config.json`, `tokenizer.json`, `onnx/model.onnx`), run by transformers.js on
 * onnxruntime-node, with remote downloads disabled. transformers.js is an optional
 * dependency (about 470 MB): `ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers`.
 */
export async function createOnnxEmbedder(options: OnnxEmbedderOptions): Promise<Embedder> {
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
  const load = (device: 'cpu' | 'cuda') => tf.pipeline('feature-extraction', basename(dir), { dtype: 'fp32', device });
  const device = options.device ?? 'auto';
  let extractor: FeatureExtractor | null = null;
  let ranOn: 'cpu' | 'cuda' = 'cpu';
  if (device === 'cuda' || (device === 'auto' && (options.gpuPresent ?? nvidiaGpuPresent()))) {
    try {
      if (!cudaProviderInstalled()) throw new Error('onnxruntime-node was installed without libonnxruntime_providers_cuda.so');
      extractor = await load('cuda');
      ranOn = 'cuda';
    } catch (error) {
      const reason = (error as Error).message;
      if (device === 'cuda') {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `onnxruntime has no usable CUDA execution provider (${reason}).`, {
          hint: CUDA_HINT,
          cause: error,
        });
      }
      options.log?.warn('an NVIDIA GPU is present but onnxruntime cannot use it; embedding on the CPU', { error: reason, hint: CUDA_HINT });
    }
  }
  extractor ??= await load('cpu');
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
  options.log?.debug('onnx embedder loaded', { dir, dims: probe.length, device: ranOn });
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
