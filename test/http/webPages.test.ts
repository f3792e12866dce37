import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

let fixture: Fixture;
let app: App;
let http: ReturnType<typeof createHttpApp>;

async function page(path: string) {
  const res = await http.request(path);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    csp: res.headers.get('content-security-policy'),
    html: await res.text(),
  };
}

beforeAll(async () => {
  fixture = await makeFixture();
  app = await openTestApp(fixture.dataDir, fixture.root);
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: false });
});

afterAll(async () => {
  await app?.store.close();
});

describe('web pages over HTTP', () => {
  it('serves the search page at / with its form, a CSP and the built assets', async () => {
    const res = await page('/');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/html');
    expect(res.html.startsWith('<!doctype html>')).toBe(true);
    expect(res.csp).toContain("script-src 'self'");
    expect(res.html).toContain('<search>');
    expect(res.html).toContain('<option value="widgets">widgets</option>');
    const script = /<script type="module" src="(\/assets\/search-[\w-]+\.js)"/.exec(res.html)?.[1];
    expect(script).toBeDefined();
    const asset = await http.request(script as string);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const zipped = await http.request(script as string, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect((await zipped.arrayBuffer()).byteLength).toBeLessThan((await asset.arrayBuffer()).byteLength);
  });

  it('server-renders results for the URL: grouped by file, terms marked, linked to the lines', async () => {
    const res = await page('/search?q=parseWidget&mode=lexical');
    expect(res.status).toBe(200);
    expect(res.html).toMatch(/href="\/r\/widgets\/blob\/src\/parse\.ts#L1-L3"/);
    expect(res.html).toContain('<mark>parseWidget</mark>');
    expect(res.html).toMatch(/\d+ results? in \d+ files? · \d+ ms/);
    const none = await page('/search?q=zzzqqqxxx&mode=lexical');
    expect(none.html).toContain('No results for “zzzqqqxxx”');
    const bad = await page('/search?q=(&mode=regex');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('role="alert"');
  });

  it('takes the query syntax in q: filters narrow, commits list, and a mistake shows its column under a caret', async () => {
    const narrowed = await page(`/search?q=${encodeURIComponent('repo:widgets lang:ts parseWidget')}`);
    expect(narrowed.status).toBe(200);
    expect(narrowed.html).toMatch(/href="\/r\/widgets\/blob\/src\/parse\.ts#L1-L3"/);
    expect(narrowed.html).toContain('<mark>parseWidget</mark>');
    expect(narrowed.html).not.toContain('<mark>ts</mark>');
    const commits = await page(`/search?q=${encodeURIComponent('type:commit author:bob')}`);
    expect(commits.status).toBe(200);
    expect(commits.html).toMatch(/<ol class="commit-hits"><li><a href="\/r\/widgets\/commit\/[0-9a-f]{40}">/);
    expect(commits.html).toContain('Bob Builder');
    expect(commits.html).toMatch(/1 commit · \d+ ms/);
    const typo = await page(`/search?q=${encodeURIComponent('repo:widgets lnag:go parse')}`);
    expect(typo.status).toBe(400);
    expect(typo.html).toContain('Unknown filter &quot;lnag:&quot; at column 14; did you mean lang:?');
    const caret = /<pre class="hint caret">([^<]*)<\/pre>/.exec(typo.html)?.[1] ?? '';
    const [shown, under] = caret.split('\n');
    expect(shown).toBe('  repo:widgets lnag:go parse');
    expect(under?.indexOf('^')).toBe(2 + 13);
  });

  it('shows a file with numbered lines, its symbols and its history link', async () => {
    const res = await page('/r/widgets/blob/src/parse.ts');
    expect(res.status).toBe(200);
    expect(res.html).toContain('id="L1"');
    expect(res.html).toContain('href="#L1-L3"');
    expect(res.html).toContain('parseWidget');
    expect(res.html).toContain('href="/r/widgets/commits?path=src%2Fparse.ts"');
    expect(res.html).toContain('spec.split(&quot;,&quot;)');
    expect(res.html).toContain('href="/r/widgets/blob/src/parse.ts?blame=1"');
    expect(res.html).not.toContain('class="bl"');
  });

  it('shows blame beside the lines on request: the commit at the first line of each group, linked to the commit page', async () => {
    const res = await page('/r/widgets/blob/tools/report.py?blame=1');
    expect(res.status).toBe(200);
    const commit = `/r/widgets/commit/${fixture.head}`;
    // Both lines come from the one commit: one link, then a blank cell.
    expect(res.html.match(/<a class="bl" /g)).toHaveLength(1);
    expect(res.html).toContain(
      `<a class="bl" href="${commit}" title="add report tool — Bob Builder, 2024-02-01"><code>${fixture.head.slice(0, 7)}</code> Bob Builder · `,
    );
    expect(res.html).toMatch(/<div class="line" id="L2"><span class="bl"><\/span><a class="ln"/);
    expect(res.html).toContain('href="/r/widgets/blob/tools/report.py">Hide blame');
  });

  it('shows under a search hit who last changed its lines, linking the commit', async () => {
    // The first search may not wait for git blame (its budget); the hit's blame fills the cache meanwhile.
    await page('/search?q=report&mode=lexical');
    for (let i = 0; i < 100 && (await app.store.blame.count()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const res = await page('/search?q=report&mode=lexical');
    expect(res.html).toMatch(
      new RegExp(
        `<p class="last-change">Bob Builder · <time datetime="2024-02-01T10:00:00\\+01:00">\\d+ \\w+ ago</time> · <a href="/r/widgets/commit/${fixture.head}" title="${fixture.head}">add report tool</a></p>`,
      ),
    );
  });

  it('lists a folder and renders its README', async () => {
    const root = await page('/r/widgets');
    expect(root.status).toBe(200);
    expect(root.html).toContain('href="/r/widgets/tree/src"');
    expect(root.html).toContain('<h1>Widgets</h1>');
    expect(root.html).not.toContain('<img');
    const src = await page('/r/widgets/tree/src');
    expect(src.html).toContain('href="/r/widgets/blob/src/parse.ts"');
  });

  it('refuses path traversal and .git like the API, as HTML pages', async () => {
    for (const path of [
      '/r/widgets/blob/..%2F..%2Fetc%2Fpasswd',
      '/r/widgets/blob/.git/config',
      '/r/widgets/tree/src%2F..%2F..',
      '/r/widgets/blob/%2Fetc%2Fpasswd',
    ]) {
      const res = await page(path);
      expect(res.status, path).toBe(400);
      expect(res.type, path).toContain('text/html');
      expect(res.html, path).toContain('Invalid path');
    }
    expect((await page('/r/nope/blob/a.ts')).status).toBe(404);
    expect((await page('/r/widgets/blob/missing.ts')).status).toBe(404);
  });

  it('answers an HTML 404 for unknown pages and keeps the JSON 404 for the API', async () => {
    const html = await page('/no/such/page');
    expect(html.status).toBe(404);
    expect(html.type).toContain('text/html');
    const api = await http.request('/api/no-such-route');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('keeps pages closed while tokens guard the API (no browser login yet)', async () => {
    const guarded = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: true });
    const res = await guarded.request('/search?q=parseWidget');
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('parseWidget(spec');
  });
});
