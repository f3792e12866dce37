import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { ResolvedConfig } from '../config/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';

export type LlmConfig = Pick<
  ResolvedConfig,
  | 'llm'
  | 'llmModel'
  | 'openaiApiKey'
  | 'openaiBaseUrl'
  | 'anthropicApiKey'
  | 'anthropicBaseUrl'
  | 'awsRegion'
  | 'bedrockModelId'
  | 'bedrockEndpointUrl'
  | 'ollamaHost'
>;

/** The configured chat model and the id it is reported under. */
export interface ChatModel {
  model: LanguageModel;
  /** `provider:model`, as stored with each answer. */
  id: string;
}

// The SDK prints provider compatibility warnings (e.g. an Anthropic model id it does not know) to stderr, which
// would break the one-line output scripts read; gitlore reports what matters as errors instead.
(globalThis as { AI_SDK_LOG_WARNINGS?: unknown }).AI_SDK_LOG_WARNINGS = false;

const OPENAI_URL = 'https://api.openai.com/v1';
const OLLAMA_URL = 'http://127.0.0.1:11434';

/**
 * The chat model GITLORE_LLM names, through the AI SDK provider for it: OpenAI and every
 * OpenAI-compatible server (vLLM, LM Studio, llama.cpp, LiteLLM) and Ollama's `/v1` share one
 * provider; Anthropic's Messages API and Bedrock's Converse API have their own (Bedrock signs with
 * the AWS credential chain, at AWS_ENDPOINT_URL_BEDROCK_RUNTIME when set). Throws NOT_CONFIGURED
 * naming the variable to set.
 */
export function createChatModel(config: LlmConfig): ChatModel {
  const need = (value: string | undefined, variable: string, example: string): string => {
    if (value) return value;
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `GITLORE_LLM=${config.llm} needs ${variable}.`, {
      hint: `Set ${variable} (for example ${example}).`,
    });
  };
  switch (config.llm) {
    case 'openai': {
      const baseURL = config.openaiBaseUrl ?? OPENAI_URL;
      // A local OpenAI-compatible server usually takes no key; api.openai.com always does.
      const apiKey = baseURL === OPENAI_URL ? need(config.openaiApiKey, 'OPENAI_API_KEY', 'sk-…') : config.openaiApiKey;
      const modelId = need(config.llmModel, 'GITLORE_LLM_MODEL', 'gpt-4.1-mini');
      const provider = createOpenAICompatible({ name: 'openai', baseURL, apiKey, includeUsage: true });
      return { model: provider.chatModel(modelId), id: `openai:${modelId}` };
    }
    case 'ollama': {
      const modelId = need(config.llmModel, 'GITLORE_LLM_MODEL', 'qwen2.5-coder:7b');
      const baseURL = `${(config.ollamaHost ?? OLLAMA_URL).replace(/\/+$/, '')}/v1`;
      const provider = createOpenAICompatible({ name: 'ollama', baseURL, includeUsage: true });
      return { model: provider.chatModel(modelId), id: `ollama:${modelId}` };
    }
    case 'anthropic': {
      const apiKey = need(config.anthropicApiKey, 'ANTHROPIC_API_KEY', 'sk-ant-…');
      const modelId = need(config.llmModel, 'GITLORE_LLM_MODEL', 'claude-sonnet-4-5');
      const provider = createAnthropic({ apiKey, ...(config.anthropicBaseUrl ? { baseURL: config.anthropicBaseUrl } : {}) });
      return { model: provider(modelId), id: `anthropic:${modelId}` };
    }
    case 'bedrock': {
      const region = need(config.awsRegion, 'AWS_REGION', 'us-east-1');
      const modelId = need(config.llmModel ?? config.bedrockModelId, 'BEDROCK_MODEL_ID', 'anthropic.claude-3-5-sonnet-20240620-v1:0');
      const provider = createAmazonBedrock({
        region,
        // The AWS credential chain, as the AWS CLI and SDKs resolve it: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
        // AWS_PROFILE (shared config, SSO, credential_process), web identity, then the container or instance role.
        credentialProvider: awsCredentialChain(),
        ...(config.bedrockEndpointUrl ? { baseURL: config.bedrockEndpointUrl } : {}),
      });
      return { model: provider(modelId), id: `bedrock:${modelId}` };
    }
    default:
      throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Question answering needs an LLM provider; none is configured.', {
        hint: "Set GITLORE_LLM (openai, anthropic, bedrock or ollama) and GITLORE_LLM_MODEL, with the provider's key.",
      });
  }
}

interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The AWS SDK's default credential chain (`@aws-sdk/credential-provider-node`), loaded on the first
 * signed request; it caches the credentials and refreshes them before they expire.
 */
function awsCredentialChain(): () => Promise<AwsCredentials> {
  let chain: (() => Promise<AwsCredentials>) | undefined;
  return async () => {
    chain ??= (await import('@aws-sdk/credential-provider-node')).defaultProvider();
    return chain();
  };
}
