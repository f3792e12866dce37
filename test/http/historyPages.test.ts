import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { commitDiffSchema } from '../../src/server/routes/commits.js';
import { commitFiles, git, gitEnv } from '../helpers/git.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

/** A commit message and a file whose text is markup: both must reach the page as text. */
const HOSTILE_SUBJECT = '<script>window.__pwned = "subject"</script> fix <b>bold</b>';
const HOSTILE_BODY = 'First line of the body.\n<img src=x onerror="window.__pwned=1">\n\nLast line & more.';
const HOSTILE_FILE = '<script>alert("diff")</script>\n<a href="javascript:alert(1)">x</a>\n';

let fixture: Fixture;
let app: App;
let http: ReturnType<typeof createHttpApp>;
const hashes: Record<string, string> = {};

async function page(path: string) {
  const res = await http.request(path);
  return { status: res.status, type: res.headers.get('content-type') ?? '', html: await res.text() };
}

beforeAll(async () => {
  fixture = await makeFixture();
  const dir = fixture.originDir;
  hashes.initial = git(dir, ['rev-list', '--max-parents=0', 'HEAD']);
  hashes.report = fixture.head;
  hashes.hostile = commitFiles(
    dir,
    { 'web/hostile.html': HOSTILE_FILE },
    `${HOSTILE_SUBJECT}\n\n${HOSTILE_BODY}`,
    gitEnv('2024-03-01T09:30:00+02:00', 'Eve Example', 'eve@example.com'),
  );
  git(dir, ['mv', 'src/parse.ts', 'src/parser.ts']);
  hashes.rename = commitFiles(
    dir,
    { 'src/parser.ts': 'export function parseWidget(spec: string): string[] {\n  return spec.split(",").map((s) => s.trim());\n}\n' },
    'rename parse.ts to parser.ts and trim',
    gitEnv('2024-04-01T12:00:00+00:00'),
  );
  writeFileSync(join(dir, 'logo.bin'), Buffer.from([0, 1, 2, 0, 255, 254]));
  hashes.big = commitFiles(
    dir,
    { 'gen/big.txt': `${Array.from({ length: 1500 }, (_, i) => `generated line ${i + 1}`).join('\n')}\n` },
    'add generated file and logo',
    gitEnv('2024-05-01T12:00:00+00:00'),
  );
  app = await openTestApp(fixture.dataDir, fixture.root);
  await syncRepos({ names: ['widgets'] }, createContext(app));
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: false });
});

afterAll(async () => {
  await app?.store.close();
});

/** The commit links of a timeline page, in order. */
const listed = (html: string) => [...html.matchAll(/class="commit-hash" href="\/r\/widgets\/commit\/([0-9a-f]{40})"/g)].map((m) => m[1]);

