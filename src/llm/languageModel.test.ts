import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createChatModel } from './languageModel.js';

const config = (env: Record<string, string>) => loadConfig({ cwd: '/', env });

describe('createChatModel', () => {
  it('bedrock needs a region and a model, and names the variable to set', () => {
    expect(() => createChatModel(config({ GITLORE_LLM: 'bedrock', BEDROCK_MODEL_ID: 'm' }))).toThrow(/needs AWS_REGION/);
    expect(() => createChatModel(config({ GITLORE_LLM: 'bedrock', AWS_REGION: 'us-east-1' }))).toThrow(/needs BEDROCK_MODEL_ID/);
    const chat = createChatModel(config({ GITLORE_LLM: 'bedrock', AWS_REGION: 'us-east-1', BEDROCK_MODEL_ID: 'anthropic.claude-v1:0' }));
    expect(chat.id).toBe('bedrock:anthropic.claude-v1:0');
  });

  it('the Bedrock endpoint is AWS_ENDPOINT_URL_BEDROCK_RUNTIME, else AWS_ENDPOINT_URL, as the AWS SDKs read them', () => {
    const specific = 'http://127.0.0.1:4566/bedrock';
    const generic = 'http://127.0.0.1:4566';
    expect(config({ AWS_ENDPOINT_URL: generic }).bedrockEndpointUrl).toBe(generic);
    expect(config({ AWS_ENDPOINT_URL: generic, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: specific }).bedrockEndpointUrl).toBe(specific);
    expect(config({}).bedrockEndpointUrl).toBeUndefined();
    expect(() => config({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'https://user:pw@proxy.example' })).toThrow(
      /Invalid AWS_ENDPOINT_URL_BEDROCK_RUNTIME: got \(hidden\)/,
    );
  });
});
