import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHistoryRepo, commitAs, type HistoryFixture } from '../fixtures/historyRepo.js';
import { runCli } from '../helpers/cli.js';
import { git, tempDir } from '../helpers/git.js';

/** `gitlore log` and `gitlore show` as a user runs them (the CLI in-process) on a temp data dir. */
let root: string;
let fx: HistoryFixture;
let clone: string;
const gitlore = (args: string[]) => runCli(args, { dataDir: join(root, 'data'), cwd: root });

beforeAll(async () => {
  root = tempDir('gitlore-history-cli-');
  fx = buildHistoryRepo(join(root, 'demo'));
  expect((await gitlore(['repo', 'add', fx.dir, '--name', 'demo'])).code).toBe(0);
  const sync = await gitlore(['sync']);
  expect(sync.code, sync.stderr).toBe(0);
  clone = JSON.parse((await gitlore(['repo', 'list', '--json'])).stdout).repos.find((r: { name: string }) => r.name === 'demo').localPath;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const gitLines = (args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' }).split('\n').filter(Boolean);

describe('gitlore log', () => {
  it('prints {total, commits} as JSON, matching git log for a path, with paging', async () => {
    const r = await gitlore(['log', '--repo', 'demo', '--path', 'src', '--limit', '2', '--offset', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const want = gitLines(['log', '--no-merges', '--format=%H', '--', 'src']);
    expect(out.total).toBe(want.length);
    expect(out.commits.map((c: { hash: string }) => c.hash)).toEqual(want.slice(1, 3));
    expect(Object.keys(out.commits[0]).sort()).toEqual(['author', 'date', 'email', 'hash', 'subject']);
    expect(out.semantics).toBe('default-simplification');
  });

  it('takes --full-history and says which history it listed, on stderr without --json', async () => {
    const r = await gitlore(['log', '--repo', 'demo', '--path', 'src', '--full-history', '--merges', '--limit', '1000', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.semantics).toBe('full-history');
    expect(out.commits.map((c: { hash: string }) => c.hash)).toEqual(gitLines(['log', '--full-history', '--format=%H', '--', 'src']));
    const text = await gitlore(['log', '--repo', 'demo', '--path', 'src', '--limit', '1']);
    expect(text.stderr).toContain('history: default-simplification');
  });

  it('supports author, dates, grep, oldest-first, merges, files and roots', async () => {
    const q = async (args: string[]) => JSON.parse((await gitlore(['log', '--repo', 'demo', '--json', '--limit', '100', ...args])).stdout);
    expect((await q(['--author', 'chen', '--oldest-first'])).commits.map((c: { hash: string }) => c.hash)).toEqual(
      gitLines(['log', '--no-merges', '-i', '--author=chen', '--reverse', '--format=%H']),
    );
    expect((await q(['--since', '2023-03-01', '--until', '2023-03-31'])).commits.map((c: { subject: string }) => c.subject)).toEqual([
      'Feature: cache invalidation',
      'Docs: explain configuration',
      'Feature: add cache layer',
    ]);
    expect((await q(['--grep', 'website', '--merges'])).commits[0].subject).toBe('Merge the website history');
    const withFiles = await q(['--path', 'src/config/parser.js', '--files', '--oldest-first']);
    expect(withFiles.commits[0].files).toEqual([{ status: 'R', path: 'src/config/parser.js', oldPath: 'src/parser.js' }]);
    expect((await q(['--roots', '--oldest-first'])).commits.map((c: { subject: string }) => c.subject)).toEqual([
      'Start the website',
      'Initial commit',
    ]);
  });

  it('prints readable lines without --json', async () => {
    const r = await gitlore(['log', '--repo', 'demo', '--limit', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{10} {2}2023-06-02T12:00:00\+05:30 {2}Chen Wei {2}Cache: tune sizes/);
  });

  it('fails with one line and exit 2 on bad input', async () => {
    const unknown = await gitlore(['log', '--repo', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('gitlore repo list');
    expect((await gitlore(['log', '--repo', 'demo', '--limit', 'lots'])).code).toBe(2);
    const since = await gitlore(['log', '--repo', 'demo', '--since', 'someday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since');
    expect((await gitlore(['log', '--help'])).stdout).toContain('--oldest-first');
  });
});

describe('gitlore show', () => {
  it('prints a commit with files and line counts as JSON, like git show --numstat', async () => {
    const hash = git(clone, ['rev-parse', 'HEAD']);
    const r = await gitlore(['show', 'demo', hash.slice(0, 7), '--json']);
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

  it('prints the patch with --patch, as git show --patch does', async () => {
    const hash = fx.commits.rename as string;
    const json = JSON.parse((await gitlore(['show', 'demo', hash, '--patch', '--json'])).stdout);
    const want = execFileSync('git', ['show', '--patch', '--format=', '--no-color', '--find-renames', hash], {
      cwd: clone,
      encoding: 'utf8',
    });
    expect(json.patch).toBe(want);
    expect(json.patchTruncated).toBe(false);
    const text = await gitlore(['show', 'demo', hash, '--patch']);
    expect(text.stdout).toContain('rename to src/config/parser.js');
    expect(text.stdout.trimEnd().endsWith(want.trimEnd())).toBe(true);
    expect(JSON.parse((await gitlore(['show', 'demo', hash, '--json'])).stdout).patch).toBeUndefined();
  });

  it('prints text, and exits 1 for an unknown commit', async () => {
    const text = await gitlore(['show', 'demo', fx.commits.rename as string]);
    expect(text.stdout).toContain('src/parser.js => src/config/parser.js');
    const missing = await gitlore(['show', 'demo', 'abcdef1234']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('gitlore log --repo demo');
  });
});

describe('a force-push between two syncs', () => {
  it('re-ingests the rewritten history through gitlore sync, without duplicates', async () => {
    const before = JSON.parse((await gitlore(['log', '--repo', 'demo', '--merges', '--limit', '1000', '--json'])).stdout);
    // Rewrite upstream: drop the last two commits and add a different one (as a force-push would).
    git(fx.dir, ['reset', '-q', '--hard', 'HEAD~2']);
    const fresh = commitAs(fx.dir, 'bob', '2023-06-10T10:00:00-07:00', 'Rewritten history: new tip', { 'src/tip.js': 'tip\n' });
    const sync = await gitlore(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    const after = JSON.parse((await gitlore(['log', '--repo', 'demo', '--merges', '--limit', '1000', '--json'])).stdout);
    const hashes = after.commits.map((c: { hash: string }) => c.hash);
    expect(hashes).toEqual(gitLines(['log', '--format=%H']));
    expect(hashes[0]).toBe(fresh);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(after.total).toBe(before.total - 1);
  });
});
