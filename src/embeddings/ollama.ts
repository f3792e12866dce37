import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Embedder } from './embedder.js';
import { l2normalize, throwIfAborted } from './vectors.js';

export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';
export const OLLAMA_DEFAULT_MODEL = 'nomic-embed-text';

/**
 * Ollama's embedding endpoint, `POST {host}/api/embed` with `{model, input: string[]}`
 * answering `{model, embeddings: number[][]}`. Dimensions are learned from a probe call.
 */
export async function createOllamaEmbedder(options: { host?: string; model?: string; fetch?: typeof fetch }): Promise<Embedder> {
  const host = (options.host ?? OLLAMA_DEFAULT_HOST).replace(/\/+$/, '');
  const model = options.model ?? OLLAMA_DEFAULT_MODEL;
  const doFetch = options.fetch ?? fetch;

  const call = async (input: string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    let res: Response;
    try {
      res = await doFetch(`${host}/api/embed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, input, truncate: true }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new GitloreError(ERROR_CODES.NETWORK, `Cannot reach Ollama at ${host}.`, {
        hint: 'Start it with `ollama serve` or set OLLAMA_HOST to where it listens.',
        cause: error,
      });
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 300);
      const hint =
        res.status === 404
          ? `Pull the model with \`ollama pull ${model}\` or set GITLORE_EMBEDDINGS_MODEL to one you have.`
          : 'Check OLLAMA_HOST and GITLORE_EMBEDDINGS_MODEL.';
      throw new GitloreError(ERROR_CODES.NETWORK, `Ollama embed failed with HTTP ${res.status}: ${text}`, { hint });
    }
    const body = (await res.json()) as { embeddings?: number[][] };
    if (!Array.isArray(body.embeddings) || body.embeddings.length !== input.length) {
      throw new GitloreError(ERROR_CODES.NETWORK, `Ollama at ${host} answered /api/embed without one embedding per input.`, {
        hint: 'Use Ollama 0.3.4 or newer (it has /api/embed).',
      });
    }
    return body.embeddings.map((v) => l2normalize(v));
  };

  const [probe] = await call(['dimension probe']);
  return {
    id: `ollama:${model}`,
    dims: probe.length,
    batchSize: 32,
    async embed(texts, opts) {
      throwIfAborted(opts?.signal);
      if (texts.length === 0) return [];
      return call(texts, opts?.signal);
    },
  };
}
