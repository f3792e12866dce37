import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import type { ChatTurnRecord } from '../../src/store/chatStore.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';
import { HOSTILE_ANSWER } from '../web/chatFixture.js';

/** /chat and /chat/:id rendered in process: threads listed, turns drawn, model output kept inert, no model configured. */
let fixture: Fixture;
let app: App;
let http: ReturnType<typeof createHttpApp>;
let bare: App;
let bareHttp: ReturnType<typeof createHttpApp>;

const turn = (over: Partial<Omit<ChatTurnRecord, 'seq' | 'createdAt'>> = {}): Omit<ChatTurnRecord, 'seq' | 'createdAt'> => ({
  question: 'what does parseWidget do?',
  repos: [],
  answer: 'It **splits** the spec: widgets/src/parse.ts:1-3',
  citations: [{ repo: 'widgets', path: 'src/parse.ts', startLine: 1, endLine: 3 }],
  commits: [{ repo: 'widgets', hash: 'abcdef0123456789', subject: 'add report tool' }],
  steps: [{ tool: 'get_file', input: { repo: 'widgets', path: 'src/parse.ts' }, ok: true, ms: 12 }],
  droppedCitations: 1,
  model: 'openai:scripted',
  usage: { inputTokens: 150, outputTokens: 40 },
  tookMs: 1234,
  ...over,
});

async function page(path: string, on = http) {
  const res = await on.request(path);
  return { status: res.status, html: await res.text() };
}

beforeAll(async () => {
  fixture = await makeFixture();
  app = await openTestApp(fixture.dataDir, fixture.root, {
    GITLORE_LLM: 'openai',
    GITLORE_LLM_MODEL: 'scripted',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  });
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: false });
  bare = await openTestApp(fixture.dataDir, fixture.root);
  bareHttp = createHttpApp({ app: bare, version: 'test', scheduler: null, requireAuth: false });
});

afterAll(async () => {
  await bare?.close();
  await app?.close();
});

describe('/chat', () => {
  it('lists the earlier threads with turns, update time and a shared badge, and the question box', async () => {
    const empty = await page('/chat');
    expect(empty.status).toBe(200);
    expect(empty.html).toContain('No threads yet');
    expect(empty.html).toContain('<form id="ask-form"');
    expect(empty.html).toContain('<option value="widgets">widgets</option>');
    expect(empty.html).toMatch(/<script type="module" src="\/assets\/chat-[\w-]+\.js"/);

    await app.store.chats.appendTurn({ id: 'listthread0000001', title: 'first question', owner: 'local' }, turn());
    await app.store.chats.appendTurn({ id: 'listthread0000001', title: 'first question', owner: 'local' }, turn());
    await app.store.chats.appendTurn({ id: 'listthread0000002', title: 'second <b>question</b>', owner: 'local' }, turn());
    await app.store.chats.setShared('listthread0000002', true);
    const { html } = await page('/chat');
    expect(html).toContain('<a href="/chat/listthread0000001">first question</a>');
    expect(html).toMatch(/first question<\/a><span class="thread-meta">2 turns · updated <time datetime="[\d-]+T/);
    expect(html).toContain('second &lt;b&gt;question&lt;/b&gt;</a><span class="badge">Shared</span>');
  });

  it('says what to set when no model is configured, and keeps the threads readable', async () => {
    const res = await page('/chat', bareHttp);
    expect(res.status).toBe(200);
    expect(res.html).toContain('Question answering needs an LLM provider; none is configured.');
    expect(res.html).toContain('Set GITLORE_LLM (openai, anthropic, bedrock or ollama) and GITLORE_LLM_MODEL');
    expect(res.html).not.toContain('id="ask-form"');
    expect(res.html).toContain('href="/chat/listthread0000001"');
    const thread = await page('/chat/listthread0000001', bareHttp);
    expect(thread.status).toBe(200);
    expect(thread.html).toContain('none is configured');
  });
});

describe('/chat/:id', () => {
  it('draws each turn: question, steps in <details>, the answer from markdown, citation and commit chips, model and usage', async () => {
    await app.store.chats.appendTurn({ id: 'showthread0000001', title: 'what does parseWidget do?', owner: 'local' }, turn());
    const { status, html } = await page('/chat/showthread0000001');
    expect(status).toBe(200);
    expect(html).toContain('<h2 class="question" id="q-1">what does parseWidget do?</h2>');
    expect(html).toMatch(
      /<details class="steps"><summary>1 tool step · 12 ms<\/summary><ol><li class="step"><code class="tool">get_file<\/code>/,
    );
    expect(html).toContain('{&quot;repo&quot;:&quot;widgets&quot;,&quot;path&quot;:&quot;src/parse.ts&quot;}');
    expect(html).toContain('<strong>splits</strong>');
    expect(html).toContain('<a class="chip" href="/r/widgets/blob/src/parse.ts#L1-L3">widgets/src/parse.ts:1-3</a>');
    expect(html).toContain('<a class="chip" href="/r/widgets/commit/abcdef0123456789"><code>widgets@abcdef0123</code> add report tool</a>');
    expect(html).toContain('openai:scripted · 150 in / 40 out tokens · 1.2 s · 1 citation dropped (not found)');
    // The owner's page: share, delete and the follow-up box carrying the thread id.
    expect(html).toContain('<form id="ask-form" class="ask" data-thread="showthread0000001">');
    expect(html).toMatch(/<button type="button" id="share" data-thread="showthread0000001">Share<\/button>/);
    expect(html).toMatch(/<div id="share-panel" class="share-panel" hidden="">/);
    expect(html).toContain('<input id="share-link" readonly="" value="/chat/showthread0000001"/>');
    const zipped = await http.request('/chat/showthread0000001', { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('keeps a hostile answer inert: raw HTML escaped, script links dropped, images as links', async () => {
    await app.store.chats.appendTurn(
      { id: 'hostilethread0001', title: 'hostile', owner: 'local' },
      turn({ answer: HOSTILE_ANSWER, question: '<img src=x onerror="window.__pwned=1">', citations: [], commits: [] }),
    );
    const { html } = await page('/chat/hostilethread0001');
    const main = html.slice(html.indexOf('<main'));
    expect(main).not.toMatch(/<(script|img|iframe)\b/i);
    expect(main).not.toMatch(/<[^>]*\son(error|load)=/i);
    expect(main).not.toMatch(/href="(javascript|data):/i);
    expect(main).toContain('&lt;script&gt;window.__pwned = &quot;script&quot;&lt;/script&gt;');
    expect(main).toContain('[click me](javascript:window.__pwned=&quot;link&quot;)');
    expect(main).toContain('<a href="https://evil.example/pixel.png" rel="nofollow noopener noreferrer">[tracker]</a>');
  });

  it('shows a shared thread of someone else read-only, and hides an unshared one (404)', async () => {
    await app.store.chats.appendTurn({ id: 'otherthread000001', title: 'alice asks', owner: 'alice' }, turn());
    const hidden = await page('/chat/otherthread000001');
    expect(hidden.status).toBe(404);
    expect(hidden.html).toContain('No thread otherthread000001.');
    await app.store.chats.setShared('otherthread000001', true);
    const shared = await page('/chat/otherthread000001');
    expect(shared.status).toBe(200);
    expect(shared.html).toContain('Shared with you by link; read-only.');
    expect(shared.html).not.toContain('id="ask-form"');
    expect(shared.html).not.toContain('id="delete"');
    expect(shared.html).toContain('widgets/src/parse.ts:1-3');
    expect((await page('/chat/not-a-valid-id!')).status).toBe(404);
  });
});
