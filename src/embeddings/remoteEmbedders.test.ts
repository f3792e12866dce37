import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBedrockServer, startFakeBedrock } from '../../test/fakes/bedrockServer.js';
import { type FakeOllamaServer, startFakeOllama } from '../../test/fakes/ollamaServer.js';
import { type FakeOpenAiServer, startFakeOpenAi } from '../../test/fakes/openaiServer.js';
import { tempDir } from '../../test/helpers/git.js';
import { loadConfig } from '../config/index.js';
import { GitloreError } from '../shared/errors.js';
import { openSqliteStore } from '../store/sqlite/sqliteStore.js';
import { createEmbedder } from './createEmbedder.js';
import { dot } from './vectors.js';

describe('openai embedder against a loopback OpenAI server', () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAi({ apiKey: 'sk-test-123' });
  });
  afterAll(() => server.close());

  const config = (extra: Record<string, string> = {}) =>
    loadConfig({
      cwd: '/',
      env: { GITLORE_EMBEDDINGS: 'openai', OPENAI_API_KEY: 'sk-test-123', OPENAI_BASE_URL: server.url, ...extra },
    });

  it('embeds in input order with unit vectors and sends model + key', async () => {
    const embedder = await createEmbedder(config({ GITLORE_EMBEDDINGS_MODEL: 'my-embed' }));
    expect(embedder).not.toBeNull();
    if (!embedder) return;
    expect(embedder.id).toBe('openai:my-embed');
    expect(embedder.dims).toBe(64);
    const [a, b, c] = await embedder.embed(['open database connection', 'parse json config', 'open database connection']);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(dot(a, c)).toBeCloseTo(1, 5);
    expect(dot(a, b)).toBeLessThan(0.9);
    const last = server.requests.at(-1);
    expect(last?.auth).toBe('Bearer sk-test-123');
    expect(last?.body).toMatchObject({
      model: 'my-embed',
      input: ['open database connection', 'parse json config', 'open database connection'],
    });
  });

  it('reports a wrong key as AUTH_FAILED naming OPENAI_API_KEY', async () => {
    const err = await createEmbedder(config({ OPENAI_API_KEY: 'sk-wrong' })).catch((e) => e);
    expect(err).toBeInstanceOf(GitloreError);
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.toLine()).toContain('OPENAI_API_KEY');
    expect(err.toLine()).not.toContain('sk-wrong');
  });

  it('retries a transient 500', async () => {
    const embedder = await createEmbedder(config());
    server.failNext(500, 1);
    const before = server.requests.length;
    const [v] = (await embedder?.embed(['retry me'])) ?? [];
    expect(v.length).toBe(64);
    expect(server.requests.length - before).toBe(2);
  });

  it('refuses openai without key or base URL', async () => {
    const err = await createEmbedder(loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS: 'openai' } })).catch((e) => e);
    expect(err.code).toBe('NOT_CONFIGURED');
    expect(err.toLine()).toContain('OPENAI_API_KEY');
  });
});

describe('ollama embedder against a loopback Ollama server', () => {
  let server: FakeOllamaServer;
  beforeAll(async () => {
    server = await startFakeOllama({ models: ['nomic-embed-text:latest', 'mxbai-embed-large'], dims: 32 });
  });
  afterAll(() => server.close());

  it('embeds a batch through /api/embed', async () => {
    const embedder = await createEmbedder(loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS: 'ollama', OLLAMA_HOST: server.url } }));
    expect(embedder?.id).toBe('ollama:nomic-embed-text');
    expect(embedder?.dims).toBe(32);
    const out = (await embedder?.embed(['alpha beta', 'gamma'])) ?? [];
    expect(out).toHaveLength(2);
    expect(Math.hypot(...out[1])).toBeCloseTo(1, 5);
    expect(server.requests.at(-1)?.body).toMatchObject({ model: 'nomic-embed-text', input: ['alpha beta', 'gamma'] });
  });

  it('names `ollama pull` when the model is missing', async () => {
    const env = { GITLORE_EMBEDDINGS: 'ollama', OLLAMA_HOST: server.url, GITLORE_EMBEDDINGS_MODEL: 'nope' };
    const err = await createEmbedder(loadConfig({ cwd: '/', env })).catch((e) => e);
    expect(err).toBeInstanceOf(GitloreError);
    expect(err.toLine()).toContain('ollama pull nope');
  });

  it('says where Ollama was expected when nothing listens', async () => {
    const env = { GITLORE_EMBEDDINGS: 'ollama', OLLAMA_HOST: 'http://127.0.0.1:9' };
    const err = await createEmbedder(loadConfig({ cwd: '/', env })).catch((e) => e);
    expect(err.code).toBe('NETWORK');
    expect(err.toLine()).toContain('OLLAMA_HOST');
  });
});

