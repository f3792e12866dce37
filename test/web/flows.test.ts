import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScrolledIntoView, startHarness, type WebHarness } from './browser.js';
import { NEEDLE_LINE } from './webFixture.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startHarness();
});

afterAll(async () => {
  await web?.close();
});

/** The rows of the file view carrying the selection, as line numbers. */
const selectedLines = (page: Awaited<ReturnType<WebHarness['newPage']>>) =>
  page.$$eval('#code .line.sel', (rows) => rows.map((r) => Number(r.id.slice(1))));

describe('web app in Chromium', () => {
  it('searches as you type, then opens a result at its lines, selected and scrolled into view', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/`);
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.id')).toBe('q');
    await page.keyboard.type('needleFunction');
    await page.waitForSelector('html[data-searched="needleFunction"]');
    expect(page.url()).toContain('/search?q=needleFunction');
    const first = page.locator('a.hit').first();
    expect(await first.getAttribute('href')).toBe(`/r/widgets/blob/src/big.ts#L${NEEDLE_LINE}-L${NEEDLE_LINE + 2}`);
    expect(await page.locator('a.hit mark').first().textContent()).toBe('needleFunction');
    expect(await page.textContent('#summary')).toMatch(/\d+ results? in \d+ files? · \d+ ms/);

    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate("document.activeElement?.classList.contains('hit')")).toBe(true);
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate('document.activeElement?.id')).toBe('q');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(/\/blob\/src\/big\.ts#L/), page.keyboard.press('Enter')]);
    await page.waitForSelector('html[data-ready="file"]');
    expect(await selectedLines(page)).toEqual([NEEDLE_LINE, NEEDLE_LINE + 1, NEEDLE_LINE + 2]);
    expect(await isScrolledIntoView(page, `#L${NEEDLE_LINE}`)).toBe(true);
    expect(await page.locator(`#L${NEEDLE_LINE} .lc .t-keyword`).first().textContent()).toBe('export');
    await page.close();
  });

  it('shows under a hit who last changed its lines, typed or loaded, with the subject linking to the commit', async () => {
    const page = await web.newPage();
    // The first search starts the hit's git blame (it may not wait for it); a reload shows it once cached.
    for (let i = 0; i < 40; i++) {
      await page.goto(`${web.url}/search?q=needleFunction`);
      if ((await page.locator('.last-change').count()) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const served = await page.locator('.last-change').first().textContent();
    expect(served).toMatch(/^.+ · \d+ \w+ ago · .+$/);
    // The island draws the same line from /api/search.
    await page.goto(`${web.url}/`);
    await page.fill('#q', 'needleFunction');
    await page.waitForSelector('html[data-searched="needleFunction"]');
    expect(await page.locator('.last-change').first().textContent()).toBe(served);
    const link = page.locator('.last-change a').first();
    expect(await link.getAttribute('href')).toMatch(/^\/r\/widgets\/commit\/[0-9a-f]{40}$/);
    await Promise.all([page.waitForURL(/\/r\/widgets\/commit\//), link.click()]);
    await page.close();
  });

  it('keeps results when a filter changes, and says what to try when nothing matches', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/search?q=parseWidget`);
    expect(await page.locator('a.hit').count()).toBeGreaterThan(0);
    await page.selectOption('select[name="mode"]', 'lexical');
    await page.fill('#q', 'zzznomatchzzz');
    await page.waitForSelector('html[data-searched="zzznomatchzzz"]');
    expect(await page.textContent('#result-list')).toContain('No results for “zzznomatchzzz”');
    expect(page.url()).toContain('mode=lexical');
    await page.close();
  });

  it('follows a symbol from the file’s symbol list and from a symbol-mode search', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets/blob/src/big.ts`);
    await page.waitForSelector('html[data-ready="file"]');
    await page.click('.symbols a:has-text("needleFunction")');
    await page.waitForFunction(`document.documentElement.dataset.selected === "${NEEDLE_LINE}-${NEEDLE_LINE + 2}"`);
    expect(page.url()).toContain(`#L${NEEDLE_LINE}-L${NEEDLE_LINE + 2}`);
    expect(await isScrolledIntoView(page, `#L${NEEDLE_LINE}`)).toBe(true);

    await page.goto(`${web.url}/search?q=parseWidget&mode=symbol`);
    await Promise.all([page.waitForURL(/\/blob\/src\/parse\.ts#L1-L3$/), page.locator('a.hit').first().click()]);
    await page.waitForSelector('html[data-ready="file"]');
    expect(await selectedLines(page)).toEqual([1, 2, 3]);
    await page.close();
  });

  it('selects a line by click and a range by shift-click, and keeps it in the URL', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets/blob/src/big.ts`);
    await page.waitForSelector('html[data-ready="file"]');
    await page.click('#L5 a.ln');
    expect(page.url()).toMatch(/#L5$/);
    await page.click('#L9 a.ln', { modifiers: ['Shift'] });
    expect(page.url()).toMatch(/#L5-L9$/);
    expect(await selectedLines(page)).toEqual([5, 6, 7, 8, 9]);
    await page.reload();
    await page.waitForSelector('html[data-ready="file"]');
    expect(await selectedLines(page)).toEqual([5, 6, 7, 8, 9]);
    await page.close();
  });

  it('runs nothing from a hostile README or source file, and fetches nothing from another host', async () => {
    const page = await web.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${web.url}/r/widgets/tree/docs`);
    const readme = page.locator('.readme .markdown');
    expect(await readme.textContent()).toContain('<script>window.__pwned = "script"</script>');
    expect(await readme.locator('script, img, iframe, svg, [onerror], [onload]').count()).toBe(0);
    const hrefs = await readme.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.filter((h) => h && !/^(https:\/\/evil\.example\/(pixel\.png)?|\/r\/widgets\/blob\/docs\/guide\.md)$/.test(h))).toEqual([]);
    for (const link of await readme.locator('a:not([href])').all()) await link.click();

    await page.goto(`${web.url}/r/widgets/blob/src/hostile.ts`);
    await page.waitForSelector('html[data-ready="file"]');
    expect(await page.locator('#code img, #code script').count()).toBe(0);
    expect(await page.locator('#L1 .lc').textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('#L1 .lc .t-comment').count()).toBe(1);

    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
