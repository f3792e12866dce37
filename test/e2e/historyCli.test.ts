import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHistoryRepo, commitAs, type HistoryFixture } from '../fixtures/historyRepo.js';
import { git, tempDir } from '../helpers/git.js';

/** `gitlore log` and `gitlore show` as a user runs them: a real process on a temp data dir. */
let root: string;
let fx: HistoryFixture;
let clone: string;
const main = join(import.meta.dirname, '../../src/main.ts');
// tsx's loader by absolute URL, so the CLI runs from source whatever the working directory.
const tsx = pathToFileURL(join(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs')).href;

function gitlore(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', tsx, main, ...args], {
    env: { ...process.env, GITLORE_DATA_DIR: join(root, 'data'), GITHUB_ORG: '', GITHUB_USER: '', GITHUB_TOKEN: '', GH_TOKEN: '' },
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  root = tempDir('gitlore-history-cli-');
  fx = buildHistoryRepo(join(root, 'demo'));
  expect(gitlore(['repo', 'add', fx.dir, '--name', 'demo']).code).toBe(0);
  const sync = gitlore(['sync']);
  expect(sync.code, sync.stderr).toBe(0);
  clone = JSON.parse(gitlore(['repo', 'list', '--json']).stdout).repos.find((r: { name: string }) => r.name === 'demo').localPath;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const gitLines = (args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' }).split('\n').filter(Boolean);

describe('gitlore log', () => {
  it('prints {total, commits} as JSON, matching git log for a path, with paging', () => {
    const r = gitlore(['log', '--repo', 'demo', '--path', 'src', '--limit', '2', '--offset', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const want = gitLines(['log', '--no-merges', '--full-history', '--format=%H', '--', 'src']);
    expect(out.total).toBe(want.length);
    expect(out.commits.map((c: { hash: string }) => c.hash)).toEqual(want.slice(1, 3));
    expect(Object.keys(out.commits[0]).sort()).toEqual(['author', 'date', 'email', 'hash', 'subject']);
  });

  it('supports author, dates, grep, oldest-first, merges, files and roots', () => {
    const q = (args: string[]) => JSON.parse(gitlore(['log', '--repo', 'demo', '--json', '--limit', '100', ...args]).stdout);
    expect(q(['--author', 'chen', '--oldest-first']).commits.map((c: { hash: string }) => c.hash)).toEqual(
      gitLines(['log', '--no-merges', '-i', '--author=chen', '--reverse', '--format=%H']),
    );
    expect(q(['--since', '2023-03-01', '--until', '2023-03-31']).commits.map((c: { subject: string }) => c.subject)).toEqual([
      'Feature: cache invalidation',
      'Docs: explain configuration',
      'Feature: add cache layer',
    ]);
    expect(q(['--grep', 'website', '--merges']).commits[0].subject).toBe('Merge the website history');
    const withFiles = q(['--path', 'src/config/parser.js', '--files', '--oldest-first']);
    expect(withFiles.commits[0].files).toEqual([{ status: 'R', path: 'src/config/parser.js', oldPath: 'src/parser.js' }]);
    expect(q(['--roots', '--oldest-first']).commits.map((c: { subject: string }) => c.subject)).toEqual([
      'Start the website',
      'Initial commit',
    ]);
  });

  it('prints readable lines without --json', () => {
    const r = gitlore(['log', '--repo', 'demo', '--limit', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{10} {2}2023-06-02T12:00:00\+05:30 {2}Chen Wei {2}Cache: tune sizes/);
  });

  it('fails with one line and exit 2 on bad input', () => {
    const unknown = gitlore(['log', '--repo', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('gitlore repo list');
    expect(gitlore(['log', '--repo', 'demo', '--limit', 'lots']).code).toBe(2);
    const since = gitlore(['log', '--repo', 'demo', '--since', 'someday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since');
    expect(gitlore(['log', '--help']).stdout).toContain('--oldest-first');
  });
});

describe('gitlore show', () => {
  it('prints a commit with files and line counts as JSON, like git show --numstat', () => {
    const hash = git(clone, ['rev-parse', 'HEAD']);
    const r = gitlore(['show', 'demo', hash.slice(0, 7), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.hash).toBe(hash);
    expect(c.date).toBe(git(clone, ['log', '-1', '--format=%aI']));
    const numstat = gitLines(['show', '--numstat', '--format=', hash]).map((l) => l.split('\t'));
    expect(
      c.files.map((f: { path: string; added: number; removed: number }) => [String(f.added), String(f.removed), f.path]).sort(),
    ).toEqual(numstat.sort());
    expect(c.message).toBe('Cache: tune sizes and fix the parser again');
  });

  it('prints text, and exits 1 for an unknown commit', () => {
    const text = gitlore(['show', 'demo', fx.commits.rename as string]);
    expect(text.stdout).toContain('src/parser.js => src/config/parser.js');
    const missing = gitlore(['show', 'demo', 'abcdef1234']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('gitlore log --repo demo');
  });
});

describe('a force-push between two syncs', () => {
  it('re-ingests the rewritten history through gitlore sync, without duplicates', () => {
    const before = JSON.parse(gitlore(['log', '--repo', 'demo', '--merges', '--limit', '1000', '--json']).stdout);
    // Rewrite upstream: drop the last two commits and add a different one (as a force-push would).
    git(fx.dir, ['reset', '-q', '--hard', 'HEAD~2']);
    const fresh = commitAs(fx.dir, 'bob', '2023-06-10T10:00:00-07:00', 'Rewritten history: new tip', { 'src/tip.js': 'tip\n' });
    const sync = gitlore(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    const after = JSON.parse(gitlore(['log', '--repo', 'demo', '--merges', '--limit', '1000', '--json']).stdout);
    const hashes = after.commits.map((c: { hash: string }) => c.hash);
    expect(hashes).toEqual(gitLines(['log', '--format=%H']));
    expect(hashes[0]).toBe(fresh);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(after.total).toBe(before.total - 1);
  });
});