describe('bedrock embedder against a loopback Bedrock runtime', () => {
  // The AWS SDK reads credentials and the endpoint override from the process environment, as it would in production.
  const AWS_ENV = {
    AWS_ACCESS_KEY_ID: 'AKIDFAKEFAKE1234',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key-never-logged',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: '',
  };
  const saved: Record<string, string | undefined> = {};
  let server: FakeBedrockServer;
  beforeAll(async () => {
    server = await startFakeBedrock({ accessKeyId: AWS_ENV.AWS_ACCESS_KEY_ID, dims: 48 });
    for (const [key, value] of Object.entries({ ...AWS_ENV, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: server.url })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await server.close();
  });
  const config = (extra: Record<string, string> = {}) =>
    loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS: 'bedrock', AWS_REGION: 'us-east-1', ...extra } });

  it('embeds with Titan v2 through the AWS SDK, one signed InvokeModel call per text', async () => {
    const embedder = await createEmbedder(config());
    expect(embedder?.id).toBe('bedrock:amazon.titan-embed-text-v2:0');
    expect(embedder?.dims).toBe(48);
    const before = server.requests.length;
    const [a, b, c] = (await embedder?.embed(['open database connection', 'parse json config', 'open database connection'])) ?? [];
    expect(server.requests.length - before).toBe(3);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(dot(a, c)).toBeCloseTo(1, 5);
    expect(dot(a, b)).toBeLessThan(0.9);
    const last = server.requests.at(-1);
    expect(decodeURIComponent(last?.path ?? '')).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
    expect(last?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKE1234\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(last?.body).toMatchObject({ inputText: 'open database connection', normalize: true });
  });

  it('embeds a batch in one call with a Cohere model', async () => {
    const embedder = await createEmbedder(config({ GITLORE_EMBEDDINGS_MODEL: 'cohere.embed-english-v3' }));
    const before = server.requests.length;
    const out = (await embedder?.embed(['alpha beta', 'gamma', 'delta'])) ?? [];
    expect(out).toHaveLength(3);
    expect(server.requests.length - before).toBe(1);
    expect(server.requests.at(-1)?.body).toMatchObject({ texts: ['alpha beta', 'gamma', 'delta'], input_type: 'search_document' });
  });

  it('turns a rejected key and an unknown model into one-line errors without the secret', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDWRONG';
    const denied = await createEmbedder(config()).catch((e) => e);
    process.env.AWS_ACCESS_KEY_ID = AWS_ENV.AWS_ACCESS_KEY_ID;
    expect(denied).toBeInstanceOf(GitloreError);
    expect(denied.toLine()).toContain('security token included in the request is invalid');
    expect(denied.toLine()).toContain('AWS credentials');
    expect(denied.toLine()).not.toContain(AWS_ENV.AWS_SECRET_ACCESS_KEY);
    const unknown = await createEmbedder(config({ GITLORE_EMBEDDINGS_MODEL: 'amazon.nope-v9' })).catch((e) => e);
    expect(unknown.toLine()).toContain('model identifier is invalid');
    expect(unknown.toLine().split('\n')).toHaveLength(1);
  });

  it('asks for a region first', async () => {
    const err = await createEmbedder(loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS: 'bedrock' } })).catch((e) => e);
    expect(err.code).toBe('NOT_CONFIGURED');
    expect(err.toLine()).toContain('AWS_REGION');
  });
});

describe('createEmbedder selection', () => {
  it('uses the corpus-learned model for local by default, untrained until the indexer fits it', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ cwd: dataDir, env: { GITLORE_DATA_DIR: dataDir } });
    const store = openSqliteStore(config.dbPath);
    const embedder = await createEmbedder(config, { artifacts: store.artifacts }).finally(() => store.close());
    expect(embedder?.id).toBe('codevec-untrained');
    expect(typeof embedder?.fit).toBe('function');
  });
  it('returns null for none', async () => {
    expect(await createEmbedder(loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS: 'none' } }))).toBeNull();
  });
  it('rejects an unknown local model and a missing model folder', async () => {
    const bad = await createEmbedder(loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS_MODEL: 'gpt-9' } })).catch((e) => e);
    expect(bad.code).toBe('CONFIG_INVALID');
    const missing = await createEmbedder(loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS_MODEL: '/no/such/model' } })).catch((e) => e);
    expect(missing.code).toBe('CONFIG_INVALID');
    expect(missing.message).toContain('/no/such/model');
  });
});
