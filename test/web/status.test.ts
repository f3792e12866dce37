import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, startHarness, type WebHarness } from './browser.js';

let web: WebHarness;

beforeAll(async () => {
  // With a real job queue: the status page can start a sync.
  web = await startHarness({ jobs: true });
});

afterAll(async () => {
  await web?.close();
});

const syncedAt = (page: Awaited<ReturnType<WebHarness['newPage']>>) =>
  page.getAttribute('tr[data-repo="widgets"] td[data-col="synced"] time', 'datetime');

describe('repository overview and status in Chromium', () => {
  it('shows the overview: README, languages, activity chart, commits; accessible in both themes and at 360 px', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets`);
    expect(await page.textContent('h1')).toBe('widgets');
    expect(await page.locator('.readme .markdown h1').textContent()).toBe('Widgets');
    expect(await page.locator('.lang-list li').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('svg.activity-chart', 'role')).toBe('img');
    expect(await page.locator('svg.activity-chart rect.bar').count()).toBe(52);
    expect(await page.locator('.commit-list a').first().getAttribute('href')).toMatch(/^\/r\/widgets\/commit\/[0-9a-f]{40}$/);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await auditPage(page, 'overview')).toEqual({});
    await Promise.all([page.waitForURL(/\/r\/widgets\/tree\/$/), page.click('.file-meta a:text("Browse files")')]);
    expect(await page.locator('table.tree a[href="/r/widgets/tree/src"]').count()).toBe(1);
    await page.close();
  });

  it('reflects a sync started from it: the job appears, then the last-synced time moves', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/status`);
    await page.waitForSelector('html[data-ready="status"]');
    expect(await page.locator('#jobs-idle').textContent()).toBe('Nothing is running.');
    const before = await syncedAt(page);
    expect(before).toBeTruthy();

    const posted = page.waitForResponse((r) => r.url().endsWith('/api/sync') && r.request().method() === 'POST');
    await page.click('button[data-sync="widgets"]');
    expect((await posted).status()).toBe(202);
    // The job shows as queued or running …
    await page.waitForSelector('#jobs-active li.job:is([data-state="queued"], [data-state="running"])');
    expect(await page.textContent('#status-message')).toMatch(/sync widgets: job #\d+ (queued|running)/);
    // … and the polled table catches up once it has run: a new sync time, the job among the recent ones, polling over.
    await page.waitForSelector(`tr[data-repo="widgets"] td[data-col="synced"] time:not([datetime="${before}"])`);
    await page.waitForSelector('html[data-polling="false"]');
    expect(Date.parse((await syncedAt(page)) as string)).toBeGreaterThan(Date.parse(before as string));
    expect(await page.locator('#jobs-idle').count()).toBe(1);
    expect(await page.locator('tr[data-job] .badge').first().textContent()).toBe('done');
    expect(await page.textContent('#status-message')).toBe('All jobs finished.');
    expect(await auditPage(page, 'status')).toEqual({});
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