describe('timeline page /r/:repo/commits', () => {
  it('lists the default branch newest first: subject, short hash link, author, <time>, files changed', async () => {
    const res = await page('/r/widgets/commits');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/html');
    expect(listed(res.html)).toEqual([hashes.big, hashes.rename, hashes.hostile, hashes.report, hashes.initial]);
    expect(res.html).toContain(`<code>${hashes.big?.slice(0, 7)}</code>`);
    expect(res.html).toContain('Bob Builder');
    expect(res.html).toMatch(
      /<time datetime="2024-02-01T10:00:00\+01:00" title="2024-02-01 10:00 \+01:00">\d+ (months?|years?) ago<\/time>/,
    );
    expect(res.html).toContain('2 files'); // the generated file and the logo
    expect(res.html).toContain('5 commits');
    // The hostile subject is text.
    expect(res.html).not.toContain('<script>window.__pwned');
    expect(res.html).toContain('&lt;script&gt;window.__pwned');
  });

  it('filters by author and keeps the form values; filters by message words', async () => {
    const res = await page('/r/widgets/commits?author=bob');
    expect(listed(res.html)).toEqual([hashes.report]);
    expect(res.html).toContain('name="author" value="bob"');
    expect(res.html).toContain('Clear filters');
    expect(listed((await page('/r/widgets/commits?grep=generated+logo')).html)).toEqual([hashes.big]);
    expect(listed((await page('/r/widgets/commits?since=2024-03&until=2024-04-15')).html)).toEqual([hashes.rename, hashes.hostile]);
  });

  it('shows a file’s history across its rename, with a link to the file view', async () => {
    const res = await page('/r/widgets/commits?path=src/parser.ts');
    expect(res.status).toBe(200);
    expect(res.html).toContain('History of <code class="history-path">src/parser.ts</code>');
    expect(res.html).toContain('href="/r/widgets/blob/src/parser.ts"');
    expect(res.html).toContain('Follows the file across renames.');
    expect(listed(res.html)).toEqual([hashes.rename, hashes.initial]);
    // The file view's own link (path=src%2F...) works too, and a folder links to its tree.
    const folder = await page('/r/widgets/commits?path=tools');
    expect(folder.html).toContain('href="/r/widgets/tree/tools"');
    expect(listed(folder.html)).toEqual([hashes.report]);
    const gone = await page('/r/widgets/commits?path=src%2Fparse.ts');
    expect(gone.html).toContain('Not in the current tree');
    expect(listed(gone.html)).toEqual([hashes.rename, hashes.initial]);
  });

  it('pages with Older and Newer links that keep the filters', async () => {
    const first = await page('/r/widgets/commits?limit=2');
    expect(listed(first.html)).toEqual([hashes.big, hashes.rename]);
    expect(first.html).toContain('href="/r/widgets/commits?offset=2&amp;limit=2" rel="next"');
    expect(first.html).not.toContain('rel="prev"');
    const second = await page('/r/widgets/commits?offset=2&limit=2');
    expect(listed(second.html)).toEqual([hashes.hostile, hashes.report]);
    expect(second.html).toContain('href="/r/widgets/commits?limit=2" rel="prev"');
    expect(second.html).toContain('showing 3–4');
    const filtered = await page('/r/widgets/commits?path=src&limit=1');
    expect(filtered.html).toContain('href="/r/widgets/commits?path=src&amp;offset=1&amp;limit=1" rel="next"');
  });

  it('says what to try when nothing matches, shows bad filters above the kept form, and 404s an unknown repo', async () => {
    const none = await page('/r/widgets/commits?grep=zzznomatchzzz');
    expect(none.status).toBe(200);
    expect(none.html).toContain('No commits match these filters.');
    expect(none.html).toContain('fewer words');
    const bad = await page('/r/widgets/commits?since=2024-02-30');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('role="alert"');
    expect(bad.html).toContain('is not a valid date');
    expect(bad.html).toContain('name="since" value="2024-02-30"');
    expect((await page('/r/widgets/commits?path=..%2Fetc')).status).toBe(400);
    const unknown = await page('/r/nope/commits');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('text/html');
  });
});

