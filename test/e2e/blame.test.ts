import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { blameRunner } from '../../src/core/blameRunner.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { addRepo } from '../../src/core/repos.js';
import { type SearchHit, searchCode } from '../../src/core/searchCode.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { buildBlameRepo } from '../fixtures/blameRepo.js';
import { runCli } from '../helpers/cli.js';
import { git, tempDir } from '../helpers/git.js';
import { openTestApp } from '../mcp/fixture.js';

/** Search hits' last change, the `gitlore blame` command, on a clone of a history with renames and four authors. */
let root: string;
let app: App;
let clone: string;

beforeAll(async () => {
  root = tempDir('gitlore-blame-e2e-');
  const { dir } = buildBlameRepo(join(root, 'upstream'));
  app = await openTestApp(join(root, 'data'), root);
  const ctx = createContext(app);
  await addRepo({ target: dir, name: 'proj' }, ctx);
  await syncRepos({ names: ['proj'] }, ctx);
  await indexRepos({ skipEmbeddings: true, skipHistory: true }, ctx);
  clone = (await app.store.repos.get('proj'))?.localPath as string;
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

/** What git says is the last change of a hit's lines: the newest by committer time of `git blame`'s line commits. */
function lastChangeByGit(hit: SearchHit): { hash: string; author: string; email: string; date: string; subject: string } {
  const out = git(clone, ['blame', '-l', '-s', '-L', `${hit.startLine},${hit.endLine}`, 'HEAD', '--', hit.path]);
  const hashes = [...new Set(out.split('\n').map((l) => l.replace(/^\^/, '').split(' ')[0] as string))];
  const rows = hashes.map((h) => git(clone, ['log', '-1', '--format=%H%x00%ct%x00%aN%x00%aE%x00%aI%x00%s', h]).split('\0'));
  const [hash = '', , author = '', email = '', date = '', subject = ''] = rows.reduce((best, row) =>
    Number(row[1]) > Number(best[1]) ? row : best,
  );
  return { hash, author, email, date, subject };
}

describe('search hits carry the last commit that changed their lines', () => {
  it('cold: a hit not blamed within the budget is pending, and the blame goes on to fill the cache; warm: every hit has it, as git says', async () => {
    const ctx = createContext(app);
    const query = { query: 'edit original', mode: 'lexical' as const, limit: 8 };
    const cold = await searchCode({ ...query, lastChangeBudgetMs: 0 }, ctx);
    expect(cold.results.length).toBeGreaterThan(3);
    // No time to wait: nothing is cached yet, so every hit says why it has no last change.
    for (const hit of cold.results) expect(hit).toMatchObject({ lastChangeStatus: 'pending' });
    for (const hit of cold.results) expect(hit.lastChange).toBeUndefined();
    await blameRunner.whenIdle();
    expect(await app.store.blame.count()).toBe(cold.results.length);

    const warm = await searchCode({ ...query, lastChangeBudgetMs: 0 }, ctx);
    expect(warm.results.map((h) => [h.path, h.startLine])).toEqual(cold.results.map((h) => [h.path, h.startLine]));
    for (const hit of warm.results) {
      expect(hit.lastChangeStatus, `${hit.path}:${hit.startLine}`).toBeUndefined();
      expect(hit.lastChange, `${hit.path}:${hit.startLine}-${hit.endLine}`).toEqual(lastChangeByGit(hit));
    }
    // Answered from the cache: nothing new was computed.
    expect(await app.store.blame.count()).toBe(cold.results.length);
    expect(new Set(warm.results.map((h) => h.lastChange?.hash)).size).toBeGreaterThan(1);
  });

  it('waits within a budget for the blames it starts', async () => {
    const ctx = createContext(app);
    const result = await searchCode(
      { query: 'helpers edit', mode: 'lexical', limit: 3, path: 'src/helpers.py', lastChangeBudgetMs: 20_000 },
      ctx,
    );
    expect(result.results.length).toBeGreaterThan(0);
    for (const hit of result.results) expect(hit.lastChange).toEqual(lastChangeByGit(hit));
  });

  it('says unavailable when the clone cannot answer, without failing the search', async () => {
    const repo = (await app.store.repos.get('proj'))!;
    const broken = await openTestApp(join(root, 'data'), root);
    try {
      await broken.store.repos.upsert({ ...repo, localPath: join(root, 'gone') });
      const result = await searchCode({ query: 'original', mode: 'lexical', limit: 3, lastChangeBudgetMs: 2000 }, createContext(broken));
      expect(result.results.length).toBeGreaterThan(0);
      for (const hit of result.results) expect(hit).toMatchObject({ lastChangeStatus: 'unavailable' });
    } finally {
      await broken.store.repos.upsert(repo);
      await broken.close();
    }
  });
});

describe('gitlore blame', () => {
  const gitlore = (args: string[]) => runCli(args, { dataDir: join(root, 'data'), cwd: root });

  it('prints each line with its commit, as git blame -L does, and --json with groups, commits and the last change', async () => {
    const r = await gitlore(['blame', 'proj', 'src/helpers.py', '-L', '3,+10']);
    expect(r.code, r.stderr).toBe(0);
    const ours = r.stdout.trimEnd().split('\n');
    // `-f`: git names the original path only on some lines otherwise (those from before the rename).
    const theirs = git(clone, ['blame', '-s', '-f', '-n', '-L', '3,12', 'HEAD', '--', 'src/helpers.py']).split('\n');
    expect(ours).toHaveLength(10);
    ours.forEach((line, i) => {
      const mine = /^\^?([0-9a-f]{7,8}) (.+?) (\d{4}-\d\d-\d\d) +(\d+) {2}(.*)$/.exec(line);
      const fromGit = /^\^?([0-9a-f]+) (\S+) +(\d+) +(\d+)\) (.*)$/.exec(theirs[i] ?? '');
      expect(mine, line).not.toBeNull();
      expect(fromGit?.[1]?.startsWith(mine?.[1] ?? '-'), line).toBe(true);
      expect([mine?.[4], mine?.[5]]).toEqual([fromGit?.[4], fromGit?.[5]]);
    });
    const json = JSON.parse((await gitlore(['blame', 'proj', 'src/helpers.py', '-L', '3,12', '--json'])).stdout);
    expect(json).toMatchObject({ repo: 'proj', path: 'src/helpers.py', startLine: 3, endLine: 12 });
    const lines = json.groups.reduce((n: number, g: { startLine: number; endLine: number }) => n + g.endLine - g.startLine + 1, 0);
    expect(lines).toBe(10);
    expect(json.commits.map((c: { hash: string }) => c.hash)).toContain(json.lastChange.hash);
    expect(json.groups.some((g: { origPath: string }) => g.origPath === 'src/util.py')).toBe(true);
  });

  it('refuses a bad range with exit 2 and a missing file with its own message', async () => {
    const bad = await gitlore(['blame', 'proj', 'src/helpers.py', '-L', '9,3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/-L 9,3/);
    const missing = await gitlore(['blame', 'proj', 'nope.py']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No file nope\.py/);
  });

  it('shows the last change under each search hit', async () => {
    const r = await gitlore(['search', 'helpers edit', '--mode', 'lexical', '--path', 'src/helpers.py', '--limit', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\n {4}[0-9a-f]{8} \d{4}-\d\d-\d\d [^:]+: \S/);
  });
});
