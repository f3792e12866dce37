import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { createJobQueue, type JobQueue } from '../../src/core/jobs.js';
import { addRepo } from '../../src/core/repos.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { commitFiles, gitEnv, makeRepo } from '../helpers/git.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';
import { HOSTILE_README } from '../web/webFixture.js';

let fixture: Fixture;
let app: App;
let http: ReturnType<typeof createHttpApp>;

async function page(path: string, on = http) {
  const res = await on.request(path);
  return { status: res.status, html: await res.text() };
}

beforeAll(async () => {
  fixture = await makeFixture();
  app = await openTestApp(fixture.dataDir, fixture.root);
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  // A second repository whose upstream vanished after it was registered: its sync fails with an error.
  const gone = `${fixture.root}/upstream/gone`;
  makeRepo(gone, { 'a.txt': 'a\n' });
  await addRepo({ target: gone, name: 'gone' }, createContext(app));
  rmSync(gone, { recursive: true, force: true });
  await syncRepos({ names: ['gone'] }, createContext(app)).catch(() => undefined);
  // A third whose README, commit message and author name are markup (git itself drops < and > from names): all must reach the page as text.
  const hostile = `${fixture.root}/upstream/hostile`;
  makeRepo(hostile, { 'README.md': HOSTILE_README });
  commitFiles(hostile, { 'a.ts': 'export {};\n' }, '<img src=x onerror="window.__pwned=1"> subject', gitEnv(undefined, 'Eve & Co'));
  await addRepo({ target: hostile, name: 'hostile' }, createContext(app));
  await syncRepos({ names: ['hostile'] }, createContext(app));
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: false });
});

afterAll(async () => {
  await app?.store.close();
});

describe('repository overview /r/:repo', () => {
  it('renders the README, languages, size, sync and index state', async () => {
    const res = await page('/r/widgets');
    expect(res.status).toBe(200);
    expect(res.html).toContain('<h1>widgets</h1>');
    // The README through renderMarkdown: its heading rendered, its badge image a link, never an <img>.
    expect(res.html).toContain('<h1>Widgets</h1>');
    expect(res.html).toContain('Widgets is a tiny library that parses widget specs.');
    expect(res.html).not.toContain('<img');
    // Languages: a bar and a list with percentages.
    expect(res.html).toContain('class="lang-bar"');
    expect(res.html).toMatch(/<span class="lang-name">TypeScript<\/span> <span class="muted">\d+(\.\d)?%<\/span>/);
    expect(res.html).toMatch(/<span class="lang-name">Python<\/span>/);
    expect(res.html).toMatch(/<dt>Files<\/dt><dd>3<\/dd>/);
    expect(res.html).toContain('<span class="badge tone-ok">ok</span>'); // synced
    expect(res.html).toContain('<span class="badge tone-ok">up to date</span>'); // indexed at HEAD
    expect(res.html).toContain(`<code>${fixture.head.slice(0, 10)}</code>`);
  });

  it('lists top contributors, recent commits linking to their pages, and the root files', async () => {
    const { html } = await page('/r/widgets');
    expect(html).toContain('href="/r/widgets/commits?author=Bob%20Builder">Bob Builder</a>');
    expect(html).toContain('href="/r/widgets/commits?author=Test%20Author">Test Author</a>');
    expect(html).toContain(`href="/r/widgets/commit/${fixture.head}">add report tool</a>`);
    expect(html).toContain('href="/r/widgets/tree/src"');
    expect(html).toContain('href="/r/widgets/blob/README.md"');
    expect(html).toContain('href="/r/widgets/tree/">Browse files</a>');
  });

  it('draws commit activity as an SVG with a title, a summary and a table as its text alternative', async () => {
    const { html } = await page('/r/widgets');
    const svg = /<svg class="activity-chart"[^>]*>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="activity-title"');
    expect(svg).toContain('aria-describedby="activity-summary"');
    expect(html).toContain('<title id="activity-title">Commits per week</title>');
    // Two commits, in the weeks of 2024-01-01 and 2024-01-29; the year ends with the latest.
    expect(html).toMatch(
      /<figcaption id="activity-summary">2 commits in the 52 weeks from 2023-02-06 to 2024-01-29; the busiest week had 1\.<\/figcaption>/,
    );
    expect(html).toContain('<summary>Commits per week as a table</summary>');
    expect(html).toMatch(/<td>2024-01-01<\/td><td class="num">1<\/td>/);
    expect((html.match(/<rect class="bar"/g) ?? []).length).toBe(52);
  });

  it('shows a hostile README, commit subject and author name as text', async () => {
    const { status, html } = await page('/r/hostile');
    expect(status).toBe(200);
    expect(html).not.toMatch(/<(img|iframe|svg onload|script>window)/i);
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; subject</a>');
    expect(html).toContain('href="/r/hostile/commits?author=Eve%20%26%20Co">Eve &amp; Co</a>');
  });

  it('keeps the root tree at /r/:repo/tree/ and shows a repository never synced', async () => {
    const root = await page('/r/widgets/tree/');
    expect(root.status).toBe(200);
    expect(root.html).toContain('href="/r/widgets/tree/src"');
    const gone = await page('/r/gone');
    expect(gone.status).toBe(200);
    expect(gone.html).toContain('<span class="badge tone-warn">gone upstream</span>');
    expect(gone.html).toMatch(/<strong>Sync error:<\/strong> \S+\/upstream\/gone no longer exists/);
    expect(gone.html).toContain('Not synced yet');
    expect((await page('/r/nope')).status).toBe(404);
  });
});

describe('status page /status', () => {
  it('lists every repository with its sync and index state and errors', async () => {
    const { status, html } = await page('/status');
    expect(status).toBe(200);
    expect(html).toMatch(/<tr data-repo="gone">.*?tone-warn">gone upstream<.*?tone-idle">not indexed<.*?<\/tr>/s);
    expect(html).toMatch(/<tr data-repo="gone">.*?<ul class="state-error row-errors"><li>Sync: \S+ no longer exists<\/li>/s);
    expect(html).toMatch(/<tr data-repo="widgets">.*?tone-ok">ok<.*?tone-ok">up to date<.*?<\/tr>/s);
    expect(html).toContain('3 repositories · 1 with sync errors');
    expect(html).toMatch(/<script type="module" src="\/assets\/status-[\w-]+\.js"/);
    // No job queue in this process: no Sync buttons, and the page says why.
    expect(html).not.toContain('data-sync');
    expect(html).toContain('This process runs no background jobs');
  });

  it('shows Sync buttons with a job queue, and the job a sync ran', async () => {
    const jobs: JobQueue = createJobQueue(app, { background: false });
    const withJobs = createHttpApp({ app, version: 'test', scheduler: jobs, requireAuth: false });
    try {
      const before = await page('/status', withJobs);
      expect(before.html).toContain('<button type="button" class="sync-button" data-sync="" hidden="">Sync all repositories</button>');
      expect(before.html).toContain('data-sync="widgets" aria-label="Sync widgets" hidden=""');
      expect(before.html).toContain('Nothing is running.');
      const queued = await withJobs.request('/api/sync', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ repo: 'widgets' }),
      });
      expect(queued.status).toBe(202);
      await jobs.idle();
      const after = await page('/status', withJobs);
      expect(after.html).toMatch(/<tr data-job="\d+"><td>sync widgets <span class="muted">#\d+ · requested<\/span>/);
      expect(after.html).toContain('tone-ok">done</span>');
    } finally {
      await jobs.stop({ abort: true });
    }
  });
});
