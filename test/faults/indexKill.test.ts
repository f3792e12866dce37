import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../fakes/gitHttpFixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { rng } from '../helpers/random.js';
import { TOPICS, topicFiles } from '../helpers/topicCorpus.js';

/**
 * `kill -9` at random points of `gitlore index` and `gitlore index --full`: the repository keeps answering
 * searches, and the next `gitlore index` leaves exactly the rows of a clean run. A full rebuild also keeps
 * answering lexical, symbol and semantic queries with the results it had before, while it runs.
 */
const FILES = 600;
const random = rng(14_3);
let root: string;
/** Data dirs: synced but not indexed, and indexed once (clean). */
let synced: string;
let indexed: string;
let cleanRows: string[];
let cleanRunMs: number;

const envOf = (dataDir: string, extra: Record<string, string> = {}) => ({
  GITLORE_DATA_DIR: dataDir,
  GITLORE_EMBEDDINGS: 'none',
  // Many small write transactions, so a kill lands between batches as often as inside one.
  GITLORE_MAX_MEMORY_GB: '0.05',
  ...extra,
});
const cli = (dataDir: string, args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: envOf(dataDir, extra), cwd: root });
const copyOf = (dataDir: string) => {
  const to = join(tempDir('gitlore-faults-copy-'), 'data');
  execFileSync('cp', ['-a', dataDir, to]);
  return to;
};

/** Every row of the index that does not depend on row ids: files, chunks and symbols, sorted. */
function rowsOf(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'index', 'gitlore.db'), { readonly: true });
  try {
    const files = db.prepare('SELECT path, blob, language, size FROM index_files').raw().all();
    const chunks = db
      .prepare(
        'SELECT f.path, c.start_line, c.end_line, c.kind, c.symbol, c.hash FROM index_chunks c JOIN index_files f ON f.id = c.file_id',
      )
      .raw()
      .all();
    const symbols = db
      .prepare('SELECT f.path, s.name, s.kind, s.start_line FROM index_symbols s JOIN index_files f ON f.id = s.file_id')
      .raw()
      .all();
    const fts = db.prepare("SELECT count(*) FROM index_fts WHERE index_fts MATCH 'compute*'").pluck().get();
    return [
      ...files.map((r) => `file ${JSON.stringify(r)}`),
      ...chunks.map((r) => `chunk ${JSON.stringify(r)}`),
      ...symbols.map((r) => `symbol ${JSON.stringify(r)}`),
      `fts ${fts}`,
    ].sort();
  } finally {
    db.close();
  }
}

async function hits(dataDir: string, query: string, mode: string, extra: Record<string, string> = {}, path?: string): Promise<string[]> {
  const out = await cli(dataDir, ['search', query, '--mode', mode, '--limit', '10', '--json', ...(path ? ['--path', path] : [])], extra);
  expect(out.code, out.stderr).toBe(0);
  return (JSON.parse(out.stdout).results as { path: string; startLine: number }[]).map((h) => `${h.path}:${h.startLine}`);
}

/** Runs `gitlore <args>` in a child process and SIGKILLs its process group after `afterMs` (or lets it finish first). */
async function killAfter(dataDir: string, args: string[], afterMs: number): Promise<void> {
  const child = spawnCli(args, envOf(dataDir), root, { detached: true });
  child.stdout?.resume();
  child.stderr?.resume();
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, afterMs);
  await closed;
  clearTimeout(timer);
}

beforeAll(async () => {
  root = tempDir('gitlore-faults-index-');
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i += 1) {
    files[`src/m${i}.ts`] =
      `/** Computes value ${i}. */\nexport function compute${i}(x: number): number {\n${'  x = x * 3 + 1;\n'.repeat(160)}  return x + ${i};\n}\n`;
  }
  makeRepo(join(root, 'big'), { ...files, ...topicFiles(TOPICS) });
  synced = join(root, 'synced');
  expect((await cli(synced, ['repo', 'add', join(root, 'big')])).code).toBe(0);
  expect((await cli(synced, ['sync'])).code).toBe(0);
  indexed = copyOf(synced);
  const started = performance.now();
  const clean = await cli(indexed, ['index', '--json']);
  cleanRunMs = performance.now() - started;
  expect(clean.code, clean.stderr).toBe(0);
  cleanRows = rowsOf(indexed);
}, 60_000);

