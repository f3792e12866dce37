import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { openTestApp } from '../mcp/fixture.js';
import { ARTIFACTS, auditPage, startHarness, type WebHarness } from './browser.js';
import { HOSTILE_ANSWER } from './chatFixture.js';

/** The chat pages in Chromium, answered by the scripted OpenAI-compatible model (test/fakes/chatServer.ts). */
let web: WebHarness;
let chat: FakeChatServer;
let script: ScriptedTurn[] = [];
let bare: App | undefined;
/** The thread the first test starts; later tests share, continue and delete it. */
let threadPath = '';

const READ_PARSE = { toolCalls: [{ name: 'get_file', arguments: JSON.stringify({ repo: 'widgets', path: 'src/parse.ts' }) }] };

beforeAll(async () => {
  chat = await startFakeChat(() => script.shift() ?? { text: 'out of script' });
  web = await startHarness({ env: { GITLORE_LLM: 'openai', GITLORE_LLM_MODEL: 'scripted', OPENAI_BASE_URL: chat.url } });
  await web.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
});

afterAll(async () => {
  await web?.close();
  await bare?.close();
  await chat?.close();
});

/**
 * Records what the page draws while an answer streams: each text the answer region showed, each state a step
 * showed, and any element (rather than text) that appeared inside the streaming answer.
 */
