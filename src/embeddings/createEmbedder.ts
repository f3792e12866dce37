import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ModelStore } from './corpusEmbedder.js';
import type { Embedder } from './embedder.js';

/** Names GITLORE_EMBEDDINGS_MODEL accepts with GITLORE_EMBEDDINGS=local besides a model folder. */
export const LOCAL_MODELS = ['codevec', 'use'] as const;
/** What GITLORE_EMBEDDINGS=local uses when GITLORE_EMBEDDINGS_MODEL is unset: chosen by the dev-set numbers in bench/README.md. */
// codevec: on the dev set its semantic mode beats the BM25 floor on the stripped variant and it embeds
// hundreds of chunks per second, where USE does 3-13 on 2 cores (hours for a 50 MB corpus). bench/README.md.
export const DEFAULT_LOCAL_MODEL: (typeof LOCAL_MODELS)[number] = 'codevec';

/**
 * Builds the embedder the configuration asks for, or null when embeddings are off
 * (GITLORE_EMBEDDINGS=none). Heavy providers are imported lazily.
 *
 * - `local`: `codevec` (sub-token vectors learned from the indexed corpus; the
 *   indexer calls `fit()`; the model lives in `artifacts`, the store's), `use` (Universal Sentence Encoder lite shipped in npm),
 *   or, when GITLORE_EMBEDDINGS_MODEL names a local folder, that ONNX model.
 * - `openai`: OPENAI_API_KEY / OPENAI_BASE_URL, model GITLORE_EMBEDDINGS_MODEL.
 * - `ollama`: OLLAMA_HOST, model GITLORE_EMBEDDINGS_MODEL.
 * - `bedrock`: AWS_REGION + the usual AWS credential chain, model GITLORE_EMBEDDINGS_MODEL.
 */
export async function createEmbedder(
  config: ResolvedConfig,
  options: { log?: Logger; artifacts?: ModelStore } = {},
): Promise<Embedder | null> {
  const model = config.embeddingsModel;
  switch (config.embeddings) {
    case 'none':
      return null;
    case 'local': {
      if (model && looksLikePath(model)) {
        const dir = isAbsolute(model) ? model : resolve(config.cwd, model);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) {
          throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `GITLORE_EMBEDDINGS_MODEL folder not found: ${dir}`, {
            hint: 'Point it at a folder with onnx/model.onnx and tokenizer.json, or unset it to use the built-in model.',
          });
        }
        const { createOnnxEmbedder } = await import('./onnx.js');
        return createOnnxEmbedder({ dir, device: config.embeddingsDevice, log: options.log });
      }
      if (model && !(LOCAL_MODELS as readonly string[]).includes(model)) {
        throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Unknown local embedding model "${model}".`, {
          hint: `Set GITLORE_EMBEDDINGS_MODEL to one of ${LOCAL_MODELS.join(', ')} or to a local ONNX model folder.`,
        });
      }
      if ((model ?? DEFAULT_LOCAL_MODEL) === 'codevec') {
        if (!options.artifacts) throw new Error('the codevec embedder keeps its model in the store: pass the store’s artifacts');
        const { createCorpusEmbedder } = await import('./corpusEmbedder.js');
        // Installs from before the store kept the model had it in this file: moved into the store once.
        const legacyFile = join(config.indexPath, 'codevec.bin');
        return createCorpusEmbedder({ artifacts: options.artifacts, legacyFile, log: options.log });
      }
      const { createUseEmbedder } = await import('./localUse.js');
      return createUseEmbedder();
    }
    case 'openai': {
      const { createOpenAiEmbedder } = await import('./openai.js');
      return createOpenAiEmbedder({ apiKey: config.openaiApiKey, baseUrl: config.openaiBaseUrl, model });
    }
    case 'ollama': {
      const { createOllamaEmbedder } = await import('./ollama.js');
      return createOllamaEmbedder({ host: config.ollamaHost, model });
    }
    case 'bedrock': {
      const { createBedrockEmbedder } = await import('./bedrock.js');
      return createBedrockEmbedder({ region: config.awsRegion, endpoint: config.bedrockEndpointUrl, model });
    }
    default:
      throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Unknown GITLORE_EMBEDDINGS value.`, {
        hint: 'Use local, openai, bedrock, ollama or none.',
      });
  }
}

function looksLikePath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.startsWith('.');
}
