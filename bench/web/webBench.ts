/**
 * The web app in Chromium against an index of the dev repositories (issue 16):
 *   - first load of `/` in a fresh browser context (bytes on the wire, time to load), 20 times;
 *   - time from the last keystroke to results painted, over 100 typed queries;
 *   - the file view of ~3,000-line files: time to the first paint with highlighting.
 *
 *   npx tsx bench/web/webBench.ts [--repos DIR] [--queries N] [--delay MS]
 *
 * DIR holds git repositories (default .eval/repos, made by bench/eval/prepare.ts); each is registered as a local
 * source in a temporary data dir, synced and indexed without embeddings. Prints a table; never run by the tests.
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
    queries: { type: 'string', default: '100' },
    delay: { type: 'string', default: '30' },
  },
});
const REPOS = resolve(args.repos as string);
const QUERY_COUNT = Number(args.queries);
const TYPE_DELAY_MS = Number(args.delay);
const QUERIES_FILE = '/work/shared/eval/queries.jsonl';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const spread = (xs: number[]) => `p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}`;

/** What people type: identifiers (the last part of a gold symbol) and the first words of a description, alternately. */
function typedQueries(n: number): string[] {
  const rows = existsSync(QUERIES_FILE)
    ? readFileSync(QUERIES_FILE, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { query: string; gold_symbol?: string })
    : [];
  const out: string[] = [];
  for (const [i, row] of rows.entries()) {
    const q = i % 2 === 0 && row.gold_symbol ? (row.gold_symbol.split('.').pop() ?? '') : row.query.split(/\s+/).slice(0, 3).join(' ');
    const clean = q.replace(/[^\w .-]/g, '').trim();
    if (clean.length >= 3 && !out.includes(clean)) out.push(clean);
    if (out.length === n) break;
  }
  while (out.length < n) out.push(['handler', 'retry', 'parse', 'request', 'command', 'option'][out.length % 6] as string);
  return out;
}

