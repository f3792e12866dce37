import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, startHarness, type WebHarness } from './browser.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startHarness();
});

afterAll(async () => {
  await web?.close();
});

describe('commit and diff search in Chromium', () => {
  it('shows type:diff answers as commits with their added lines, and type:commit answers as commits', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/search?q=${encodeURIComponent('type:diff +parseWidget order:oldest')}`);
    const diffs = page.locator('.diff-hits > li');
    expect(await diffs.count()).toBeGreaterThan(0);
    const first = diffs.first();
    expect(await first.locator('.diff-hit-path').first().textContent()).toBe('src/parse.ts');
    expect(await first.locator('.line.add').first().textContent()).toContain('parseWidget');
    expect(await first.locator('.line.del').count()).toBe(0);
    expect(await auditPage(page, 'search-diff')).toEqual({});

    await page.goto(`${web.url}/search?q=${encodeURIComponent('type:commit big file')}`);
    const commits = page.locator('.commit-hits > li');
    expect(await commits.count()).toBe(1);
    expect(await commits.first().textContent()).toContain('add docs and big file');
    expect(await auditPage(page, 'search-commit')).toEqual({});
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
