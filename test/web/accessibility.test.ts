import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, startHarness, type WebHarness } from './browser.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startHarness();
});

afterAll(async () => {
  await web?.close();
});

/** Every page the app serves so far, in a state worth looking at; `ready` is what says the page is done. */
const PAGES = [
  { name: 'search-empty', path: '/' },
  { name: 'search-results', path: '/search?q=parseWidget' },
  { name: 'search-grouped', path: '/search?q=value+widget&group=file' },
  { name: 'search-none', path: '/search?q=zzznomatchzzz&mode=lexical' },
  { name: 'file', path: '/r/widgets/blob/src/parse.ts#L1-L2', ready: 'html[data-ready="file"]' },
  { name: 'tree-readme', path: '/r/widgets/tree/' },
  { name: 'tree-docs', path: '/r/widgets/tree/docs' },
  { name: 'not-found', path: '/no/such/page' },
  { name: 'chat', path: '/chat' },
  { name: 'status', path: '/status' },
];

describe('every page: axe-core (no serious or critical violation) in light and dark, at 1280 and 360 px', () => {
  it.each(PAGES)('$name ($path)', async ({ name, path, ready }) => {
    const page = await web.newPage();
    await page.goto(`${web.url}${path}`);
    if (ready) await page.waitForSelector(ready);
    expect(await auditPage(page, name)).toEqual({});
    await page.close();
  });

  it('marks the skip link, landmarks and the current section', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    expect(await page.locator('header nav[aria-label="Main"] a[aria-current="page"]').count()).toBe(0);
    await page.goto(`${web.url}/`);
    expect(await page.locator('header nav[aria-label="Main"] a[aria-current="page"]').textContent()).toBe('Search');
    expect(await page.locator('main#main').count()).toBe(1);
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
