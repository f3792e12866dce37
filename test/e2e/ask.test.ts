import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARS_PER_TOKEN } from '../../src/core/ask/contextBudget.js';
import { ALL_TOOLS } from '../../src/core/tools/index.js';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { spawnCli } from '../fakes/gitHttpFixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore ask` end to end: the real CLI and AI SDK client against a scripted OpenAI-compatible server. */
const KEY = 'sk-test-0123456789abcdef';
let root: string;
let chat: FakeChatServer;
let turns: ((request: FakeChatServer['requests'][number]) => ScriptedTurn)[];

const env = (extra: Record<string, string> = {}) => ({
  GITLORE_DATA_DIR: join(root, 'data'),
  GITLORE_EMBEDDINGS: 'none',
  GITLORE_LLM: 'openai',
  GITLORE_LLM_MODEL: 'scripted-model',
  OPENAI_BASE_URL: chat.url,
  OPENAI_API_KEY: KEY,
  ...extra,
});
const cli = (args: string[], extra?: Record<string, string>) => runCli(args, { env: env(extra), cwd: root });

beforeAll(async () => {
  root = tempDir('gitlore-ask-e2e-');
  chat = await startFakeChat((request, index) => {
    const turn = turns[index];
    return turn ? turn(request) : { text: 'out of script' };
  });
  makeRepo(join(root, 'proj'), {
    'src/sample.ts': readFileSync(join(import.meta.dirname, '../fixtures/code/sample.ts'), 'utf8'),
    // A large file (about 100,000 characters) for the context budget.
    // A committed secret: the configured key itself.
    'config/leaked.env': `OPENAI_API_KEY=${KEY}\nREGION=eu\n`,
    'data/table.txt': Array.from({ length: 2000 }, (_, i) => `row ${String(i).padStart(4, '0')} ${'lorem ipsum '.repeat(3)}`).join('\n'),
  });
  expect((await cli(['repo', 'add', join(root, 'proj')])).code).toBe(0);
  expect((await cli(['sync'])).code).toBe(0);
  expect((await cli(['index'])).code).toBe(0);
});

afterAll(async () => {
  await chat?.close();
});

