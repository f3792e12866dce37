import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Embedder } from './embedder.js';
import { l2normalize, throwIfAborted } from './vectors.js';

export const BEDROCK_DEFAULT_MODEL = 'amazon.titan-embed-text-v2:0';

interface BedrockClientLike {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<{ body: Uint8Array }>;
}

/**
 * Amazon Bedrock embeddings (Titan Text v2 by default, Cohere embed models too) through
 * the AWS SDK, with the standard credential chain. The SDK is an optional dependency:
 * install `@aws-sdk/client-bedrock-runtime` to use this provider.
 */
export async function createBedrockEmbedder(options: {
  region?: string;
  model?: string;
  endpoint?: string;
  client?: BedrockClientLike;
}): Promise<Embedder> {
  if (!options.region && !options.client) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'GITLORE_EMBEDDINGS=bedrock needs an AWS region.', {
      hint: 'Set AWS_REGION (credentials come from the usual AWS variables or profile).',
    });
  }
  const model = options.model ?? BEDROCK_DEFAULT_MODEL;
  const spec = '@aws-sdk/client-bedrock-runtime';
  let sdk: {
    BedrockRuntimeClient: new (cfg: { region?: string; endpoint?: string }) => BedrockClientLike;
    InvokeModelCommand: new (input: { modelId: string; body: string; contentType: string; accept: string }) => unknown;
  };
  try {
    sdk = await import(spec);
  } catch (error) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'GITLORE_EMBEDDINGS=bedrock needs the AWS SDK.', {
      hint: 'Run `npm install @aws-sdk/client-bedrock-runtime` in the gitlore folder.',
      cause: error,
    });
  }
  const client = options.client ?? new sdk.BedrockRuntimeClient({ region: options.region, endpoint: options.endpoint });
  const cohere = model.startsWith('cohere.');

  const invoke = async (texts: string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    try {
      if (cohere) {
        const body = JSON.stringify({ texts: texts.map((t) => t.slice(0, 2048)), input_type: 'search_document' });
        const res = await client.send(
          new sdk.InvokeModelCommand({ modelId: model, body, contentType: 'application/json', accept: 'application/json' }),
          { abortSignal: signal },
        );
        const parsed = JSON.parse(new TextDecoder().decode(res.body)) as { embeddings: number[][] };
        return parsed.embeddings.map((v) => l2normalize(v));
      }
      // Titan embeds one text per call.
      const out: Float32Array[] = [];
      for (const text of texts) {
        const body = JSON.stringify({ inputText: text.slice(0, 40_000), normalize: true });
        const res = await client.send(
          new sdk.InvokeModelCommand({ modelId: model, body, contentType: 'application/json', accept: 'application/json' }),
          { abortSignal: signal },
        );
        const parsed = JSON.parse(new TextDecoder().decode(res.body)) as { embedding: number[] };
        out.push(l2normalize(parsed.embedding));
      }
      return out;
    } catch (error) {
      if (signal?.aborted || error instanceof GitloreError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new GitloreError(ERROR_CODES.NETWORK, `Bedrock embeddings (${model}) failed: ${message}`, {
        hint: 'Check AWS_REGION, AWS credentials and that the model is enabled in your account.',
        cause: error,
      });
    }
  };

  const [probe] = await invoke(['dimension probe']);
  return {
    id: `bedrock:${model}`,
    dims: probe.length,
    batchSize: cohere ? 64 : 8,
    async embed(texts, opts) {
      throwIfAborted(opts?.signal);
      if (texts.length === 0) return [];
      return invoke(texts, opts?.signal);
    },
  };
}
