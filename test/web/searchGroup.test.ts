import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, startHarness, type WebHarness } from './browser.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startHarness();
});

afterAll(async () => {
  await web?.close();
});

type Page = Awaited<ReturnType<WebHarness['newPage']>>;

/** Each file row's `repo/path`, in order. */
const fileRows = (page: Page) => page.$$eval('.file-row .group-head a', (links) => links.map((a) => a.textContent ?? ''));
/** Each hit's file and lines, as `path#Lx-Ly` from its link. */
const hitTargets = (page: Page) =>
  page.$$eval('#result-list a.hit', (links) => links.map((a) => (a.getAttribute('href') ?? '').replace('/r/widgets/blob/', '')));
/** The rows of the file view carrying the selection, as line numbers. */
const selectedLines = (page: Page) => page.$$eval('#code .line.sel', (rows) => rows.map((r) => Number(r.id.slice(1))));

/** An issue: prose whose words are all over src/big.ts, and a stack trace whose top frame is in src/parse.ts. */
const PROSE = 'Crash when a value is a number\n\nWhen I add a number value the text length is wrong and it returns 0.\n';
const TRACE =
  "TypeError: Cannot read properties of undefined (reading 'split')\n    at parseWidget (src/parse.ts:2:15)\n    at main (app/main.ts:10:3)\n";