describe('commit page /r/:repo/commit/:hash', () => {
  it('shows a hostile message and file as text, line breaks kept, with author, parents and the diff', async () => {
    const res = await page(`/r/widgets/commit/${hashes.hostile}`);
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('<script>window.__pwned');
    expect(res.html).not.toContain('<img src=x');
    expect(res.html).not.toContain('<script>alert');
    expect(res.html).not.toContain('<a href="javascript:');
    expect(res.html).toContain(
      '<h1 id="commit-subject" class="commit-title">&lt;script&gt;window.__pwned = &quot;subject&quot;&lt;/script&gt; fix &lt;b&gt;bold&lt;/b&gt;</h1>',
    );
    expect(res.html).toContain(
      '<pre class="commit-body">First line of the body.\n&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;\n\nLast line &amp; more.</pre>',
    );
    expect(res.html).toContain('Eve Example');
    expect(res.html).toContain('datetime="2024-03-01T09:30:00+02:00"');
    expect(res.html).toContain(`href="/r/widgets/commit/${hashes.report}"`);
    expect(res.html).toContain('1 file changed');
    expect(res.html).toContain(`href="/r/widgets/blob/web/hostile.html?ref=${hashes.hostile}"`);
    expect(res.html).toContain(
      '<div class="dl d-add"><span class="dln"></span><span class="dln">1</span><span class="dc"><span class="dm">+</span>&lt;script&gt;alert(&quot;diff&quot;)&lt;/script&gt;</span></div>',
    );
    expect(res.html).toContain('@@ -0,0 +1,2 @@');
    expect(res.html).toContain(`href="/api/commits/widgets/${hashes.hostile}/patch"`);
    const patch = await http.request(`/api/commits/widgets/${hashes.hostile?.slice(0, 10)}/patch`);
    expect(patch.status).toBe(200);
    expect(patch.headers.get('content-type')).toContain('text/plain');
    expect(await patch.text()).toBe(
      `${git(fixture.originDir, ['show', '--patch', '--format=', '--no-color', hashes.hostile as string])}\n`,
    );
    expect((await http.request('/api/commits/widgets/deadbeefdeadbeef/patch')).status).toBe(404);
  });

  it('shows renames with old and new line numbers, binary files, and cuts a long file’s diff saying so', async () => {
    const rename = await page(`/r/widgets/commit/${hashes.rename}`);
    expect(rename.html).toContain('src/parse.ts → src/parser.ts');
    expect(rename.html).toContain('>renamed<');
    expect(rename.html).toContain(
      '<div class="dl d-del"><span class="dln">2</span><span class="dln"></span><span class="dc"><span class="dm">-</span>  return spec.split(&quot;,&quot;);</span></div>',
    );
    expect(rename.html).toContain('<div class="dl d-context"><span class="dln">3</span><span class="dln">3</span>');
    const big = await page(`/r/widgets/commit/${hashes.big}`);
    expect(big.html).toContain('Binary file: its contents are not shown.');
    expect(big.html).toContain('Showing the first 1,000 of 1,500 lines of this file’s diff.');
    expect(big.html).toContain('generated line 1000<');
    expect(big.html).not.toContain('generated line 1001<');
    expect(big.html).toMatch(/<span class="counts muted">binary<\/span>/);
  });

  it('opens a deleted or renamed file at the right commit (file view ?ref=) and the root commit without parents', async () => {
    const old = await page(`/r/widgets/blob/src/parse.ts?ref=${hashes.initial}`);
    expect(old.status).toBe(200);
    expect(old.html).toContain('spec.split(&quot;,&quot;)');
    expect(old.html).toContain(`<code>${hashes.initial?.slice(0, 10)}</code>`);
    expect((await page('/r/widgets/blob/src/parse.ts')).status).toBe(404);
    const root = await page(`/r/widgets/commit/${hashes.initial?.slice(0, 8)}`);
    expect(root.status).toBe(200);
    expect(root.html).toContain('none (the first commit)');
    expect(root.html).toContain('>added<');
  });

  it('answers the HTML 404 with the message and hint for an unknown hash, 400 for a malformed one', async () => {
    const res = await page('/r/widgets/commit/deadbeefdeadbeef');
    expect(res.status).toBe(404);
    expect(res.type).toContain('text/html');
    expect(res.html).toContain('No commit deadbeefdeadbeef in the history of widgets');
    expect(res.html).toContain('gitlore log --repo widgets');
    expect((await page('/r/widgets/commit/not-a-hash')).status).toBe(400);
    expect((await page(`/r/nope/commit/${hashes.initial}`)).status).toBe(404);
  });
});

describe('GET /api/commits/:repo/:hash/diff and offset on /api/commits', () => {
  it('answers the parsed diff matching its documented schema, with limits and errors as JSON', async () => {
    const res = await http.request(`/api/commits/widgets/${hashes.big}/diff?linesPerFile=10`);
    expect(res.status).toBe(200);
    const body = commitDiffSchema.parse(await res.json());
    expect(body.parent).toBe(hashes.rename);
    expect(body.limits.linesPerFile).toBe(10);
    const big = body.files.find((f) => f.path === 'gen/big.txt');
    expect(big).toMatchObject({ status: 'A', shownLines: 10, totalLines: 1500, truncated: true });
    expect(body.files.find((f) => f.path === 'logo.bin')).toMatchObject({ binary: true, hunks: [] });
    expect((await http.request(`/api/commits/widgets/${hashes.big}/diff?linesPerFile=0`)).status).toBe(400);
    const missing = await http.request('/api/commits/widgets/deadbeef/diff');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('COMMIT_NOT_FOUND');
    const spec = (await (await http.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(spec.paths).toHaveProperty(['/api/commits/{repo}/{hash}/diff']);
  });

  it('pages /api/commits with offset', async () => {
    const res = (await (await http.request('/api/commits?repo=widgets&limit=2&offset=3')).json()) as {
      total: number;
      commits: { hash: string }[];
    };
    expect(res.total).toBe(5);
    expect(res.commits.map((c) => c.hash)).toEqual([hashes.report, hashes.initial]);
    expect((await http.request('/api/commits?repo=widgets&offset=-1')).status).toBe(400);
  });
});
