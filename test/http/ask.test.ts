import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { servedTools } from '../../src/core/ask/askCodebaseTool.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { startServer } from '../../src/server/serve.js';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

/** POST /api/ask (events and one document) and /api/query, answered by a scripted OpenAI-compatible model. */
let fixture: Fixture;
let app: App;
let chat: FakeChatServer;
let http: ReturnType<typeof createHttpApp>;
let script: ScriptedTurn[] = [];

/** Two steps: read the file, then answer citing it (and a line range that does not exist). */
function scriptAnswer(): void {
  script = [
    { toolCalls: [{ name: 'get_file', arguments: JSON.stringify({ repo: 'widgets', path: 'src/parse.ts' }) }] },
    { text: 'parseWidget splits the spec on commas: widgets/src/parse.ts:1-3 (not widgets/src/parse.ts:40-50).' },
  ];
}

/** The server-sent events of a response body, each with its parsed data. */
const parseEvents = (text: string) =>
  [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((m) => ({ event: m[1], data: JSON.parse(m[2] ?? 'null') }));

const post = (path: string, body: unknown) =>
  http.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  fixture = await makeFixture();
  chat = await startFakeChat(() => script.shift() ?? { text: 'out of script' });
  app = await openTestApp(fixture.dataDir, fixture.root, {
    GITLORE_LLM: 'openai',
    GITLORE_LLM_MODEL: 'scripted',
    OPENAI_BASE_URL: chat.url,
  });
  http = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: false });
});

afterAll(async () => {
  await app?.close();
  await chat?.close();
});

