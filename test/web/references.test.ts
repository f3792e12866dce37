import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { commitFiles } from '../helpers/git.js';
import { auditPage, startHarness, type WebHarness } from './browser.js';

let web: WebHarness;

beforeAll(async () => {
  web = await startHarness();
  commitFiles(
    web.fixture.originDir,
    {
      'src/use.ts':
        'import { parseWidget } from "./parse";\n\n// parseWidget in a comment is not a use\nexport function useWidget() {\n  return parseWidget("a,b");\n}\n',
    },
    'use parseWidget',
  );
  await syncRepos({ names: ['widgets'] }, createContext(web.fixture.app));
  await indexRepos({ skipEmbeddings: true }, createContext(web.fixture.app));
});

afterAll(async () => {
  await web?.close();
});

describe('references page in Chromium', () => {
  it('opens from a symbol of the file view, lists the uses with their function, and links back to the line', async () => {
    const page = await web.newPage();
    await page.goto(`${web.url}/r/widgets/blob/src/parse.ts`);
    await page.waitForSelector('html[data-ready="file"]');
    await Promise.all([
      page.waitForURL(/\/r\/widgets\/refs\?symbol=parseWidget$/),
      page.getByRole('link', { name: 'refs to parseWidget' }).click(),
    ]);
    expect(await page.textContent('h1')).toBe('References to parseWidget');
    expect(await page.textContent('.refs-summary')).toBe('2 references in 1 file');
    expect(await page.locator('.refs-defs li').allTextContents()).toEqual(['widgets/src/parse.ts:1 function parseWidget']);
    const lines = page.locator('.refs-file li');
    expect(await lines.locator('.refs-ln').allTextContents()).toEqual(['1', '5']);
    expect(await lines.nth(1).locator('.refs-in').textContent()).toBe('in function useWidget');
    expect(await lines.nth(1).locator('mark').textContent()).toBe('parseWidget');
    expect(await auditPage(page, 'references')).toEqual({});

    // A line number opens the file at that line, selected.
    await Promise.all([page.waitForURL(/\/blob\/src\/use\.ts#L5$/), lines.nth(1).locator('.refs-ln').click()]);
    await page.waitForSelector('html[data-ready="file"]');
    expect(await page.locator('#L5 .lc').textContent()).toBe('  return parseWidget("a,b");');
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
