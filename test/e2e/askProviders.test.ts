import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { askQuestion } from '../../src/core/ask/agent.js';
import { createContext } from '../../src/core/context.js';
import { type AnthropicBlock, type AnthropicRequest, type FakeAnthropicServer, startFakeAnthropic } from '../fakes/anthropicServer.js';
import { type ConverseRequest, type FakeBedrockChatServer, startFakeBedrockChat } from '../fakes/bedrockChatServer.js';
import { type ChatRequest, type FakeChatServer, startFakeChat } from '../fakes/chatServer.js';
import type { ScriptedTurn } from '../fakes/scriptedTurn.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { openTestApp } from '../mcp/fixture.js';

/**
 * `gitlore ask` against loopback servers speaking each provider's own wire protocol (Anthropic
 * Messages over SSE, Bedrock ConverseStream over eventstream, Ollama's OpenAI-compatible /v1),
 * through the same AI SDK providers that talk to the real services. OpenAI: test/e2e/ask.test.ts.
 */
const ANTHROPIC_KEY = 'sk-ant-test-0123456789abcdef';
const AWS_KEY_ID = 'AKIDFAKEASK0123';
const AWS_SECRET = 'fake-aws-secret-never-shown-0123';

/** What one model turn sees of the previous one: the tool calls it made and the results sent back. */
interface Exchange {
  question: string;
  /** Model turns before this request (0 on the first request of an answer). */
  step: number;
  calls: { id: string; name: string }[];
  results: { id: string; text: string }[];
}

/** The scripted turns of each question, by step; a question is one test's, so tests may run at once. */
const scripts = new Map<string, ((exchange: Exchange) => ScriptedTurn)[]>();
/** Every request, as an exchange, per question. */
const seen = new Map<string, Exchange[]>();

function answer(exchange: Exchange): ScriptedTurn {
  seen.set(exchange.question, [...(seen.get(exchange.question) ?? []), exchange]);
  return scripts.get(exchange.question)?.[exchange.step]?.(exchange) ?? { text: 'out of script' };
}

function fromAnthropic(request: AnthropicRequest): Exchange {
  const { messages } = request.body;
  const blocks = (content: string | AnthropicBlock[]): AnthropicBlock[] =>
    typeof content === 'string' ? [{ type: 'text', text: content }] : content;
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  const text = (content: unknown): string =>
    typeof content === 'string' ? content : ((content as AnthropicBlock[] | undefined) ?? []).map((b) => b.text ?? '').join('');
  return {
    question: blocks(messages[0]?.content ?? '').find((b) => b.type === 'text')?.text ?? '',
    step: messages.filter((m) => m.role === 'assistant').length,
    calls:
      lastAssistant < 0
        ? []
        : blocks(messages[lastAssistant]!.content)
            .filter((b) => b.type === 'tool_use')
            .map((b) => ({ id: b.id!, name: b.name! })),
    results: messages
      .slice(lastAssistant + 1)
      .flatMap((m) => blocks(m.content))
      .filter((b) => b.type === 'tool_result')
      .map((b) => ({ id: b.tool_use_id!, text: text(b.content) })),
  };
}

function fromConverse(request: ConverseRequest): Exchange {
  const { messages } = request.body;
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  return {
    question: messages[0]?.content.find((b) => b.text !== undefined)?.text ?? '',
    step: messages.filter((m) => m.role === 'assistant').length,
    calls: (messages[lastAssistant]?.content ?? []).flatMap((b) => (b.toolUse ? [{ id: b.toolUse.toolUseId, name: b.toolUse.name }] : [])),
    results: messages
      .slice(lastAssistant + 1)
      .flatMap((m) => m.content)
      .flatMap((b) => (b.toolResult ? [{ id: b.toolResult.toolUseId, text: b.toolResult.content.map((c) => c.text ?? '').join('') }] : [])),
  };
}

function fromOpenAi(request: ChatRequest): Exchange {
  const { messages } = request.body;
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  const calls = (messages[lastAssistant]?.tool_calls ?? []) as { id: string; function: { name: string } }[];
  return {
    question: String(messages.find((m) => m.role === 'user')?.content ?? ''),
    step: messages.filter((m) => m.role === 'assistant').length,
    calls: calls.map((c) => ({ id: c.id, name: c.function.name })),
    results: messages
      .slice(lastAssistant + 1)
      .filter((m) => m.role === 'tool')
      .map((m) => ({ id: m.tool_call_id ?? '', text: String(m.content) })),
  };
}