describe('POST /api/ask and /api/query', () => {
  it('?stream=false answers with one document: the answer, checked citations and the steps', async () => {
    scriptAnswer();
    const res = await post('/api/ask?stream=false', { question: 'what does parseWidget do?' });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      answer: expect.stringMatching(/^parseWidget splits/),
      citations: [{ repo: 'widgets', path: 'src/parse.ts', startLine: 1, endLine: 3 }],
      droppedCitations: 1,
      steps: [{ tool: 'get_file', ok: true }],
      model: 'openai:scripted',
    });
  });

  it('streams server-sent events: step, text, citations, done, unbuffered by proxies', async () => {
    scriptAnswer();
    const res = await post('/api/ask', { question: 'what does parseWidget do?' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const events = parseEvents(await res.text());
    const names = events.map((e) => e.event);
    expect(names.slice(0, 2)).toEqual(['step', 'step']);
    expect(events[0]?.data).toMatchObject({ state: 'started', tool: 'get_file' });
    expect(names.filter((n) => n === 'text').length).toBeGreaterThan(3);
    expect(names.slice(-2)).toEqual(['citations', 'done']);
    const text = events
      .filter((e) => e.event === 'text')
      .map((e) => e.data.delta)
      .join('');
    expect(events.at(-1)?.data.answer).toBe(text);
    expect(events.at(-2)?.data).toMatchObject({ droppedCitations: 1, citations: [{ path: 'src/parse.ts' }] });
  });

  it('a provider failure mid-stream is an error event with the code and the variable to fix', async () => {
    script = [{ status: 500 }, { status: 500 }];
    const res = await post('/api/ask', { question: 'anything' });
    const body = await res.text();
    expect(body).toMatch(/^event: error\ndata: \{"error":\{"code":"NETWORK"/m);
    expect(body).toContain('OPENAI_BASE_URL');
  });

  it('runs the tool calls of one model turn (parallel calls) and sends every result back', async () => {
    script = [
      {
        toolCalls: [
          { name: 'get_file', arguments: JSON.stringify({ repo: 'widgets', path: 'src/parse.ts' }) },
          { name: 'list_repos', arguments: '{}' },
        ],
      },
      { text: 'parseWidget is defined in widgets/src/parse.ts:1-3.' },
    ];
    const start = chat.requests.length;
    const events = parseEvents(await (await post('/api/ask', { question: 'where is parseWidget?' })).text());
    const finished = events.filter((e) => e.event === 'step' && e.data.state === 'finished').map((e) => [e.data.tool, e.data.ok]);
    expect(finished.sort()).toEqual([
      ['get_file', true],
      ['list_repos', true],
    ]);
    // One model turn, then one request carrying both results, each answering its own call.
    expect(chat.requests.length - start).toBe(2);
    const results = chat.requests[start + 1]!.body.messages.filter((m) => m.role === 'tool');
    expect(results.map((m) => m.tool_call_id).sort()).toEqual([`call_${start + 1}_0`, `call_${start + 1}_1`]);
    const byCall = Object.fromEntries(results.map((m) => [m.tool_call_id, String(m.content)]));
    expect(byCall[`call_${start + 1}_0`]).toMatch(/^widgets\/src\/parse\.ts @ /);
    expect(byCall[`call_${start + 1}_1`]).toMatch(/widgets/);
    expect(events.at(-1)?.data).toMatchObject({ citations: [{ repo: 'widgets', path: 'src/parse.ts', startLine: 1, endLine: 3 }] });
  });

  it('/api/query answers the older clients with one document', async () => {
    scriptAnswer();
    const res = await post('/api/query', { question: 'what does parseWidget do?', repos: ['widgets'], username: 'alice' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ citations: [{ repo: 'widgets', path: 'src/parse.ts' }] });
    // The repository scope reaches the model with the question.
    const last = chat.requests.at(-2);
    expect(JSON.stringify(last?.body.messages)).toContain('Only these repositories: widgets');
  });
});

describe('POST /api/ask when the client goes away', () => {
  /** Posts a question over a real socket, waits for the first text event or for the model request, then drops the connection. */
  async function askThenLeave(until: 'text' | 'model request'): Promise<void> {
    // drainMs: the closing server need not wait for the keep-alive connection the dropped stream leaves behind.
    const server = await startServer({ app, version: '0', host: '127.0.0.1', port: 0, jobs: null, background: false, drainMs: 100 });
    try {
      const threadsBefore = (await app.store.chats.list('local')).length;
      const request = chat.requests.length;
      const client = new AbortController();
      const res = await fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'anything' }),
        signal: client.signal,
      });
      if (until === 'text') {
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let seen = '';
        while (!seen.includes('event: text')) {
          const { done, value } = await reader.read();
          if (done) throw new Error(`the stream ended before a text event: ${seen}`);
          seen += value;
        }
      } else await waitFor(() => chat.requests.length > request, 2000);
      client.abort();
      const leftAt = Date.now();
      // The model request in flight is aborted: the fake sees its connection close, soon.
      await waitFor(() => chat.abandoned.includes(request), 2000);
      expect(Date.now() - leftAt).toBeLessThan(2000);
      // And the loop asks nothing more.
      await new Promise((r) => setTimeout(r, 300));
      expect(chat.requests.length).toBe(request + 1);
      // Nothing half-written: the abandoned question left no thread behind.
      expect(await app.store.chats.list('local')).toHaveLength(threadsBefore);
    } finally {
      await server.close();
    }
  }

  it('mid-answer: the streaming model request is aborted and no further step runs', async () => {
    script = [{ text: 'word '.repeat(400), chunkDelayMs: 20 }];
    await askThenLeave('text');
  });

  it('in process, a reader that cancels the event stream ends the answer too', async () => {
    script = [{ text: 'word '.repeat(400), chunkDelayMs: 20 }];
    const request = chat.requests.length;
    const res = await post('/api/ask', { question: 'anything' });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = '';
    while (!seen.includes('event: text')) seen += (await reader.read()).value ?? '';
    await reader.cancel();
    await waitFor(() => chat.abandoned.includes(request), 2000);
    await new Promise((r) => setTimeout(r, 300));
    expect(chat.requests.length).toBe(request + 1);
  });

  it('while the model is silent: the stalled request is aborted, not retried', async () => {
    script = [{ stall: true }, { text: 'a retry that must not happen' }];
    await askThenLeave('model request');
    script = [];
  });
});

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('MCP ask_codebase', () => {
  it('is served where an LLM is configured, and answers with checked citations', async () => {
    expect(servedTools({ llm: 'none' }).map((t) => t.name)).not.toContain('ask_codebase');
    const server = createMcpServer(app, { version: '9.9.9' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('ask_codebase');
      scriptAnswer();
      const result = await client.callTool({ name: 'ask_codebase', arguments: { question: 'what does parseWidget do?' } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ citations: [{ repo: 'widgets', path: 'src/parse.ts', startLine: 1, endLine: 3 }] });
      expect((result.content as { text: string }[])[0]?.text).toMatch(/Sources:\nwidgets\/src\/parse\.ts:1-3/);
    } finally {
      await client.close();
    }
  });
});
