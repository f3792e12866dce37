import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { App } from '../../src/core/app.js';
import { createJobQueue } from '../../src/core/jobs.js';
import { startServer } from '../../src/server/serve.js';
import { makeWebFixture, type WebFixture } from './webFixture.js';

/** Debian's Chromium (scripts/setup.sh installs it for the tests); never a browser downloaded by Playwright. */
export const CHROMIUM = process.env.GITLORE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/web');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WebHarness {
  url: string;
  fixture: WebFixture;
  browser: Browser;
  context: BrowserContext;
  /** Requests the pages tried to send anywhere but the server (each was blocked). */
  offsite: string[];
  newPage(): Promise<Page>;
  /** Serves another app (another configuration over the fixture) to the same browser; its URL. Closed with the harness. */
  serve(app: App): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Configuration for the app, as environment variables (e.g. GITLORE_LLM and OPENAI_BASE_URL for a scripted model). */
  env?: Record<string, string>;
  /** Run a real job queue, as `gitlore serve --no-sync` does (no startup job, no interval), so pages can start syncs. */
  jobs?: boolean;
}

/** The real server on 127.0.0.1:0 over an indexed fixture, and one Chromium for the test file. */
export async function startHarness(options: HarnessOptions = {}): Promise<WebHarness> {
  const fixture = await makeWebFixture(options.env);
  const jobs = options.jobs ? createJobQueue(fixture.app, { background: false }) : null;
  const server = await startServer({ app: fixture.app, version: 'test', host: '127.0.0.1', port: 0, jobs, background: false });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const offsite: string[] = [];
  const origins = [new URL(server.url).origin];
  const others: { close(): Promise<void> }[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (origins.some((origin) => url.startsWith(`${origin}/`)) || url.startsWith('data:')) return route.continue();
    offsite.push(url);
    return route.abort('blockedbyclient');
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    url: server.url,
    fixture,
    browser,
    context,
    offsite,
    newPage: () => context.newPage(),
    async serve(app) {
      const other = await startServer({ app, version: 'test', host: '127.0.0.1', port: 0, jobs: null, background: false });
      others.push(other);
      origins.push(new URL(other.url).origin);
      return other.url;
    },
    async close() {
      await browser.close();
      for (const other of others) await other.close();
      await server.close();
      await fixture.app.store.close();
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const VARIANTS = [
  { scheme: 'light', width: 1280 },
  { scheme: 'dark', width: 1280 },
  { scheme: 'light', width: 360 },
  { scheme: 'dark', width: 360 },
] as const;

/**
 * The page in light and dark schemes at 1280 and 360 px: a screenshot of each into test-artifacts/web and
 * axe's serious or critical violations, keyed by variant (empty when accessible). Also flags horizontal
 * scrolling of the whole page at 360 px (code areas scroll inside themselves).
 */
export async function auditPage(page: Page, name: string): Promise<Record<string, string[]>> {
  const problems: Record<string, string[]> = {};
  for (const { scheme, width } of VARIANTS) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 800 });
    const key = `${name}-${scheme}-${width}`;
    await page.screenshot({ path: join(ARTIFACTS, `${key}.png`), fullPage: true });
    const found = (await axeViolations(page)).map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    if (width === 360 && overflow > 1) found.push(`the page scrolls sideways by ${overflow}px at 360px`);
    if (found.length > 0) problems[key] = found;
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
  return problems;
}

/** True when the element's box is inside its scroll container's visible box (and the window's). */
export async function isScrolledIntoView(page: Page, selector: string): Promise<boolean> {
  return (await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const box = el.getBoundingClientRect();
    const scroller = el.closest('.code');
    const view = scroller ? scroller.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    return box.top >= Math.max(0, view.top) - 1 && box.bottom <= Math.min(window.innerHeight, view.bottom) + 1;
  })()`)) as boolean;
}