let root: string;
let anthropic: FakeAnthropicServer;
let bedrock: FakeBedrockChatServer;
let ollama: FakeChatServer;
const savedEnv = { ...process.env };

interface Provider {
  name: 'anthropic' | 'bedrock' | 'ollama';
  env: () => Record<string, string>;
  /** The secret that must never be shown. */
  secret: string;
  /** What `gitlore ask` prints when the key is refused. */
  refused: string;
  /** The last request the provider's fake got, reduced to what every protocol has. */
  lastRequest: () => { auth: unknown; model: string; stream: unknown; tools: string[] | undefined };
  /** What that request must carry. */
  wire: Record<string, unknown>;
}

const TOOL_NAMES = [
  'search_code',
  'find_symbol',
  'find_references',
  'get_file',
  'list_repos',
  'get_repo_overview',
  'get_commit_timeline',
  'get_commit',
  'get_contributors',
  'blame',
  'search_commits',
  'search_diffs',
];

const PROVIDERS: Provider[] = [
  {
    name: 'anthropic',
    env: () => ({
      GITLORE_LLM: 'anthropic',
      GITLORE_LLM_MODEL: 'claude-scripted',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    }),
    secret: ANTHROPIC_KEY,
    refused: 'gitlore: The anthropic API refused the key (401). Check ANTHROPIC_API_KEY.\n',
    lastRequest: () => {
      const { apiKey, version, body } = anthropic.requests.at(-1)!;
      return { auth: { apiKey, version }, model: body.model, stream: body.stream, tools: body.tools?.map((t) => t.name) };
    },
    wire: { auth: { apiKey: ANTHROPIC_KEY, version: '2023-06-01' }, model: 'claude-scripted', stream: true },
  },
  {
    name: 'bedrock',
    // Credentials come from the AWS chain (the process environment here, set in beforeAll), not from gitlore's config.
    env: () => ({
      GITLORE_LLM: 'bedrock',
      BEDROCK_MODEL_ID: 'anthropic.claude-scripted-v1:0',
      AWS_REGION: 'eu-west-3',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
    }),
    secret: AWS_SECRET,
    refused:
      'gitlore: The bedrock API refused the credentials (403). Check the AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE).\n',
    lastRequest: () => {
      const { authorization, modelId, body } = bedrock.requests.at(-1)!;
      return { auth: authorization, model: modelId, stream: 'converse-stream', tools: body.toolConfig?.tools.map((t) => t.toolSpec.name) };
    },
    // Signed by the AWS credential chain for the configured region, sent to the endpoint override.
    wire: {
      auth: expect.stringMatching(
        new RegExp(`^AWS4-HMAC-SHA256 Credential=${AWS_KEY_ID}/\\d{8}/eu-west-3/bedrock/aws4_request, SignedHeaders=`),
      ),
      model: 'anthropic.claude-scripted-v1:0',
    },
  },
  {
    name: 'ollama',
    env: () => ({ GITLORE_LLM: 'ollama', GITLORE_LLM_MODEL: 'qwen-scripted:7b', OLLAMA_HOST: ollama.url.replace(/\/v1$/, '') }),
    secret: 'no-secret-configured',
    refused:
      'gitlore: The ollama API refused the request (401). Check OLLAMA_HOST: Ollama takes no key, so the server there is not Ollama or a proxy in front of it wants one.\n',
    lastRequest: () => {
      const { auth, body } = ollama.requests.at(-1)!;
      return { auth, model: body.model, stream: body.stream, tools: body.tools?.map((t) => t.function.name) };
    },
    // Ollama's OpenAI-compatible /v1/chat/completions under OLLAMA_HOST (the only path the fake serves), with no key.
    wire: { auth: undefined, model: 'qwen-scripted:7b', stream: true },
  },
];