describe('search grouped by file', () => {
  it('toggles between a row per chunk and a row per file, keeping group=file in the URL across a mode change', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/search?q=value+widget`);
    const chunks = await hitTargets(page);
    // Ungrouped: src/big.ts fills the page with its chunks.
    expect(chunks.filter((t) => t.startsWith('src/big.ts#')).length).toBeGreaterThan(3);
    expect(await page.locator('.file-row').count()).toBe(0);

    await page.getByLabel('Group by file').first().check();
    await page.waitForSelector('.file-row');
    expect(page.url()).toContain('group=file');
    const files = await fileRows(page);
    expect(new Set(files).size).toBe(files.length);
    expect(files).toEqual(expect.arrayContaining(['widgets/src/parse.ts', 'widgets/src/big.ts', 'widgets/tools/report.py']));
    expect(files[0]).toBe('widgets/src/parse.ts');
    expect(await page.textContent('#summary')).toMatch(new RegExp(`^${files.length} files, best first · \\d+ ms$`));
    // Each row: its best score, one chunk open, the rest folded under "N more in this file".
    const big = page.locator('.file-row', { hasText: 'src/big.ts' });
    expect(await big.locator('.file-score').textContent()).toMatch(/^ · score 0\.\d+$/);
    expect(await big.locator('> .hits a.hit').count()).toBe(1);
    expect(await big.locator('details.more-chunks summary').textContent()).toBe('2 more in this file');
    expect(await big.locator('details.more-chunks a.hit').first().isVisible()).toBe(false);
    expect(await big.locator('a.hit mark').first().textContent()).toMatch(/^value$/i);

    await page.selectOption('select[name="mode"]', 'lexical');
    await page.waitForURL(/mode=lexical/);
    expect(page.url()).toContain('group=file');
    await page.waitForSelector('.file-row');

    await page.getByLabel('Group by file').first().uncheck();
    await page.waitForSelector('.file-row', { state: 'detached' });
    expect(page.url()).not.toContain('group=file');
    expect((await hitTargets(page)).filter((t) => t.startsWith('src/big.ts#')).length).toBeGreaterThan(3);

    // Served with group=file in the URL, the checkbox is ticked and the rows are files.
    await page.goto(`${web.url}/search?q=value+widget&group=file`);
    expect(await page.getByLabel('Group by file').first().isChecked()).toBe(true);
    expect(await fileRows(page)).toEqual(files);
    await page.close();
  });

  it('shows more files or results on a larger page, keeping the grouping, until a new query starts over', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/search?q=value+widget&group=file&limit=1`);
    expect(await fileRows(page)).toEqual(['widgets/src/parse.ts']);
    const more = page.getByRole('link', { name: 'Show more files' });
    expect(await more.getAttribute('href')).toBe('/search?q=value+widget&group=file&limit=11');
    await Promise.all([page.waitForURL(/limit=11/), more.click()]);
    expect((await fileRows(page)).length).toBe(4);
    // Every file shown: no link to more.
    expect(await page.getByRole('link', { name: /Show more/ }).count()).toBe(0);

    await page.goto(`${web.url}/search?q=value&mode=lexical`);
    expect(await page.locator('a.hit').count()).toBe(10);
    await Promise.all([page.waitForURL(/limit=20/), page.getByRole('link', { name: 'Show more results' }).click()]);
    expect(await page.locator('a.hit').count()).toBe(20);
    // The island keeps the page size across a change of grouping, and drops it for another query.
    await page.getByLabel('Group by file').check();
    await page.waitForSelector('.file-row');
    expect(page.url()).toContain('limit=20');
    await page.fill('#q', 'add value');
    await page.waitForSelector('html[data-searched="add value"]');
    expect(page.url()).not.toContain('limit=');
    await page.close();
  });

  it('opens a folded chunk at its lines in the file view', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/search?q=value+widget&group=file`);
    const big = page.locator('.file-row', { hasText: 'src/big.ts' });
    await big.locator('details.more-chunks summary').click();
    const link = big.locator('details.more-chunks a.hit').first();
    const href = (await link.getAttribute('href')) ?? '';
    const [, from, to] = /^\/r\/widgets\/blob\/src\/big\.ts#L(\d+)-L(\d+)$/.exec(href) ?? [];
    expect(from && to).toBeTruthy();
    expect(await link.locator('.hit-meta').textContent()).toContain(`lines ${from}–${to}`);
    // The snippet shows the chunk's own lines.
    expect(await link.locator('.ln').first().textContent()).toBe(from);
    await Promise.all([page.waitForURL(/\/blob\/src\/big\.ts#L/), link.click()]);
    await page.waitForSelector('html[data-ready="file"]');
    const lines = await selectedLines(page);
    expect(lines[0]).toBe(Number(from));
    expect(lines.at(-1)).toBe(Number(to));
    await page.close();
  });

  it('pastes an issue: the file its stack trace names comes first, grouped by file', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/`);
    // A text of several lines pasted into the one-line box goes to the paste form, which opens.
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', ${JSON.stringify(TRACE)});
      document.getElementById('q').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    expect(await page.locator('details.paste').getAttribute('open')).not.toBeNull();
    const box = page.getByLabel(/The whole text/);
    expect(await box.inputValue()).toBe(TRACE);
    expect(await page.locator('#q').inputValue()).toBe('');
    expect(await page.locator('#paste-form input[name="group"]').isChecked()).toBe(true);

    // The prose alone points at src/big.ts.
    await box.fill(PROSE);
    await Promise.all([page.waitForURL(`${web.url}/search`), page.getByRole('button', { name: 'Find the code' }).click()]);
    expect((await fileRows(page))[0]).toBe('widgets/src/big.ts');

    await page.getByLabel(/The whole text/).fill(`${PROSE}\n${TRACE}`);
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Find the code' }).click()]);
    await page.waitForSelector('.file-row');
    expect((await fileRows(page))[0]).toBe('widgets/src/parse.ts');
    // The text stays in its box, open, for another try.
    expect(await page.locator('details.paste').getAttribute('open')).not.toBeNull();
    expect(await page.getByLabel(/The whole text/).inputValue()).toContain('at parseWidget (src/parse.ts:2:15)');
    // The answer page with the form open: accessible in both schemes, no sideways scroll at 360 px.
    expect(await auditPage(page, 'search-pasted')).toEqual({});

    // The filters set in the search form now go with the pasted text.
    await page.fill('input[name="lang"]', 'python');
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Find the code' }).click()]);
    await page.waitForSelector('.file-row');
    expect(await fileRows(page)).toEqual(['widgets/tools/report.py']);
    await page.close();
  });

  it('refuses a pasted text over 1 MB with the one-line limit message and its hint', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/`);
    await page.getByText('Paste an issue or a stack trace').click();
    const text = `${'a line of a very long log '.repeat(40)}\n`.repeat(1100);
    // Set rather than typed: filling a megabyte keystroke by keystroke takes minutes.
    await page.locator('#paste-text').evaluate((el, value) => {
      (el as unknown as { value: string }).value = value;
    }, text);
    const [response] = await Promise.all([
      page.waitForResponse(`${web.url}/search`),
      page.getByRole('button', { name: 'Find the code' }).click(),
    ]);
    expect(response.status()).toBe(400);
    const alert = page.getByRole('alert');
    // The browser sends the textarea's lines with CRLF: one byte more per line.
    expect(await alert.locator('p').first().textContent()).toMatch(/^The search text is \d+ bytes; the limit is 1048576 \(1 MB\)\.$/);
    expect(await alert.textContent()).toContain('Search with the part that matters');
    await page.close();
  });

  it('works without scripts: the checkbox and the Search button group and ungroup', async () => {
    const context = await web.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${web.url}/search?q=value+widget&mode=lexical`);
    expect(await page.locator('.file-row').count()).toBe(0);
    await page.getByLabel('Group by file').first().check();
    await Promise.all([page.waitForURL(/group=file/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    expect(page.url()).toContain('mode=lexical');
    expect((await fileRows(page)).length).toBeGreaterThan(1);
    // The folded chunks open without scripts (<details>).
    const big = page.locator('.file-row', { hasText: 'src/big.ts' });
    await big.locator('details.more-chunks summary').click();
    expect(await big.locator('details.more-chunks a.hit').first().isVisible()).toBe(true);
    await page.getByLabel('Group by file').first().uncheck();
    await Promise.all([
      page.waitForURL((url) => !url.search.includes('group=')),
      page.getByRole('button', { name: 'Search', exact: true }).click(),
    ]);
    expect(await page.locator('.file-row').count()).toBe(0);

    // The paste form posts without scripts too.
    await page.getByText('Paste an issue or a stack trace').click();
    await page.getByLabel(/The whole text/).fill(`${PROSE}\n${TRACE}`);
    await Promise.all([page.waitForURL(`${web.url}/search`), page.getByRole('button', { name: 'Find the code' }).click()]);
    expect((await fileRows(page))[0]).toBe('widgets/src/parse.ts');
    await context.close();
  });
});
