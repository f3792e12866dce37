import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { spawnCli } from '../fakes/gitHttpFixtures.js';
import { createTestDatabase } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, gitEnv, makeRepo, tempDir } from '../helpers/git.js';
import { watchServe } from '../helpers/serveProcess.js';
import { CHROMIUM } from '../web/browser.js';

/**
 * The scaled-out deployment end to end: one PostgreSQL database, two `gitlore serve` API processes that only queue
 * work, and two `gitlore worker` processes that sync, index and ingest it; then search, ask and the web app are
 * answered the same by either API process, and what one of them stores (a chat) the other serves.
 */
const REPOS = {
  billing: {
    'src/invoice.ts':
      '/** Computes the total of an invoice, taxes included. */\nexport function invoiceTotal(lines: { amount: number }[], taxRate: number) {\n  const net = lines.reduce((sum, line) => sum + line.amount, 0);\n  return net * (1 + taxRate);\n}\n',
    'README.md': '# billing\n\nInvoices and payments.\n',
  },
  gateway: {
    'gateway/retry.go':
      'package gateway\n\n// RetryPolicy decides how often a failed upstream call is retried.\nfunc RetryPolicy(attempts int) bool {\n\treturn attempts < 3\n}\n',
  },
  tools: {
    'tools/parse_config.py': 'def parse_config(path):\n    """Read the YAML configuration file."""\n    return open(path).read()\n',
  },
};

let root: string;
let database: { url: string; drop: () => Promise<void> };
let chat: FakeChatServer;
let turns: ((request: FakeChatServer['requests'][number]) => ScriptedTurn)[] = [];
const children: ChildProcess[] = [];
const api: string[] = [];

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const getJson = async <T>(url: string): Promise<T> => {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
};

beforeAll(async () => {
  root = tempDir('gitlore-pg-deploy-');
  database = await createTestDatabase();
  chat = await startFakeChat((request, index) => turns[index]?.(request) ?? { text: 'out of script' });
  const env = {
    GITLORE_DATA_DIR: join(root, 'data'),
    DATABASE_URL: database.url,
    GITLORE_LLM: 'openai',
    GITLORE_LLM_MODEL: 'scripted-model',
    OPENAI_BASE_URL: chat.url,
    OPENAI_API_KEY: 'sk-test-0123456789abcdef',
  };
  for (const [name, files] of Object.entries(REPOS)) {
    const dir = join(root, 'upstream', name);
    makeRepo(dir, files);
    commitFiles(
      dir,
      { 'CHANGELOG.md': `# ${name}\n\n- first release\n` },
      `${name}: changelog`,
      gitEnv('2024-03-01T09:00:00+01:00', 'Grace', 'grace@acme.dev'),
    );
    expect((await runCli(['repo', 'add', dir], { env })).code).toBe(0);
  }
  for (const _ of [1, 2]) {
    const serve = spawnCli(['serve', '--port', '0'], env, root);

    children.push(serve);
    api.push(await watchServe(serve).url);
  }
  for (const _ of [1, 2]) {
    const worker = spawnCli(['worker', '--concurrency', '2'], env, root);
    worker.stdout?.resume();
    worker.stderr?.resume();
    children.push(worker);
  }
  // Each serve queued its startup resync (the second finds it already queued); the workers do the rest.
  await until(async () => {
    const status = await getJson<{ repos: { repo: string; status: string; embedded: number; chunks: number }[] }>(
      `${api[1]}/api/index/status`,
    );
    return status.repos.length === 3 && status.repos.every((r) => r.status === 'ok' && r.chunks > 0) ? status : null;
  }, 180_000);
}, 240_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  await chat?.close();
  await database?.drop();
});

describe('PostgreSQL deployment: two API processes, two workers', () => {
  it('indexed every repository with its history; either API process answers search and history the same', async () => {
    for (const [query, path] of [
      ['invoice total with taxes', 'src/invoice.ts'],
      ['RetryPolicy', 'gateway/retry.go'],
      ['read the yaml configuration', 'tools/parse_config.py'],
    ]) {
      const ask = (url: string, mode: string) =>
        getJson<{ results: { repo: string; path: string; startLine: number }[] }>(
          `${url}/api/search?q=${encodeURIComponent(query)}&mode=${mode}`,
        );
      const at = (r: { repo: string; path: string; startLine: number }) => `${r.repo}:${r.path}:${r.startLine}`;
      // Hybrid's first hit from either process; the whole lexical list equal (hybrid's tail follows each process's
      // embedding model, which a process reloads when it sees the workers published a new one).
      for (const url of api) expect((await ask(url, 'hybrid')).results[0]?.path, query).toBe(path);
      const [one, two] = await Promise.all(api.map((url) => ask(url, 'lexical')));
      expect(one.results.length).toBeGreaterThan(0);
      expect(two.results.map(at)).toEqual(one.results.map(at));
    }
    for (const url of api) {
      const log = await getJson<{ total: number; commits: { author: string; subject: string }[] }>(`${url}/api/commits?repo=gateway`);
      expect(log.total).toBe(2);
      expect(log.commits[0]).toMatchObject({ author: 'Grace', subject: 'gateway: changelog' });
    }
    const sync = await getJson<{ jobs: { backend: string; recent: { kind: string; state: string; worker: string }[] } }>(
      `${api[0]}/api/sync/status`,
    );
    expect(sync.jobs.backend).toBe('postgres');
    expect(sync.jobs.recent.filter((j) => j.kind === 'repo').every((j) => j.state === 'done')).toBe(true);
  });

  it('answers a question on one API process and serves the stored chat from the other', async () => {
    const start = chat.requests.length;
    turns = [];
    turns[start] = () => ({ toolCalls: [{ name: 'search_code', arguments: JSON.stringify({ query: 'invoice total' }) }] });
    turns[start + 1] = () => ({ text: 'The total is computed in billing/src/invoice.ts:2-5.' });
    const response = await fetch(`${api[0]}/api/ask?stream=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'where is the invoice total computed?' }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { threadId: string; citations: { repo: string; path: string }[] };
    expect(answer.citations).toEqual([expect.objectContaining({ repo: 'billing', path: 'src/invoice.ts' })]);
    const thread = await getJson<{ turns: { question: string; answer: string }[] }>(`${api[1]}/api/chats/${answer.threadId}`);
    expect(thread.turns.map((t) => t.question)).toEqual(['where is the invoice total computed?']);
  });

  it('serves the web app from either process: search results render in Chromium, history pages list commits', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${api[1]}/search?q=RetryPolicy`);
      await page.waitForSelector('a.hit');
      expect(await page.locator('a.hit').first().getAttribute('href')).toMatch(/^\/r\/gateway\/blob\/gateway\/retry\.go#L\d+/);
      await page.goto(`${api[0]}/r/billing/commits`);
      expect(await page.textContent('body')).toContain('billing: changelog');
    } finally {
      await browser.close();
    }
  });
});
