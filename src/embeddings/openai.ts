import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Embedder } from './embedder.js';
import { l2normalize, throwIfAborted } from './vectors.js';

export const OPENAI_DEFAULT_MODEL = 'text-embedding-3-small';

/**
 * OpenAI embeddings through the official SDK; any OpenAI-compatible server works
 * with `OPENAI_BASE_URL` (vLLM, LM Studio, llama.cpp server, LiteLLM, Azure proxies).
 */
export async function createOpenAiEmbedder(options: {
  apiKey?: string;
  baseUrl?: string;
  model?: string;
  maxRetries?: number;
}): Promise<Embedder> {
  if (!options.apiKey && !options.baseUrl) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'GITLORE_EMBEDDINGS=openai needs an API key.', {
      hint: 'Set OPENAI_API_KEY, or OPENAI_BASE_URL for an OpenAI-compatible server.',
    });
  }
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({
    apiKey: options.apiKey ?? 'unused',
    baseURL: options.baseUrl,
    maxRetries: options.maxRetries ?? 2,
  });
  const model = options.model ?? OPENAI_DEFAULT_MODEL;

  const call = async (input: string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    try {
      const res = await client.embeddings.create({ model, input, encoding_format: 'float' }, { signal });
      const out = new Array<Float32Array>(input.length);
      for (const item of res.data) out[item.index] = l2normalize(item.embedding);
      if (out.some((v) => v === undefined)) throw new Error('response is missing embeddings for some inputs');
      return out;
    } catch (error) {
      if (signal?.aborted) throw error;
      const status = (error as { status?: number }).status;
      const code =
        status === 401 || status === 403 ? ERROR_CODES.AUTH_FAILED : status === 429 ? ERROR_CODES.RATE_LIMITED : ERROR_CODES.NETWORK;
      const message = error instanceof Error ? error.message : String(error);
      throw new GitloreError(code, `OpenAI embeddings (${model}) failed: ${message}`, {
        hint:
          code === ERROR_CODES.AUTH_FAILED
            ? 'Check OPENAI_API_KEY.'
            : 'Check OPENAI_BASE_URL, GITLORE_EMBEDDINGS_MODEL and that the server is reachable.',
        cause: error,
      });
    }
  };

  const [probe] = await call(['dimension probe']);
  return {
    id: `openai:${model}`,
    dims: probe.length,
    batchSize: 64,
    async embed(texts, opts) {
      throwIfAborted(opts?.signal);
      if (texts.length === 0) return [];
      return call(texts, opts?.signal);
    },
  };
}