async function watchStream(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = (window.__seen = { texts: [], states: [], elements: 0 });
    new MutationObserver((records) => {
      for (const r of records) {
        const answer = document.querySelector('.streaming-text');
        if (answer && (r.target === answer || answer.contains(r.target))) {
          seen.texts.push(answer.textContent);
          for (const n of r.addedNodes) if (n.nodeType === 1) seen.elements++;
        }
        for (const s of document.querySelectorAll('.turn.streaming .step-state')) seen.states.push(s.textContent);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  })()`);
}

const seen = (page: Page) => page.evaluate('window.__seen') as Promise<{ texts: string[]; states: string[]; elements: number }>;

async function askOn(page: Page, question: string): Promise<void> {
  await page.fill('#question', question);
  await page.press('#question', 'Enter');
}

describe('chat in Chromium', () => {
  it('asks, shows the steps and the answer as they stream, then the thread; a citation opens the file at its lines', async () => {
    script = [
      { ...READ_PARSE, chunkDelayMs: 20 },
      { text: 'parseWidget splits the spec on commas: widgets/src/parse.ts:1-3 (see **there**).', chunkDelayMs: 20 },
    ];
    const page = await web.newPage();
    await page.goto(`${web.url}/chat`);
    await page.waitForSelector('html[data-ready="chat"]');
    await watchStream(page);
    await askOn(page, 'what does parseWidget do?');
    await page.waitForSelector('.turn.streaming .streaming-text[aria-live="polite"]');
    expect(await page.locator('#stop').isVisible()).toBe(true);
    await page.waitForURL(/\/chat\/[\w-]{16,}$/);
    await page.waitForSelector('html[data-chat="done"]');
    threadPath = new URL(page.url()).pathname;

    const drawn = await seen(page);
    // The answer grew word by word, as text; the step went from running to finished.
    expect(new Set(drawn.texts.filter(Boolean)).size).toBeGreaterThan(5);
    expect(drawn.texts.filter(Boolean).at(-1)).toContain('widgets/src/parse.ts:1-3');
    expect(drawn.elements).toBe(0);
    expect(drawn.states).toContain('running…');
    expect(drawn.states.some((s) => /^ok · \d+ ms$/.test(s))).toBe(true);

    // Swapped for the server-rendered thread: markdown, steps collapsed, chips, model and usage.
    const turn = page.locator('article.turn');
    expect(await turn.count()).toBe(1);
    // Focus waits in the follow-up box.
    expect(await page.evaluate('document.activeElement?.id')).toBe('question');
    expect(await turn.locator('h2.question').textContent()).toBe('what does parseWidget do?');
    expect(await turn.locator('.answer.markdown strong').textContent()).toBe('there');
    expect(await turn.locator('details.steps').getAttribute('open')).toBeNull();
    await turn.locator('details.steps summary').click();
    expect(await turn.locator('details.steps li').textContent()).toMatch(
      /get_file\s+\{"repo":"widgets","path":"src\/parse\.ts"\}\s+ok\s+\d+ ms/,
    );
    expect(await turn.locator('.turn-meta').textContent()).toMatch(/^openai:scripted · \d+ in \/ \d+ out tokens · \d+\.\d s$/);
    expect(await page.locator('#ask-form').getAttribute('data-thread')).toBe(threadPath.split('/').pop());

    const chip = turn.locator('a.chip');
    expect(await chip.textContent()).toBe('widgets/src/parse.ts:1-3');
    await Promise.all([page.waitForURL(/\/r\/widgets\/blob\/src\/parse\.ts#L1-L3$/), chip.click()]);
    await page.waitForSelector('html[data-ready="file"]');
    expect(await page.$$eval('#code .line.sel', (rows) => rows.map((r) => r.id))).toEqual(['L1', 'L2', 'L3']);
    await page.close();
  });

  it('shares the thread, copies its link, reloads it, continues it, unshares and deletes it', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}${threadPath}`);
    await page.waitForSelector('html[data-ready="chat"]');
    expect(await page.locator('#share-panel').isVisible()).toBe(false);
    await page.click('button#share');
    await page.waitForSelector('html[data-shared="true"]');
    const link = await page.inputValue('#share-link');
    expect(link).toBe(`${web.url}${threadPath}`);
    await page.click('button#copy');
    await page.locator('#share-status', { hasText: 'Link copied.' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(link);

    // The shared link, loaded afresh: the same thread, still shared.
    await page.goto(link);
    await page.waitForSelector('html[data-ready="chat"]');
    expect(await page.locator('article.turn h2').textContent()).toBe('what does parseWidget do?');
    expect(await page.locator('article.turn a.chip').getAttribute('href')).toBe('/r/widgets/blob/src/parse.ts#L1-L3');
    expect(await page.locator('#share-panel').isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/chat-shared.png`, fullPage: true });

    // A follow-up continues the thread: the model gets the first turn, the page keeps its URL.
    script = [{ text: 'It returns the pieces: widgets/src/parse.ts:2' }];
    const before = chat.requests.length;
    await askOn(page, 'and what does it return?');
    await page.locator('article.turn:not(.streaming)').nth(1).waitFor();
    await page.waitForSelector('html[data-chat="done"]');
    expect(new URL(page.url()).pathname).toBe(threadPath);
    expect(await page.locator('article.turn').nth(1).locator('a.chip').textContent()).toBe('widgets/src/parse.ts:2');
    expect(JSON.stringify(chat.requests[before]?.body.messages)).toContain('what does parseWidget do?');

    await page.goto(`${web.url}/chat`);
    const row = page.locator(`.thread-list li:has(a[href="${threadPath}"])`);
    expect(await row.textContent()).toMatch(/what does parseWidget do\?Shared2 turns · updated/);

    await page.goto(`${web.url}${threadPath}`);
    await page.click('button#unshare');
    await page.waitForSelector('html[data-shared="false"]');
    expect(await page.locator('#share-panel').isVisible()).toBe(false);
    expect(await page.evaluate('document.activeElement?.id')).toBe('share');

    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await Promise.all([page.waitForURL(/\/chat$/), page.click('button#delete')]);
    expect(dialogs[0]).toMatch(/^Delete this thread/);
    expect(await page.locator(`a[href="${threadPath}"]`).count()).toBe(0);
    expect((await page.goto(`${web.url}${threadPath}`))?.status()).toBe(404);
    await page.close();
  });

  it('stops an answer: the model request is dropped, nothing is saved, the question stays in the box', async () => {
    script = [{ text: 'word '.repeat(400), chunkDelayMs: 25 }];
    const threads = (await web.fixture.app.store.chats.list('local')).length;
    const page = await web.newPage();
    await page.goto(`${web.url}/chat`);
    await page.waitForSelector('html[data-ready="chat"]');
    const request = chat.requests.length;
    await askOn(page, 'a long answer, please');
    await page.locator('.streaming-text', { hasText: /(word ){5}/ }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/chat-streaming.png`, fullPage: true });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.waitForSelector('html[data-chat="stopped"]');
    expect(await page.textContent('#ask-status')).toBe('Stopped. Nothing was saved.');
    expect(await page.inputValue('#question')).toBe('a long answer, please');
    expect(await page.evaluate('document.activeElement?.id')).toBe('question');
    expect(await page.locator('#ask').isEnabled()).toBe(true);
    await expect.poll(() => chat.abandoned.includes(request), { timeout: 5000 }).toBe(true);
    expect(page.url()).toBe(`${web.url}/chat`);
    expect(await web.fixture.app.store.chats.list('local')).toHaveLength(threads);
    await page.close();
  });

  it('shows a failed answer’s message and hint', async () => {
    script = [
      { status: 500, retryAfter: 0 },
      { status: 500, retryAfter: 0 },
    ];
    const page = await web.newPage();
    await page.goto(`${web.url}/chat`);
    await page.waitForSelector('html[data-ready="chat"]');
    await askOn(page, 'anything');
    await page.waitForSelector('html[data-chat="error"]');
    const alert = page.locator('article.turn [role="alert"]');
    expect(await alert.locator('p').first().textContent()).toBeTruthy();
    expect(await alert.locator('.hint').textContent()).toContain('OPENAI_BASE_URL');
    expect(await page.inputValue('#question')).toBe('anything');
    await page.close();
  });

  it('keeps a hostile answer inert while it streams and once rendered, and fetches nothing from another host', async () => {
    script = [{ text: HOSTILE_ANSWER }];
    const page = await web.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${web.url}/chat`);
    await page.waitForSelector('html[data-ready="chat"]');
    await watchStream(page);
    await askOn(page, '<img src=x onerror="window.__pwned=1">');
    await page.waitForSelector('html[data-chat="done"]');
    const drawn = await seen(page);
    expect(drawn.elements).toBe(0);
    expect(drawn.texts.at(-1)).toContain('<script>window.__pwned = "script"</script>');

    const main = page.locator('main');
    expect(await main.locator('script, img, iframe, svg, [onerror], [onload]').count()).toBe(0);
    expect(await page.locator('article.turn .answer').textContent()).toContain('<script>window.__pwned = "script"</script>');
    const hrefs = await main.locator('.answer a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.filter((h) => h && !h.startsWith('https://evil.example/'))).toEqual([]);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(web.offsite).toEqual([]);
    await page.close();
  });

  it('says what to set where no model is configured', async () => {
    bare = await openTestApp(web.fixture.dataDir, web.fixture.root);
    const url = await web.serve(bare);
    const page = await web.newPage();
    await page.goto(`${url}/chat`);
    const notice = page.locator('#not-configured');
    expect(await notice.textContent()).toContain('Question answering needs an LLM provider; none is configured.');
    expect(await notice.textContent()).toContain('Set GITLORE_LLM (openai, anthropic, bedrock or ollama) and GITLORE_LLM_MODEL');
    expect(await page.locator('textarea').count()).toBe(0);
    // axe and screenshots of this state: test/web/accessibility.test.ts ('chat', its app has no model).
    await page.close();
  });

  it('passes axe in light and dark at 1280 and 360 px: the thread list and a thread (screenshots)', async () => {
    script = [READ_PARSE, { text: 'parseWidget splits the spec on commas: widgets/src/parse.ts:1-3.' }];
    const page = await web.newPage();
    await page.goto(`${web.url}/chat`);
    await page.waitForSelector('html[data-ready="chat"]');
    await askOn(page, 'what does parseWidget do, and where is it defined in the widgets repository?');
    await page.waitForSelector('html[data-chat="done"]');
    await page.locator('details.steps summary').click();
    expect(await auditPage(page, 'chat-thread')).toEqual({});
    await page.goto(`${web.url}/chat`);
    expect(await page.locator('.thread-list li').count()).toBeGreaterThan(0);
    expect(await auditPage(page, 'chat-list')).toEqual({});
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
