/**
 * The search page grouped by file and the "Paste an issue" form, in Chromium, against an index of the dev repositories:
 *   - `/search?q=Q` and `/search?q=Q&group=file` served and loaded, over typed-style queries: time and distinct files;
 *   - ticking "Group by file" on a results page: click → file rows painted (the island, /api/search);
 *   - the paste form with each localization issue's text: submit → results page loaded.
 *
 *   npx tsx bench/web/groupBench.ts [--repos DIR] [--only a,b,c] [--queries N]
 *
 * DIR holds git repositories (default .eval/repos, made by bench/eval/prepare.ts); those named by --only are
 * registered as local sources in a temporary data dir, synced and indexed without embeddings. Prints lines of numbers;
 * never run by the tests.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { addRepo } from '../../src/core/repos.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { startServer } from '../../src/server/serve.js';
import { silentLogger } from '../../src/shared/logger.js';

const { values: args } = parseArgs({
  options: {
    repos: { type: 'string', default: '.eval/repos' },
    only: { type: 'string', default: 'chi,click,cobra,httpx,koa,ky' },
    queries: { type: 'string', default: '60' },
  },
});
const REPOS = resolve(args.repos as string);
const ONLY = (args.only as string).split(',').filter(Boolean);
const QUERY_COUNT = Number(args.queries);
const QUERIES_FILE = '/work/shared/eval/queries.jsonl';
const ISSUES_FILE = '/work/shared/eval/localization.jsonl';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const spread = (xs: number[]) => `p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}, max ${ms(Math.max(...xs))}`;
const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1);

function jsonl<T>(file: string): T[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T)
    : [];
}

/** Identifiers (the last part of a gold symbol) and the first words of a description, alternately (as webBench.ts). */
function typedQueries(n: number): string[] {
  const out: string[] = [];
  for (const [i, row] of jsonl<{ query: string; gold_symbol?: string }>(QUERIES_FILE).entries()) {
    const q = i % 2 === 0 && row.gold_symbol ? (row.gold_symbol.split('.').pop() ?? '') : row.query.split(/\s+/).slice(0, 3).join(' ');
    const clean = q.replace(/[^\w .-]/g, '').trim();
    if (clean.length >= 3 && !out.includes(clean)) out.push(clean);
    if (out.length === n) break;
  }
  return out;
}

/** The navigation's server time (request sent → response ended) and load event, in ms. */
async function navTimes(page: Page): Promise<{ server: number; load: number }> {
  return (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { server: nav.responseEnd - nav.requestStart, load: nav.loadEventEnd - nav.startTime };
  })()`)) as { server: number; load: number };
}

const distinctFiles = (page: Page) =>
  page.$$eval('#result-list a.hit', (links) => new Set(links.map((a) => (a.getAttribute('href') ?? '').split('#')[0])).size);

async function main(): Promise<void> {
  const repos = readdirSync(REPOS).filter((name) => ONLY.includes(name) && existsSync(join(REPOS, name, '.git')));
  if (repos.length === 0) throw new Error(`None of ${ONLY.join(', ')} in ${REPOS}; run bench/eval/prepare.ts or pass --repos.`);
  const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-groupbench-'));
  const app = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none' }, cwd: dataDir }), {
    log: silentLogger,
  });
  for (const name of repos) await addRepo({ target: join(REPOS, name), name }, createContext(app));
  await syncRepos({}, createContext(app));
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  const server = await startServer({ app, version: 'bench', host: '127.0.0.1', port: 0, jobs: null, background: false });
  const browser = await chromium.launch({
    executablePath: process.env.GITLORE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'],
  });
  console.log(`group bench: ${repos.join(', ')} (no embeddings), Chromium ${browser.version()}`);
  const page = await (await browser.newContext()).newPage();

  // 1. Served pages, ungrouped and grouped, alternately (one warm-up each).
  const queries = typedQueries(QUERY_COUNT);
  const rows: Record<'chunks' | 'files', { server: number[]; load: number[]; files: number[] }> = {
    chunks: { server: [], load: [], files: [] },
    files: { server: [], load: [], files: [] },
  };
  for (const [i, q] of [queries[0] as string, ...queries].entries()) {
    for (const kind of ['chunks', 'files'] as const) {
      await page.goto(`${server.url}/search?q=${encodeURIComponent(q)}${kind === 'files' ? '&group=file' : ''}`, { waitUntil: 'load' });
      if (i === 0) continue;
      const t = await navTimes(page);
      rows[kind].server.push(t.server);
      rows[kind].load.push(t.load);
      rows[kind].files.push(await distinctFiles(page));
    }
  }
  for (const kind of ['chunks', 'files'] as const) {
    const r = rows[kind];
    console.log(
      `/search ${kind === 'files' ? 'with group=file' : 'ungrouped     '} (${queries.length} queries): HTML served ${spread(r.server)}; load event ${spread(r.load)}; ${mean(r.files)} distinct files on the page`,
    );
  }

  // 2. Ticking "Group by file" on a served results page: click → file rows painted.
  const ticks: number[] = [];
  for (const q of queries.slice(0, 30)) {
    await page.goto(`${server.url}/search?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
    if ((await page.locator('a.hit').count()) === 0) continue;
    const started = Date.now();
    await page.getByLabel('Group by file').first().check();
    await page.waitForSelector('.file-row');
    ticks.push(Date.now() - started);
  }
  console.log(`tick "Group by file" → file rows in the DOM (${ticks.length} pages, island over /api/search): ${spread(ticks)}`);

  // 3. The paste form with each localization issue's text (its repository may not be indexed here: this times the path).
  const issues = jsonl<{ problem_statement: string }>(ISSUES_FILE).map((r) => r.problem_statement);
  const posts: { server: number; load: number; bytes: number }[] = [];
  for (const text of issues) {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.getByText('Paste an issue or a stack trace').click();
    await page.locator('#paste-text').evaluate((el, value) => {
      (el as unknown as { value: string }).value = value;
    }, text);
    await Promise.all([
      page.waitForURL(`${server.url}/search`, { waitUntil: 'load' }),
      page.getByRole('button', { name: 'Find the code' }).click(),
    ]);
    posts.push({ ...(await navTimes(page)), bytes: Buffer.byteLength(text) });
  }
  if (posts.length > 0) {
    const sizes = posts.map((p) => p.bytes);
    console.log(
      `paste form, ${posts.length} issue texts (${Math.min(...sizes)}–${Math.max(...sizes)} bytes, p50 ${pct(sizes, 50)}): HTML served ${spread(posts.map((p) => p.server))}; load event ${spread(posts.map((p) => p.load))}`,
    );
  }
  await browser.close();
  await server.close();
  await app.store.close();
}

await main();
