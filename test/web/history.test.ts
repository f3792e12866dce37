import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { commitFiles, gitEnv } from '../helpers/git.js';
import { auditPage, startHarness, type WebHarness } from './browser.js';

let web: WebHarness;
/** A small commit with removed, added and context lines, whose message has a body and markup. */
let change: string;

beforeAll(async () => {
  web = await startHarness();
  change = commitFiles(
    web.fixture.originDir,
    {
      'src/parse.ts':
        'export function parseWidget(spec: string): string[] {\n  // <b>trim</b> each part\n  return spec.split(",").map((s) => s.trim());\n}\n',
    },
    'trim widget specs <em>now</em>\n\nSpaces around commas were kept.\nThey are trimmed now.',
    gitEnv('2024-06-01T08:00:00+02:00', 'Carol Coder', 'carol@example.com'),
  );
  await syncRepos({ names: ['widgets'] }, createContext(web.fixture.app));
});

afterAll(async () => {
  await web?.close();
});

/** The subjects of the timeline as shown. */
const subjects = (page: Awaited<ReturnType<WebHarness['newPage']>>) => page.locator('.commit-subject').allTextContents();

describe('history pages in Chromium', () => {
  it('filters the timeline and opens a commit’s diff', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets/commits`);
    expect(await subjects(page)).toEqual(['trim widget specs <em>now</em>', 'add docs and big file', 'add report tool', 'initial']);
    expect(await page.locator('.commit-row time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // Filter by author: the GET form narrows the list and keeps the value.
    await page.fill('input[name="author"]', 'bob');
    await Promise.all([page.waitForURL(/author=bob/), page.click('button:has-text("Filter")')]);
    expect(await subjects(page)).toEqual(['add report tool']);
    expect(await page.inputValue('input[name="author"]')).toBe('bob');

    // Open the commit: its diff shows the added lines, marked + and not by colour alone.
    await Promise.all([page.waitForURL(/\/r\/widgets\/commit\/[0-9a-f]{40}$/), page.click('.commit-subject')]);
    expect(await page.textContent('h1')).toBe('add report tool');
    expect(await page.textContent('.commit-facts')).toContain('Bob Builder');
    const added = page.locator('.diff-file .d-add').first();
    expect(await added.locator('.dc').textContent()).toBe('+def report(widgets):');
    expect(await added.locator('.dln').nth(1).textContent()).toBe('1');
    expect(await page.textContent('.diff-head')).toContain('tools/report.py');

    // The file header opens the file at that commit.
    await Promise.all([page.waitForURL(/\/blob\/tools\/report\.py\?ref=[0-9a-f]{40}$/), page.click('.diff-head a')]);
    await page.waitForSelector('html[data-ready="file"]');
    expect(await page.locator('#L1 .lc').textContent()).toBe('def report(widgets):');
    await page.close();
  });

  it('opens a file’s history from the file view and filters it by path', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets/blob/src/parse.ts`);
    await Promise.all([page.waitForURL(/\/commits\?path=src%2Fparse\.ts$/), page.click('a:has-text("History")')]);
    expect(await page.textContent('h1')).toBe('History of src/parse.ts');
    expect(await subjects(page)).toEqual(['trim widget specs <em>now</em>', 'initial']);
    expect(await page.getAttribute('a:has-text("Open the file")', 'href')).toBe('/r/widgets/blob/src/parse.ts');

    await page.fill('input[name="path"]', 'src/big.ts');
    await Promise.all([page.waitForURL(/path=src%2Fbig\.ts/), page.press('input[name="path"]', 'Enter')]);
    expect(await subjects(page)).toEqual(['add docs and big file']);
    await page.fill('input[name="path"]', '');
    await page.fill('input[name="grep"]', 'zzznomatch');
    await Promise.all([page.waitForURL(/grep=zzznomatch/), page.press('input[name="grep"]', 'Enter')]);
    expect(await page.textContent('.empty')).toContain('No commits match these filters.');
    await page.close();
  });

  it('timeline and commit page: no serious axe violation in light and dark, at 1280 and 360 px (screenshots)', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets/commits`);
    expect(await auditPage(page, 'commits')).toEqual({});
    await page.goto(`${web.url}/r/widgets/commits?path=src%2Fparse.ts`);
    expect(await auditPage(page, 'commits-history')).toEqual({});
    await page.goto(`${web.url}/r/widgets/commits?grep=zzznomatch`);
    expect(await auditPage(page, 'commits-empty')).toEqual({});
    await page.goto(`${web.url}/r/widgets/commit/${change}`);
    expect(await page.locator('.diff-file .d-del').count()).toBe(1);
    expect(await page.locator('.diff-file .d-add').count()).toBe(2);
    expect(await page.textContent('.commit-body')).toBe('Spaces around commas were kept.\nThey are trimmed now.');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await auditPage(page, 'commit')).toEqual({});
    await page.goto(`${web.url}/r/widgets/commit/deadbeef`);
    expect(await page.textContent('h1')).toBe('Not found');
    expect(await page.textContent('main')).toContain('No commit deadbeef in the history of widgets');
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