describe('gitlore ask', () => {
  it('answers through two tool steps, with checked citations, steps and usage', async () => {
    const start = chat.requests.length;
    const toolResults = (request: FakeChatServer['requests'][number]) =>
      request.body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
    turns = [];
    turns[start] = () => ({ toolCalls: [{ name: 'search_code', arguments: JSON.stringify({ query: 'Client get retries' }) }] });
    turns[start + 1] = (request) => {
      expect(toolResults(request).join('\n')).toMatch(/src\/sample\.ts/);
      return {
        toolCalls: [{ name: 'get_file', arguments: JSON.stringify({ repo: 'proj', path: 'src/sample.ts', startLine: 1, endLine: 30 }) }],
      };
    };
    turns[start + 2] = (request) => {
      expect(toolResults(request).at(-1)).toMatch(/^proj\/src\/sample\.ts @ [0-9a-f]{12} \(lines 1-30 of \d+\)/);
      return { text: 'The client is in proj/src/sample.ts:1-5 and proj/src/missing.ts:1-2, also proj/src/sample.ts:1-99999.' };
    };
    const result = await cli(['ask', 'how', 'does', 'the', 'client', 'retry?', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.answer).toMatch(/^The client is in proj\/src\/sample\.ts:1-5/);
    expect(doc.citations).toEqual([{ repo: 'proj', path: 'src/sample.ts', startLine: 1, endLine: 5 }]);
    expect(doc.droppedCitations).toBe(2);
    expect(doc.steps.map((s: { tool: string; ok: boolean }) => [s.tool, s.ok])).toEqual([
      ['search_code', true],
      ['get_file', true],
    ]);
    expect(doc.model).toBe('openai:scripted-model');
    expect(doc.usage.inputTokens).toBeGreaterThan(0);
    // The one request per step carries the key as a bearer token and offers every gitlore tool.
    const first = chat.requests[start]!;
    expect(first.auth).toBe(`Bearer ${KEY}`);
    expect(first.body.tools?.map((t) => t.function.name)).toEqual(ALL_TOOLS.map((t) => t.name));
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('streams the answer to stdout and the tool steps to stderr', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ toolCalls: [{ name: 'list_repos', arguments: '{}' }] });
    turns[start + 1] = () => ({ text: 'One repository: proj.' });
    const result = await cli(['ask', 'what repositories are there?']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^One repository: proj\.\n/);
    expect(result.stderr).toMatch(/list_repos \{\}/);
  });

  it('the last step the budget allows runs without tools, so the model answers from what it has', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ toolCalls: [{ name: 'list_repos', arguments: '{}' }] });
    turns[start + 1] = (request) =>
      request.body.tool_choice === 'none'
        ? { text: 'From what I saw: one repository, proj.' }
        : { toolCalls: [{ name: 'list_repos', arguments: '{}' }] };
    const result = await cli(['ask', 'what is there?', '--json'], { GITLORE_ASK_MAX_STEPS: '2' });
    expect(result.code, result.stderr).toBe(0);
    expect(chat.requests.length - start).toBe(2);
    const last = chat.requests[start + 1]!;
    expect(JSON.stringify(last.body.messages[0])).toMatch(/This is your last step: the tools are off/);
    const doc = JSON.parse(result.stdout);
    expect(doc.answer).toBe('From what I saw: one repository, proj.');
    expect(doc.steps).toHaveLength(1);
  });

  it('a model that keeps calling tools stops at the step budget with an answer saying so', async () => {
    const start = chat.requests.length;
    turns = [];
    for (let i = 0; i < 10; i++) turns[start + i] = () => ({ toolCalls: [{ name: 'list_repos', arguments: '{}' }] });
    const result = await cli(['ask', 'loop forever', '--json'], { GITLORE_ASK_MAX_STEPS: '3' });
    expect(result.code, result.stderr).toBe(0);
    expect(chat.requests.length - start).toBe(3);
    expect(chat.requests[start + 2]?.body.tool_choice).toBe('none');
    const doc = JSON.parse(result.stdout);
    // The calls of the last step, made with the tools off, are not run.
    expect(doc.steps).toHaveLength(2);
    expect(doc.answer).toBe(
      'No answer within 3 model steps (GITLORE_ASK_MAX_STEPS) after 2 tool calls. Ask a narrower question, or raise GITLORE_ASK_MAX_STEPS.',
    );
  });

  it('an empty answer says so instead of printing nothing', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ text: '' });
    const result = await cli(['ask', 'anything']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^The model openai:scripted-model gave an empty answer after 0 tool calls\..*GITLORE_LLM_MODEL/);
  });

  it('keeps every request within GITLORE_ASK_CONTEXT_TOKENS: earlier tool results give way to a note', async () => {
    const start = chat.requests.length;
    const budget = 8000;
    const read = (from: number) => ({
      toolCalls: [
        { name: 'get_file', arguments: JSON.stringify({ repo: 'proj', path: 'data/table.txt', startLine: from, endLine: from + 399 }) },
      ],
    });
    turns = [];
    for (let i = 0; i < 5; i++) turns[start + i] = () => read(1 + i * 400);
    turns[start + 5] = () => ({ text: 'The table has 2000 rows: proj/data/table.txt:1-2000.' });
    const result = await cli(['ask', 'read the whole table', '--json'], { GITLORE_ASK_CONTEXT_TOKENS: String(budget) });
    expect(result.code, result.stderr).toBe(0);
    const sent = chat.requests.slice(start);
    expect(sent).toHaveLength(6);
    for (const request of sent) expect(JSON.stringify(request.body).length / CHARS_PER_TOKEN).toBeLessThanOrEqual(budget);
    // Without the budget the last request would carry all five reads (about 60,000 characters).
    const toolMessages = (i: number) => sent[i]!.body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
    expect(toolMessages(5)).toHaveLength(5);
    expect(toolMessages(5).join('\n')).toMatch(
      /\[earlier tool result of \d+ characters removed to stay within the context budget; call the tool again if needed\]/,
    );
    // The latest read is there whole.
    expect(toolMessages(5).at(-1)).toMatch(/^proj\/data\/table\.txt @ \w+ \(lines 1601-2000 of 2000\)/);
    const doc = JSON.parse(result.stdout);
    expect(doc.answer).toMatch(/^The table has 2000 rows/);
    expect(doc.steps).toHaveLength(5);
  });

  it('tool-call arguments that are not valid JSON go back to the model with the error, and it recovers', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ toolCalls: [{ name: 'search_code', arguments: '{"query": "Client' }] });
    turns[start + 1] = (request) => {
      const errors = request.body.messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
      expect(errors.join('\n')).toMatch(/JSON|parse|Invalid/i);
      return { toolCalls: [{ name: 'search_code', arguments: JSON.stringify({ query: 'Client', repo: 'proj' }) }] };
    };
    turns[start + 2] = (request) => {
      const last = request.body.messages.filter((m) => m.role === 'tool').at(-1);
      expect(JSON.stringify(last?.content)).toContain('did you mean repos?');
      return { toolCalls: [{ name: 'search_code', arguments: JSON.stringify({ query: 'Client', repos: ['proj'] }) }] };
    };
    turns[start + 3] = () => ({ text: 'Found it: proj/src/sample.ts:1-2.' });
    const result = await cli(['ask', 'where is the client?', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.answer).toBe('Found it: proj/src/sample.ts:1-2.');
    expect(doc.steps.at(-1)).toMatchObject({ tool: 'search_code', ok: true });
  });

  it('a model without tool calling still gives a cited answer: gitlore searches, the model answers from the hits', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = (request) =>
      request.body.tools ? { status: 400, error: 'registry.ollama.ai/library/tiny:1b does not support tools' } : { text: 'wrong' };
    turns[start + 1] = (request) => {
      expect(request.body.tools).toBeUndefined();
      const prompt = JSON.stringify(request.body.messages);
      const label = /--- (\S+) ---/.exec(prompt)?.[1];
      expect(label).toMatch(/^proj\/src\/sample\.ts:\d+-\d+$/);
      return { text: `The client is defined in ${label}.` };
    };
    const result = await cli(['ask', 'Client get retries', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.answer).toMatch(/^The client is defined in proj\/src\/sample\.ts:\d+-\d+\.$/);
    expect(doc.citations).toHaveLength(1);
    expect(doc.droppedCitations).toBe(0);
    expect(doc.steps).toMatchObject([{ tool: 'search_code', ok: true }]);
  });

  it('a tool call printed as text is never shown: the search fallback answers instead', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ text: '<tool_call>{"name": "search_code", "arguments": {"query": "Client"}}</tool_call>' });
    turns[start + 1] = (request) => {
      const label = /--- (\S+) ---/.exec(JSON.stringify(request.body.messages))?.[1];
      return { text: `See ${label}.` };
    };
    const result = await cli(['ask', 'Client get retries']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^See proj\/src\/sample\.ts:\d+-\d+\.\n/);
    expect(result.stdout).not.toContain('tool_call');
  });

  it('a stalled model request is sent once more, and the answer comes from the retry', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ stall: true });
    turns[start + 1] = () => ({ text: 'One repository: proj.' });
    const result = await cli(['ask', 'what repositories are there?'], { GITLORE_ASK_IDLE_TIMEOUT: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('One repository: proj.\n');
    expect(chat.requests.length - start).toBe(2);
    // The same request went out twice, and the stalled one was aborted (its connection closed).
    expect(chat.requests[start + 1]?.body.messages).toEqual(chat.requests[start]?.body.messages);
    expect(chat.abandoned).toContain(start);
  });

  it('a model that stalls on the retry too ends with one line naming GITLORE_ASK_IDLE_TIMEOUT, within twice the idle time', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ stall: true });
    turns[start + 1] = () => ({ stall: true });
    const t0 = Date.now();
    const result = await cli(['ask', 'anything'], { GITLORE_ASK_IDLE_TIMEOUT: '1' });
    const ms = Date.now() - t0;
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/sent nothing for 1 s, also when asked again\..*GITLORE_ASK_IDLE_TIMEOUT/);
    expect(chat.requests.length - start).toBe(2);
    // Two idle times and the CLI's start, not a hang.
    expect(ms).toBeGreaterThanOrEqual(2000);
    expect(ms).toBeLessThan(2000 + 4000);
  });

  it('a stall after the answer began is not retried: the text stays, then one TIMEOUT line', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ text: 'The answer starts here', stallAfterContent: true });
    const result = await cli(['ask', 'anything'], { GITLORE_ASK_IDLE_TIMEOUT: '1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('The answer starts here');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/stopped sending for 1 s in the middle of its answer\..*GITLORE_ASK_IDLE_TIMEOUT/);
    expect(chat.requests.length - start).toBe(1);
  });

  it('Ctrl-C while the answer streams aborts the model request and exits 130', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ text: 'word '.repeat(400), chunkDelayMs: 20 });
    const child = spawnCli(['ask', 'anything'], env(), root);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    while (!stdout.includes('word')) {
      expect(child.exitCode, stderr).toBeNull();
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    const interruptedAt = Date.now();
    expect(await closed, stderr).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(3000);
    expect(stderr).toMatch(/ask cancelled/);
    for (let i = 0; i < 50 && !chat.abandoned.includes(start); i++) await new Promise((r) => setTimeout(r, 20));
    expect(chat.abandoned).toContain(start);
    expect(chat.requests.length - start).toBe(1);
  });

  it('a configured secret in repository content never reaches the model', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ toolCalls: [{ name: 'get_file', arguments: JSON.stringify({ repo: 'proj', path: 'config/leaked.env' }) }] });
    turns[start + 1] = () => ({ text: 'The region is eu: proj/config/leaked.env:2-2.' });
    const result = await cli(['ask', 'which region?', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const toolMessage = chat.requests[start + 1]!.body.messages.find((m) => m.role === 'tool');
    expect(String(toolMessage?.content)).toMatch(/OPENAI_API_KEY=\*\*\*/);
    for (const request of chat.requests.slice(start)) expect(JSON.stringify(request.body)).not.toContain(KEY);
  });

  it('a refused key is one line naming OPENAI_API_KEY, without the key', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ status: 401 });
    const result = await cli(['ask', 'anything']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/refused the key \(401\).*OPENAI_API_KEY/);
    expect(result.stderr).not.toContain(KEY);
  });

  it('without a provider says which variables to set', async () => {
    const result = await cli(['ask', 'anything'], { GITLORE_LLM: 'none' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/GITLORE_LLM/);
    const noModel = await cli(['ask', 'anything'], { GITLORE_LLM_MODEL: '' });
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/needs GITLORE_LLM_MODEL/);
  });
});