describe('kill -9 at random points of gitlore index', () => {
  it('leaves a searchable index, and the next run yields the rows of a clean run', async () => {
    for (let point = 0; point < 3; point += 1) {
      const dataDir = copyOf(synced);
      // Child start-up (tsx) takes about a second; the run itself about as long as the clean one.
      await killAfter(dataDir, ['index'], 800 + Math.floor((random() + 0.5) * (cleanRunMs + 1000)));
      const symbol = await cli(dataDir, ['search', 'compute7', '--mode', 'symbol', '--json']);
      expect(symbol.code, symbol.stderr).toBe(0);
      const resumed = await cli(dataDir, ['index', '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(rowsOf(dataDir)).toEqual(cleanRows);
      expect(await hits(dataDir, 'compute42', 'lexical')).toEqual(await hits(indexed, 'compute42', 'lexical'));
    }
  }, 60_000);
});

describe('kill -9 at random points of gitlore index --full', () => {
  it('keeps the old rows answering, and the next run yields the rows of a clean run', async () => {
    const lexical = await hits(indexed, 'compute42 value', 'lexical');
    const symbol = await hits(indexed, 'compute42', 'symbol');
    expect(lexical.length).toBeGreaterThan(0);
    for (let point = 0; point < 3; point += 1) {
      const dataDir = copyOf(indexed);
      await killAfter(dataDir, ['index', '--full'], 800 + Math.floor((random() + 0.5) * (cleanRunMs + 1000)));
      // Whatever the point: the complete old rows or the complete new ones, never an empty or half index.
      expect(await hits(dataDir, 'compute42 value', 'lexical')).toEqual(lexical);
      expect(await hits(dataDir, 'compute42', 'symbol')).toEqual(symbol);
      const status = JSON.parse((await cli(dataDir, ['index', 'status', '--json'])).stdout).repos[0];
      expect(status.files).toBe(FILES + TOPICS.length);
      const resumed = await cli(dataDir, ['index', '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(rowsOf(dataDir)).toEqual(cleanRows);
    }
  }, 60_000);
});

describe('gitlore index --full while searches run', () => {
  it('answers lexical, symbol and semantic queries with the results it had before, throughout', async () => {
    const dataDir = copyOf(synced);
    const local = { GITLORE_EMBEDDINGS: 'local' };
    expect((await cli(dataDir, ['index'], local)).code).toBe(0);
    // Over the topic files, whose scores differ (no ties that the new rows' ids could order differently).
    const queries = [
      ['password salt request', 'lexical'],
      ['topic3', 'symbol'],
      ['topic input string', 'semantic'],
    ] as const;
    const ask = () => Promise.all(queries.map(([q, mode]) => hits(dataDir, q, mode, local, 'src/topic*')));
    const before = await ask();
    for (const answer of before) expect(answer.length).toBeGreaterThan(0);
    // Lexical only, so the rebuild's rows are all there is to wait for (the model stays the same).
    const child = spawnCli(['index', '--full', '--no-embeddings'], envOf(dataDir, local), root, { detached: true });
    child.stdout?.resume();
    child.stderr?.resume();
    let running = true;
    const closed = new Promise<number | null>((resolve) =>
      child.once('close', (code) => {
        running = false;
        resolve(code);
      }),
    );
    let rounds = 0;
    while (running) {
      expect(await ask()).toEqual(before);
      rounds += 1;
      // The in-process searches settle as microtasks only: let the child's exit event in.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await closed).toBe(0);
    expect(rounds).toBeGreaterThan(2);
    expect(await ask()).toEqual(before);
    expect(rowsOf(dataDir)).toEqual(cleanRows);
  }, 60_000);
});
