import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, gitEnv, makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore migrate --to postgres://…`: an embedded install, copied into PostgreSQL, answers the same. */
let root: string;
let target: { url: string; drop: () => Promise<void> };
const FIXTURES = join(import.meta.dirname, '../fixtures/code');
const env = (databaseUrl?: string) => ({ GITLORE_DATA_DIR: join(root, 'data'), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const sqlite = (...args: string[]) => runCli(args, { env: env(), cwd: root });
const postgres = (...args: string[]) => runCli(args, { env: env(target.url), cwd: root });
const json = (result: { code: number; stdout: string; stderr: string }) => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

beforeAll(async () => {
  root = tempDir('gitlore-migrate-');
  target = await createTestDatabase();
  const files: Record<string, string> = {};
  for (const name of ['sample.ts', 'request.js', 'sample.py', 'sample.go'])
    files[`src/${name}`] = readFileSync(join(FIXTURES, name), 'utf8');
  makeRepo(join(root, 'proj'), files);
  commitFiles(
    join(root, 'proj'),
    { 'src/extra.ts': 'export function retryPolicy(attempts: number) {\n  return attempts * 2;\n}\n' },
    'add retry policy',
    gitEnv('2024-02-01T10:00:00+02:00', 'Ada', 'ada@acme.dev'),
  );
  makeRepo(join(root, 'docs'), {
    'README.md': '# Docs\n\nHow to configure the retry policy.\n',
    'tool.py': 'def parse_config(path):\n    """Parse the config file."""\n    return open(path).read()\n',
  });
  for (const dir of ['proj', 'docs']) expect((await sqlite('repo', 'add', join(root, dir))).code).toBe(0);
  expect((await sqlite('sync')).code).toBe(0);
  const indexed = json(await sqlite('index', '--json'));
  expect(indexed.embedded).toBeGreaterThan(0);
  json(await sqlite('token', 'create', '--name', 'ci', '--json'));
  // A commit search before the move: SQLite's message index is then built, and its progress marker set.
  expect(json(await sqlite('search', 'type:commit retry', '--json')).commits).toHaveLength(1);
}, 240_000);

afterAll(async () => {
  await target?.drop();
});

describe('gitlore migrate --to', () => {
  it('copies every table, rebuilds the index from the clones without embedding again, and the counts agree', async () => {
    const report = json(await sqlite('migrate', '--to', target.url, '--json'));
    expect(report.ok).toBe(true);
    expect(report.notCopied).toEqual([]);
    expect(report.embedded).toBe(0);
    const table = (name: string) => report.tables.find((t: { table: string }) => t.table === name);
    expect(table('repos')).toMatchObject({ source: 2, copied: 2, target: 2 });
    expect(table('api_tokens')).toMatchObject({ source: 1, target: 1 });
    expect(table('history_commits').source).toBe(3);
    expect(table('history_commits').target).toBe(3);
    expect(table('index_vectors').target).toBe(table('index_vectors').source);
    expect(report.rebuilt).toContain('index_chunks');
    for (const repo of report.repos) {
      expect(repo.ok, repo.repo).toBe(true);
      expect(repo.target.chunks).toBeGreaterThan(0);
      expect(repo.target.embedded).toBe(repo.source.embedded);
    }
    expect(report.target).not.toMatch(/@.*@/);
  });

  it('answers search, history and token listing on PostgreSQL as SQLite does', async () => {
    const cases: [string, string][] = [
      ['retry policy', 'lexical'],
      ['retry policy', 'hybrid'],
      ['parse config file', 'lexical'],
      ['parse config file', 'hybrid'],
      ['parse config file', 'semantic'],
      ['retryPolicy', 'symbol'],
      ['parse_config', 'symbol'],
    ];
    for (const [query, mode] of cases) {
      const top = (doc: { results: { repo: string; path: string; startLine: number }[] }) =>
        doc.results.slice(0, 5).map((r) => `${r.repo}:${r.path}:${r.startLine}`);
      const before = json(await sqlite('search', query, '--mode', mode, '--json'));
      const after = json(await postgres('search', query, '--mode', mode, '--json'));
      expect(top(after), `${mode} ${query}`).toEqual(top(before));
      expect(after.results.length, `${mode} ${query}`).toBeGreaterThan(0);
    }
    const logBefore = json(await sqlite('log', '--repo', 'proj', '--json'));
    const logAfter = json(await postgres('log', '--repo', 'proj', '--json'));
    expect(logAfter).toEqual(logBefore);
    expect(logAfter.commits[0]).toMatchObject({ author: 'Ada', subject: 'add retry policy' });
    // Message search is rebuilt on PostgreSQL, not taken as done from SQLite's marker.
    const grepAfter = json(await postgres('log', '--repo', 'proj', '--grep', 'retry', '--json'));
    expect(grepAfter.commits.map((c: { subject: string }) => c.subject)).toEqual(['add retry policy']);
    const commitsAfter = json(await postgres('search', 'type:commit retry', '--json'));
    expect(commitsAfter.commits.map((c: { subject: string }) => c.subject)).toEqual(['add retry policy']);
    const tokens = json(await postgres('token', 'list', '--json'));
    expect(tokens.tokens.map((t: { name: string }) => t.name)).toEqual(['ci']);
  });

  it('is safe to run again: nothing is copied twice', async () => {
    const again = json(await sqlite('migrate', '--to', target.url, '--json'));
    expect(again.ok).toBe(true);
    for (const t of again.tables) {
      expect(t.copied, t.table).toBe(0);
      expect(t.target, t.table).toBe(t.source);
    }
  });

  it('refuses a source that is already PostgreSQL and a target that is not, with exit 2', async () => {
    const fromPostgres = await postgres('migrate', '--to', target.url);
    expect(fromPostgres.code).toBe(2);
    expect(fromPostgres.stderr).toMatch(/DATABASE_URL already selects PostgreSQL/);
    const notPostgres = await sqlite('migrate', '--to', 'mysql://root:hunter22@db/x');
    expect(notPostgres.code).toBe(2);
    expect(notPostgres.stderr).toMatch(/--to must be a postgres:\/\/ URL/);
    expect(notPostgres.stderr).not.toMatch(/hunter22/);
    const unreachable = await sqlite('migrate', '--to', 'postgres://gitlore:s3cretpass@127.0.0.1:1/none');
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr).toMatch(/Cannot connect to PostgreSQL at postgres:\/\/.*127\.0\.0\.1:1\/none/);
    expect(unreachable.stderr).not.toMatch(/s3cretpass/);
  });
});
