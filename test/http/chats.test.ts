import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

/** Ask threads over HTTP: a question starts a thread, a follow-up continues it with the earlier turns, list/fetch/share/delete. */
let fixture: Fixture;
let app: App;
let chat: FakeChatServer;
let http: ReturnType<typeof createHttpApp>;
let script: ScriptedTurn[] = [];
// biome-ignore lint/suspicious/noExplicitAny: response documents, read field by field in assertions
type Doc = any;

const json = (method: string, path: string, body?: unknown) =>
  http.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const ask = async (body: Record<string, unknown>) => {
  const res = await json('POST', '/api/ask?stream=false', body);
  return { status: res.status, doc: (await res.json()) as Doc };
};

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

describe('ask threads', () => {
  let threadId: string;

  it('a question starts a thread stored whole: answer, citations, steps, model, usage, timing', async () => {
    script = [
      { toolCalls: [{ name: 'get_file', arguments: JSON.stringify({ repo: 'widgets', path: 'src/parse.ts' }) }] },
      { text: 'parseWidget splits on commas: widgets/src/parse.ts:1-3.' },
    ];
    const { status, doc } = await ask({ question: 'What does   parseWidget do?', repos: ['widgets'] });
    expect(status).toBe(200);
    expect(doc.threadId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    threadId = doc.threadId;

    const res = await json('GET', `/api/chats/${threadId}`);
    expect(res.status).toBe(200);
    const thread = (await res.json()) as Doc;
    expect(thread).toMatchObject({ id: threadId, title: 'What does parseWidget do?', owner: 'local', sharedAt: null, turnCount: 1 });
    expect(thread.turns).toHaveLength(1);
    expect(thread.turns[0]).toMatchObject({
      seq: 1,
      question: 'What does   parseWidget do?',
      repos: ['widgets'],
      answer: doc.answer,
      citations: doc.citations,
      steps: [{ tool: 'get_file', ok: true }],
      model: 'openai:scripted',
      droppedCitations: 0,
    });
    expect(thread.turns[0].usage.inputTokens).toBeGreaterThan(0);
    expect(thread.turns[0].tookMs).toBeGreaterThanOrEqual(0);
  });

  it('a follow-up sends the earlier turns to the model, keeps their repositories and appends to the same thread', async () => {
    const before = chat.requests.length;
    script = [{ text: 'It returns an array of widgets: widgets/src/parse.ts:1-3.' }];
    const { status, doc } = await ask({ question: 'and what does it return?', threadId });
    expect(status).toBe(200);
    expect(doc.threadId).toBe(threadId);
    const messages = chat.requests[before]!.body.messages.filter((m) => m.role !== 'system');
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(String(messages[0]!.content)).toMatch(/parseWidget/);
    expect(String(messages[1]!.content)).toMatch(/splits on commas/);
    // The follow-up is scoped like the first question.
    expect(String(messages[2]!.content)).toMatch(/and what does it return\?[\s\S]*widgets/);

    const thread = (await (await json('GET', `/api/chats/${threadId}`)).json()) as Doc;
    expect(thread.turns.map((t: { seq: number; question: string }) => [t.seq, t.question])).toEqual([
      [1, 'What does   parseWidget do?'],
      [2, 'and what does it return?'],
    ]);
  });

  it('lists threads most recently continued first', async () => {
    script = [{ text: 'Nothing about that in the code.' }];
    const other = (await ask({ question: 'a second thread' })).doc.threadId;
    const res = await json('GET', '/api/chats');
    expect(res.status).toBe(200);
    const { threads } = (await res.json()) as { threads: { id: string; turnCount: number }[] };
    expect(threads.map((t) => [t.id, t.turnCount])).toEqual([
      [other, 1],
      [threadId, 2],
    ]);
    expect(((await (await json('GET', '/api/chats?limit=1')).json()) as Doc).threads).toHaveLength(1);
  });

  it('shares a thread by link and makes it private again', async () => {
    const res = await json('POST', `/api/chats/${threadId}/share`, {});
    expect(res.status).toBe(200);
    const shared = (await res.json()) as Doc;
    expect(shared).toMatchObject({ id: threadId, url: `/chat/${threadId}`, sharedAt: expect.any(String) });
    const again = (await (await json('POST', `/api/chats/${threadId}/share`, {})).json()) as Doc;
    expect(again.sharedAt).toBe(shared.sharedAt);
    const off = (await (await json('POST', `/api/chats/${threadId}/share`, { shared: false })).json()) as Doc;
    expect(off.sharedAt).toBeNull();
  });

  it('a failed answer leaves the thread as it was', async () => {
    script = [
      { status: 500, error: 'model crashed' },
      { status: 500, error: 'model crashed' },
    ];
    const { status, doc } = await ask({ question: 'will this be stored?', threadId });
    expect(status).toBeGreaterThanOrEqual(500);
    expect(doc.error.code).toBeDefined();
    const thread = (await (await json('GET', `/api/chats/${threadId}`)).json()) as Doc;
    expect(thread.turnCount).toBe(2);
  });

  it('an unknown or malformed thread id is a clear 404 / 400, and asking in it stores nothing', async () => {
    const unknown = await json('GET', '/api/chats/AAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Doc).error).toMatchObject({ code: 'THREAD_NOT_FOUND', hint: expect.stringMatching(/\/api\/chats/) });
    const malformed = await json('GET', '/api/chats/..%2F..%2Fetc');
    expect(malformed.status).toBe(400);
    const before = chat.requests.length;
    const { status, doc } = await ask({ question: 'hello', threadId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(status).toBe(404);
    expect(doc.error.code).toBe('THREAD_NOT_FOUND');
    expect(chat.requests.length).toBe(before);
  });

  it('deletes a thread with its turns', async () => {
    const res = await json('DELETE', `/api/chats/${threadId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: true });
    expect((await json('GET', `/api/chats/${threadId}`)).status).toBe(404);
    expect((await json('DELETE', `/api/chats/${threadId}`)).status).toBe(404);
  });

  it('the chat routes are in the OpenAPI document', async () => {
    const doc = (await (await json('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/chats'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/chats/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(doc.paths['/api/chats/{id}/share'] ?? {})).toEqual(['post']);
  });
});