/** Files of the repositories with the line counts closest to 3,000. */
function largeFiles(repos: string[]): { repo: string; path: string; lines: number }[] {
  const files: { repo: string; path: string; lines: number }[] = [];
  const walk = (repo: string, dir: string) => {
    for (const entry of readdirSync(join(REPOS, repo, dir), { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(repo, rel);
      else if (/\.(py|ts|js|go)$/.test(entry.name)) {
        const lines = readFileSync(join(REPOS, repo, rel), 'utf8').split('\n').length;
        if (lines >= 2500 && lines <= 4000) files.push({ repo, path: rel, lines });
      }
    }
  };
  for (const repo of repos) walk(repo, '');
  return files.sort((a, b) => Math.abs(a.lines - 3000) - Math.abs(b.lines - 3000)).slice(0, 2);
}

interface Load {
  ms: number;
  html: number;
  dcl: number;
  bytes: number;
  js: number;
}

async function firstLoad(page: Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: 'load' });
  return (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return {
      ms: nav.loadEventEnd - nav.startTime,
      html: nav.responseEnd - nav.startTime,
      dcl: nav.domContentLoadedEventEnd - nav.startTime,
      bytes: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
      js: res.filter((r) => r.name.endsWith('.js')).reduce((s, r) => s + r.encodedBodySize, 0),
    };
  })()`)) as Load;
}

async function main(): Promise<void> {
  const repos = readdirSync(REPOS).filter((name) => existsSync(join(REPOS, name, '.git')));
  if (repos.length === 0) throw new Error(`No git repositories in ${REPOS}; run bench/eval/prepare.ts or pass --repos.`);
  const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-webbench-'));
  const app = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none' }, cwd: dataDir }), {
    log: silentLogger,
  });
  for (const name of repos) await addRepo({ target: join(REPOS, name), name }, createContext(app));
  await syncRepos({}, createContext(app));
  const indexed = await indexRepos({ skipEmbeddings: true }, createContext(app));
  const server = await startServer({ app, version: 'bench', host: '127.0.0.1', port: 0, jobs: null, background: false });
  const browser = await chromium.launch({
    executablePath: process.env.GITLORE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'],
  });
  console.log(
    `web bench: ${repos.length} repositories (${repos.join(', ')}), ${indexed.repos.length} indexed, Chromium ${browser.version()}`,
  );

  // 1. First load of / in a fresh context (empty cache), after one warm-up.
  const loads: Load[] = [];
  for (let i = 0; i < 21; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const load = await firstLoad(page, `${server.url}/`);
    if (i > 0) loads.push(load);
    await context.close();
  }
  const baseline: number[] = [];
  for (let i = 0; i < 21; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const load = await firstLoad(page, `${server.url}/health`);
    if (i > 0) baseline.push(load.ms);
    await context.close();
  }
  const first = loads[0] as Load;
  console.log(`first load of / (fresh context, no cache): load event ${spread(loads.map((l) => l.ms))}`);
  console.log(
    `  HTML received p50 ${ms(
      pct(
        loads.map((l) => l.html),
        50,
      ),
    )}, DOMContentLoaded p50 ${ms(
      pct(
        loads.map((l) => l.dcl),
        50,
      ),
    )}`,
  );
  console.log(`  ${first.bytes} bytes on the wire, ${first.js} of them JavaScript`);
  console.log(`  baseline, GET /health (a JSON answer, no subresources) in a fresh context: ${spread(baseline)}`);

  // 2. Keystroke to results painted.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.evaluate(`(() => {
    let last = 0;
    window.__paint = null;
    document.addEventListener('keydown', () => { last = performance.now(); window.__paint = null; }, true);
    new MutationObserver(() => {
      if (document.documentElement.dataset.searched !== window.__expect) return;
      requestAnimationFrame(() => setTimeout(() => { window.__paint = performance.now() - last; }, 0));
    }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-searched'] });
  })()`);
  const times: number[] = [];
  let hits = 0;
  for (const query of typedQueries(QUERY_COUNT)) {
    await page.fill('#q', '');
    await page.evaluate(`window.__expect = ${JSON.stringify(query)}; delete document.documentElement.dataset.searched;`);
    await page.type('#q', query, { delay: TYPE_DELAY_MS });
    // A function, not a string: the page's CSP refuses eval, which string predicates use.
    await page.waitForFunction(() => (globalThis as { __paint?: number | null }).__paint !== null, undefined, { timeout: 30_000 });
    times.push((await page.evaluate('window.__paint')) as number);
    hits += await page.locator('a.hit').count();
  }
  console.log(
    `keystroke → results painted (${times.length} queries typed at ${TYPE_DELAY_MS} ms/key, ${(hits / times.length).toFixed(1)} hits each): ${spread(times)}, max ${ms(Math.max(...times))}`,
  );
  await context.close();

  // 3. File view of ~3,000-line files: to the first paint with highlighting.
  for (const file of largeFiles(repos)) {
    const runs: { paint: number; server: number; bytes: number; fcp: number }[] = [];
    for (let i = 0; i < 11; i++) {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      await p.goto(`${server.url}/r/${file.repo}/blob/${file.path}`, { waitUntil: 'commit' });
      await p.waitForSelector('html[data-ready="file"]', { state: 'attached' });
      // The frame after the quick pass: its animation-frame time is when that frame starts to render.
      const run = (await p.evaluate(`new Promise((done) => requestAnimationFrame((frame) => {
        const nav = performance.getEntriesByType('navigation')[0];
        done({ paint: frame - nav.startTime, server: nav.responseEnd - nav.requestStart, bytes: nav.transferSize, fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN });
      }))`)) as { paint: number; server: number; bytes: number; fcp: number };
      if (i > 0) runs.push(run);
      await ctx.close();
    }
    console.log(`file view ${file.repo}/${file.path} (${file.lines} lines), fresh context:`);
    console.log(
      `  first paint (plain text) p50 ${ms(
        pct(
          runs.map((r) => r.fcp),
          50,
        ),
      )}; highlighted paint ${spread(runs.map((r) => r.paint))}`,
    );
    console.log(`  HTML served in ${spread(runs.map((r) => r.server))}, ${runs[0]?.bytes} bytes on the wire`);
  }
  await browser.close();
  await server.close();
  await app.store.close();
}

await main();
