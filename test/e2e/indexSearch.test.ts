import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore index` / `index status` / `search` end to end: real git, real SQLite, the real CLI. */
let root: string;
const env = () => ({ GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' });
const cli = (...args: string[]) => runCli(args, { env: env(), cwd: root });
const FIXTURES = join(import.meta.dirname, '../fixtures/code');

beforeAll(async () => {
  root = tempDir('gitlore-index-e2e-');
  // Before anything is indexed, search says what to run (exit 1, NOT_INDEXED).
  const early = await cli('search', 'anything');
  expect(early.code).toBe(1);
  expect(early.stderr).toMatch(/Nothing is indexed yet.*gitlore repo add/);
  const files: Record<string, string> = {};
  for (const name of ['sample.ts', 'request.js', 'sample.py', 'sample.go', 'guide.md'])
    files[`src/${name}`] = readFileSync(join(FIXTURES, name), 'utf8');
  files['test/sample.test.ts'] =
    "import { Client } from '../src/sample';\ntest('client get', () => new Client({ retries: 1 }).get('/x'));\n";
  makeRepo(join(root, 'proj'), files);
  expect((await cli('repo', 'add', join(root, 'proj'))).code).toBe(0);
  expect((await cli('sync')).code).toBe(0);
});

describe('gitlore index and search', () => {
  it('indexes, reports status as JSON, and a second run is a no-op', async () => {
    const first = await cli('index', '--json');
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.repos[0]).toMatchObject({ repo: 'proj', status: 'indexed', added: 6 });
    const second = JSON.parse((await cli('index', '--json')).stdout);
    expect(second.repos[0]).toMatchObject({ status: 'unchanged', added: 0 });
    const status = await cli('index', 'status', '--json');
    expect(status.code).toBe(0);
    const row = JSON.parse(status.stdout).repos[0];
    expect(row).toMatchObject({ repo: 'proj', status: 'ok', upToDate: true, files: 6, embedded: 0 });
    expect(row.chunks).toBeGreaterThan(10);
    expect(row.commit).toMatch(/^[0-9a-f]{40}$/);
    const table = await cli('index', 'status');
    expect(table.stdout).toMatch(/^repo\s+status\s+commit/);
  });

  it('prints hits in the INTERFACE.md shape', async () => {
    const out = await cli('search', 'request', 'header', '--json');
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.query).toBe('request header');
    expect(typeof doc.tookMs).toBe('number');
    // INTERFACE.md's fields, plus (added) the last change of the lines or why it is missing.
    const keys = Object.keys(doc.results[0]).sort();
    expect(keys.filter((k) => !k.startsWith('lastChange'))).toEqual(
      ['endLine', 'kind', 'language', 'path', 'repo', 'score', 'snippet', 'startLine', 'symbol', 'url'].sort(),
    );
    expect(keys.filter((k) => k.startsWith('lastChange')).length).toBe(1);
    expect(doc.results[0]).toMatchObject({ repo: 'proj', path: 'src/request.js', symbol: 'request.header', language: 'javascript' });
  });

  it('prints type:diff answers as commits with their matching changed lines', async () => {
    const out = await cli('search', 'type:diff +retries file:test/', '--json');
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.results).toEqual([]);
    expect(doc.parsed.type).toBe('diff');
    expect(doc.diffs).toHaveLength(1);
    expect(Object.keys(doc.diffs[0]).sort()).toEqual(
      ['author', 'date', 'email', 'files', 'hash', 'repo', 'score', 'subject', 'url'].sort(),
    );
    expect(doc.diffs[0].files).toEqual([
      {
        path: 'test/sample.test.ts',
        lines: [{ kind: '+', line: 2, text: "test('client get', () => new Client({ retries: 1 }).get('/x'));" }],
      },
    ]);
    const text = await cli('search', 'type:diff removed:retries');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^0 commits in \d+ ms$/m);
  });

  it('supports symbol, regex, language and path filters, and demotes tests', async () => {
    const symbol = JSON.parse((await cli('search', 'Client.get', '--mode', 'symbol', '--json')).stdout);
    expect(symbol.results[0]).toMatchObject({ path: 'src/sample.ts', startLine: 21, endLine: 24, kind: 'method' });
    const regex = JSON.parse((await cli('search', 'func \\(mx \\*Mux\\)', '--mode', 'regex', '--json')).stdout);
    expect(regex.results).toMatchObject([{ path: 'src/sample.go', startLine: 23, endLine: 23 }]);
    // Patterns whose matches stay on one line send only the lines holding their literal to the scanner;
    // `(?s:)` (an empty group) turns that off without changing what matches: the hits must be the same.
    let seen = 0;
    for (const pattern of ['func \\(mx \\*Mux\\)', 'retries', 'def \\w+\\(|function \\w+\\(', '^import', 'Client\\b', 'return .*;$']) {
      const windowed = JSON.parse((await cli('search', pattern, '--mode', 'regex', '--limit', '50', '--json')).stdout).results;
      const whole = JSON.parse((await cli('search', `(?s:)${pattern}`, '--mode', 'regex', '--limit', '50', '--json')).stdout).results;
      expect(windowed, pattern).toEqual(whole);
      seen += windowed.length;
    }
    expect(seen).toBeGreaterThan(10);
    const py = JSON.parse((await cli('search', 'name', '--lang', 'py', '--json')).stdout);
    expect(py.results.length).toBeGreaterThan(0);
    expect(py.results.every((r: { language: string }) => r.language === 'python')).toBe(true);
    const path = JSON.parse((await cli('search', 'client', '--path', 'test/**', '--json')).stdout);
    expect(path.results.length).toBeGreaterThan(0);
    expect(path.results.every((r: { path: string }) => r.path.startsWith('test/'))).toBe(true);
    const folder = JSON.parse((await cli('search', 'client', '--path', 'src', '--json')).stdout);
    expect(folder.results.length).toBeGreaterThan(0);
    expect(folder.results.every((r: { path: string }) => r.path.startsWith('src/'))).toBe(true);
    const all = JSON.parse((await cli('search', 'client get', '--json')).stdout);
    expect(all.results[0].path).toBe('src/sample.ts');
    const human = await cli('search', 'idempotent');
    expect(human.stdout).toContain('src/request.js');
  });

  it('rejects bad queries with exit 2 and a one-line message', async () => {
    const empty = await cli('search', '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/query is empty/);
    const long = await cli('search', 'x'.repeat(10_241), '--mode', 'regex');
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/limit is 10240/);
    const text = await cli('search', `${'x '.repeat(512 * 1024)}y`);
    expect(text.code).toBe(2);
    expect(text.stderr.trim()).toMatch(/^gitlore: The search text is 1048577 bytes; the limit is 1048576 \(1 MB\)\. Search with/);
    const regex = await cli('search', 'foo(', '--mode', 'regex');
    expect(regex.code).toBe(2);
    expect(regex.stderr).toMatch(/Invalid regular expression/);
    expect(regex.stderr.trim().split('\n')).toHaveLength(1);
    const repo = await cli('search', 'x', '--repo', 'nope');
    expect(repo.code).toBe(2);
    expect(repo.stderr).toMatch(/gitlore repo list/);
    const mode = await cli('search', 'x', '--mode', 'fuzzy');
    expect(mode.code).toBe(2);
  });

  it('reads the query syntax, and refuses a mistake with exit 2, one line naming the column (a caret on a terminal)', async () => {
    const go = JSON.parse((await cli('search', 'lang:go', '-file:test/**', 'Mux', '--json')).stdout);
    expect(go.results.length).toBeGreaterThan(0);
    expect(go.results.every((r: { language: string }) => r.language === 'go')).toBe(true);
    expect(go.parsed).toMatchObject({ type: 'code', text: 'Mux', languages: ['go'], files: { include: [], exclude: ['test/**'] } });
    // The same as one quoted argument; -q stays gitlore's own option, a mistyped --flag is refused.
    const quoted = JSON.parse((await cli('search', '-q', 'lang:go -file:test/** Mux', '--json')).stdout);
    expect(quoted.results).toEqual(go.results);
    expect(quoted.parsed.exclude).toEqual([]);
    const flag = await cli('search', 'Mux', '--lnag', 'go');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^gitlore: Unknown option --lnag\./);
    expect(JSON.parse((await cli('search', 'client count:2', '--json')).stdout).results).toHaveLength(2);
    const typo = await cli('search', 'repo:proj lnag:go', 'retry');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
    expect(typo.stderr).toMatch(/^gitlore: Unknown filter "lnag:" at column 11; did you mean lang:\? Known filters: repo:.* quote it/);
    const onTerminal = await runCli(['search', 'repo:proj', 'lnag:go', 'retry'], { env: env(), cwd: root, tty: true });
    expect(onTerminal.code).toBe(2);
    const [, shown, caret] = onTerminal.stderr.trimEnd().split('\n');
    expect(shown).toBe('  repo:proj lnag:go retry');
    expect(caret?.indexOf('^')).toBe(2 + 10);
  });

  it('parses in worker threads for larger repositories (same results as in-process)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 220; i += 1)
      files[`pkg/mod${i}.py`] = `def handler_number_${i}(request):\n    """Handle request ${i}."""\n    return ${i}\n`;
    makeRepo(join(root, 'big'), files);
    expect((await cli('repo', 'add', join(root, 'big'))).code).toBe(0);
    expect((await cli('sync', 'repo', 'big')).code).toBe(0);
    const out = await cli('index', '--repo', 'big', '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout).repos[0]).toMatchObject({ repo: 'big', added: 220, errors: [] });
    const hit = JSON.parse((await cli('search', 'handler_number_205', '--repo', 'big', '--json')).stdout).results[0];
    expect(hit).toMatchObject({ path: 'pkg/mod205.py', startLine: 1, endLine: 3, symbol: 'handler_number_205', kind: 'function' });
  });

  it('a corrupt database gives STORE_CORRUPT with the fix, and index --full recovers', async () => {
    const dbPath = join(root, 'data', 'index', 'gitlore.db');
    // Trash every page of the index tables (the repos table stays readable, as with a torn write).
    const db = new Database(dbPath, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.prepare("SELECT pageno FROM dbstat WHERE name LIKE 'index_%'").pluck().all() as number[];
    db.close();
    expect(pages.length).toBeGreaterThan(5);
    const fd = openSync(dbPath, 'r+');
    const garbage = Buffer.alloc(pageSize, 0xa5);
    for (const page of pages) writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const broken = await cli('search', 'request header');
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/corrupt/i);
    expect(broken.stderr).toMatch(/gitlore index --full/);
    const rebuilt = await cli('index', '--full', '--json');
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(/set it aside as \S+gitlore\.db\.corrupt-\S+\. Kept \d+ registered repositories/);
    expect(JSON.parse(rebuilt.stdout).repos.find((r: { repo: string }) => r.repo === 'proj')).toMatchObject({
      status: 'indexed',
      added: 6,
    });
    const again = JSON.parse((await cli('search', 'request header', '--json')).stdout);
    expect(again.results[0].path).toBe('src/request.js');
  });
});