const baseEnv = () => ({ GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' });
const cli = (provider: Provider, args: string[]) => runCli(args, { env: { ...baseEnv(), ...provider.env() }, cwd: root });

beforeAll(async () => {
  root = tempDir('gitlore-ask-providers-');
  // The AWS credential chain reads the process environment (and ~/.aws): only the fake's key, no profile, no instance role.
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: AWS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: AWS_SECRET,
    AWS_CONFIG_FILE: join(root, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  [anthropic, bedrock, ollama] = await Promise.all([
    startFakeAnthropic(ANTHROPIC_KEY, (request) => answer(fromAnthropic(request))),
    startFakeBedrockChat(AWS_KEY_ID, (request) => answer(fromConverse(request))),
    startFakeChat((request) => answer(fromOpenAi(request))),
  ]);
  makeRepo(join(root, 'proj'), { 'src/sample.ts': readFileSync(join(import.meta.dirname, '../fixtures/code/sample.ts'), 'utf8') });
  const setup = PROVIDERS[0]!;
  for (const args of [['repo', 'add', join(root, 'proj')], ['sync'], ['index']]) {
    const result = await cli(setup, args);
    expect(result.code, result.stderr).toBe(0);
  }
});

afterAll(async () => {
  await Promise.all([anthropic?.close(), bedrock?.close(), ollama?.close()]);
  process.env = savedEnv;
});

const READ_SAMPLE = { name: 'get_file', arguments: JSON.stringify({ repo: 'proj', path: 'src/sample.ts', startLine: 1, endLine: 30 }) };
const SEARCH = { name: 'search_code', arguments: JSON.stringify({ query: 'Client get retries', repos: ['proj'] }) };

describe.each(PROVIDERS)('gitlore ask with GITLORE_LLM=$name', (provider) => {
  it('reads a file through a tool, answers from it: the valid citation stays, the bogus one is dropped', async () => {
    const question = `${provider.name}: where is the client defined?`;
    scripts.set(question, [
      () => ({ toolCalls: [READ_SAMPLE] }),
      () => ({ text: 'The client is in proj/src/sample.ts:13-29; the retry loop is in proj/src/retry.ts:1-9.' }),
    ]);
    const result = await cli(provider, ['ask', question, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.answer).toBe('The client is in proj/src/sample.ts:13-29; the retry loop is in proj/src/retry.ts:1-9.');
    expect(doc.citations).toEqual([{ repo: 'proj', path: 'src/sample.ts', startLine: 13, endLine: 29 }]);
    expect(doc.droppedCitations).toBe(1);
    expect(doc.steps).toMatchObject([{ tool: 'get_file', ok: true }]);
    expect(doc.model).toBe(
      provider.name === 'bedrock' ? 'bedrock:anthropic.claude-scripted-v1:0' : `${provider.name}:${provider.env().GITLORE_LLM_MODEL}`,
    );
    expect(doc.usage.inputTokens).toBeGreaterThan(0);
    expect(doc.usage.outputTokens).toBeGreaterThan(0);
    // The second request carried the file back as the result of the call the model made.
    const [first, second] = seen.get(question)!;
    expect(first).toMatchObject({ step: 0, calls: [], results: [] });
    expect(second!.calls).toEqual([{ id: expect.any(String), name: 'get_file' }]);
    expect(second!.results).toEqual([
      { id: second!.calls[0]!.id, text: expect.stringMatching(/^proj\/src\/sample\.ts @ [0-9a-f]{12} \(lines 1-30 of 34\)/) },
    ]);
    expect(second!.results[0]!.text).toContain('export class Client extends EventEmitter');
    expect(provider.lastRequest()).toMatchObject({ ...provider.wire, tools: TOOL_NAMES });
    expect(result.stdout + result.stderr).not.toContain(provider.secret);
  });

  it('runs two tool calls made in one turn and sends both results back in the next request', async () => {
    const question = `${provider.name}: what does the client do?`;
    scripts.set(question, [
      () => ({ toolCalls: [SEARCH, READ_SAMPLE] }),
      () => ({ text: 'It sends GET requests: proj/src/sample.ts:21-24.' }),
    ]);
    const result = await cli(provider, ['ask', question, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.steps.map((s: { tool: string; ok: boolean }) => [s.tool, s.ok]).sort()).toEqual([
      ['get_file', true],
      ['search_code', true],
    ]);
    expect(doc.citations).toEqual([{ repo: 'proj', path: 'src/sample.ts', startLine: 21, endLine: 24 }]);
    const second = seen.get(question)![1]!;
    expect(second.calls.map((c) => c.name)).toEqual(['search_code', 'get_file']);
    expect(second.calls[0]!.id).not.toBe(second.calls[1]!.id);
    // Each result answers its own call.
    const byId = new Map(second.results.map((r) => [r.id, r.text]));
    expect(second.results).toHaveLength(2);
    expect(byId.get(second.calls[0]!.id)).toMatch(/proj\/src\/sample\.ts/);
    expect(byId.get(second.calls[1]!.id)).toMatch(/^proj\/src\/sample\.ts @ [0-9a-f]{12} \(lines 1-30/);
  });

  it('a refused key is one line naming the variable to fix, without the secret', async () => {
    const question = `${provider.name}: refused`;
    // Anthropic and Bedrock check the key themselves; Ollama has none, so a proxy in front of it refuses.
    scripts.set(question, [() => ({ status: 401, error: 'Unauthorized' })]);
    const env = provider.name === 'anthropic' ? { ANTHROPIC_API_KEY: 'sk-ant-wrong-key-0123456789' } : {};
    if (provider.name === 'bedrock') process.env.AWS_ACCESS_KEY_ID = 'AKIDWRONG0123';
    try {
      const result = await runCli(['ask', question], { env: { ...baseEnv(), ...provider.env(), ...env }, cwd: root });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(provider.refused);
      for (const secret of [provider.secret, 'sk-ant-wrong-key-0123456789']) expect(result.stderr).not.toContain(secret);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = AWS_KEY_ID;
    }
  });
});

describe('bedrock credentials', () => {
  it('none anywhere in the AWS chain: one line naming the variables to set, before any request', async () => {
    const question = 'bedrock: no credentials';
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const result = await cli(PROVIDERS[1]!, ['ask', question]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'gitlore: GITLORE_LLM=bedrock found no AWS credentials: Could not load credentials from any providers. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (run `aws sso login` for an SSO profile), or run with an IAM role.\n',
      );
      expect(seen.get(question)).toBeUndefined();
    } finally {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: AWS_KEY_ID, AWS_SECRET_ACCESS_KEY: AWS_SECRET });
    }
  });

  it('valid credentials without access to the model (403 AccessDeniedException): names the model setting', async () => {
    const question = 'bedrock: no model access';
    scripts.set(question, [() => ({ status: 403, error: "You don't have access to the model with the specified model ID." })]);
    const result = await cli(PROVIDERS[1]!, ['ask', question]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "gitlore: The bedrock API refused the model (403): You don't have access to the model with the specified model ID. Enable access to GITLORE_LLM_MODEL (or BEDROCK_MODEL_ID) in the Bedrock console, for the AWS identity in use.\n",
    );
    expect(result.stderr).not.toContain(AWS_SECRET);
  });
});

describe('provider failures (429, 500) are one line naming what to fix, without the secret', () => {
  let apps: Map<string, App>;
  beforeAll(async () => {
    apps = new Map();
    for (const provider of PROVIDERS) apps.set(provider.name, await openTestApp(join(root, 'data'), root, provider.env()));
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
  });

  const LINES: Record<Provider['name'], Record<429 | 500, string>> = {
    anthropic: {
      429: 'The anthropic API is rate limiting (429). Try again later, or choose a model with a higher quota (GITLORE_LLM_MODEL).',
      500: 'The anthropic model anthropic:claude-scripted failed (500): Internal server error. Check GITLORE_LLM_MODEL and ANTHROPIC_BASE_URL.',
    },
    bedrock: {
      429: 'The bedrock API is rate limiting (429). Try again later, or choose a model with a higher quota (GITLORE_LLM_MODEL).',
      500: 'The bedrock model bedrock:anthropic.claude-scripted-v1:0 failed (500): Internal server error. Check GITLORE_LLM_MODEL and AWS_REGION (or AWS_ENDPOINT_URL_BEDROCK_RUNTIME).',
    },
    ollama: {
      429: 'The ollama API is rate limiting (429). Try again later, or choose a model with a higher quota (GITLORE_LLM_MODEL).',
      500: 'The ollama model ollama:qwen-scripted:7b failed (500): Internal server error. Check GITLORE_LLM_MODEL and OLLAMA_HOST.',
    },
  };
  const cases = PROVIDERS.flatMap((provider) => ([429, 500] as const).map((status) => ({ provider, status })));

  // At once: the client retries each failure once, after its backoff (2 s unless the service sends retry-after).
  it.concurrent.each(cases)('$provider.name answers $status', async ({ provider, status }) => {
    const question = `${provider.name}: fails with ${status}`;
    const message = status === 429 ? 'Too many requests, please wait before trying again.' : 'Internal server error';
    // Anthropic says when to retry on 429, as the service does; Bedrock and Ollama do not.
    const retry = provider.name === 'anthropic' && status === 429 ? { retryAfter: 0 } : {};
    scripts.set(question, [() => ({ status, error: message, ...retry })]);
    const error = await askQuestion({ question }, createContext(apps.get(provider.name)!)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: status === 429 ? 'RATE_LIMITED' : 'NETWORK' });
    const line = (error as { toLine(): string }).toLine();
    expect(line).toBe(LINES[provider.name][status]);
    expect(line).not.toContain(provider.secret);
    expect(seen.get(question)).toHaveLength(2);
  });
});
