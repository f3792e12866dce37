import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { commitTimeline, getCommitDetail, getContributors, lastChange, type TimelineParams } from '../../src/core/history.js';
import { createServices } from '../../src/core/services.js';
import { getCommitTool } from '../../src/core/tools/getCommit.js';
import { getCommitTimelineTool } from '../../src/core/tools/getCommitTimeline.js';
import { getContributorsTool } from '../../src/core/tools/getContributors.js';
import { readPatch } from '../../src/history/index.js';
import { HISTORY_FORMAT_VERSION } from '../../src/history/ingest.js';
import { silentLogger } from '../../src/shared/logger.js';
import { buildMergeHistoryRepo, type MergeHistoryFixture } from '../fixtures/mergeHistoryRepo.js';
import { BACKENDS, openBackendStore } from '../helpers/backends.js';
import { git, tempDir } from '../helpers/git.js';

/** Every answer is compared with git's own for the same path, under each history semantics. */
let root: string;
let fx: MergeHistoryFixture;
let app: App;
const repo = 'merges';

const gitLines = (args: string[]) =>
  git(fx.dir, ['--literal-pathspecs', ...args])
    .split('\n')
    .filter(Boolean);
const logOf = (args: string[], path: string) => gitLines(['log', ...args, '--format=%H', 'HEAD', '--', path]);
const hashes = async (params: Omit<TimelineParams, 'repo'>) =>
  (await commitTimeline({ repo, limit: 10_000, ...params }, createContext(app))).commits.map((c) => c.hash);
const shortlog = (args: string[], path?: string) =>
  gitLines(['shortlog', '-sn', ...args, 'HEAD', ...(path ? ['--', path] : [])]).map((l) => l.trim().replace(/^(\d+)\t(.*)$/, '$2:$1'));

/** Every path the history touched, under both names of a rename, and every folder above them. */
function allPaths(): string[] {
  const files = [...new Set(gitLines(['log', '--format=', '--name-only', '--no-renames', 'HEAD']))];
  const folders = files.flatMap((f) =>
    f
      .split('/')
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
  );
  return [...new Set([...files, ...folders, 'nowhere'])].sort();
}

describe.each(BACKENDS)('history semantics on %s', (backend) => {
  let closeStore: () => Promise<void>;

  beforeAll(async () => {
    root = tempDir('gitlore-history-sem-');
    fx = buildMergeHistoryRepo(join(root, 'merges'));
    const config = loadConfig({ flags: { dataDir: join(root, 'data') }, env: {}, cwd: root });
    const { store, close } = await openBackendStore(backend, { dbPath: config.dbPath, reposPath: config.reposPath });
    closeStore = close;
    await store.repos.upsert({
      name: repo,
      sourceType: 'local',
      sourceKey: 'manual',
      fullName: 'acme/merges',
      cloneUrl: fx.dir,
      localPath: fx.dir,
    });
    app = await createServices(config, { store, log: silentLogger });
  });

  afterAll(async () => {
    await closeStore?.();
    rmSync(root, { recursive: true, force: true });
  });

  it('has a fixture where the semantics disagree (else the comparisons below prove little)', () => {
    const differs = (path: string) => logOf(['--no-merges'], path).join() !== logOf(['--no-merges', '--full-history'], path).join();
    expect(['a.txt', 'lib/x.txt', 'd.txt', 'lib'].filter(differs)).toEqual(['a.txt', 'lib/x.txt', 'd.txt', 'lib']);
    expect(logOf([], 'lib/y.txt')).toContain(fx.commits.mergeConflict);
    expect(logOf(['--full-history'], 'b.txt')).toContain(fx.commits.mergeOnlySide);
    expect(logOf([], 'b.txt')).not.toContain(fx.commits.mergeOnlySide);
    expect(logOf(['--no-merges'], 'd.txt')).not.toContain(fx.commits.mainD);
  });

  it('lists the commits of every path as git log -- path does, with and without merges', async () => {
    for (const path of allPaths()) {
      expect({ path, hashes: await hashes({ path }) }).toEqual({ path, hashes: logOf(['--no-merges'], path) });
      expect({ path, merges: await hashes({ path, merges: true }) }).toEqual({ path, merges: logOf([], path) });
    }
  });

  it('lists them as git log --full-history -- path does when asked', async () => {
    for (const path of allPaths()) {
      expect({ path, full: await hashes({ path, fullHistory: true }) }).toEqual({
        path,
        full: logOf(['--no-merges', '--full-history'], path),
      });
      expect({ path, fullMerges: await hashes({ path, fullHistory: true, merges: true }) }).toEqual({
        path,
        fullMerges: logOf(['--full-history'], path),
      });
    }
  });

  it('keeps the other filters, counts and pages over the simplified history', async () => {
    const path = 'lib';
    const want = logOf(['--no-merges', '--author=Bob'], path);
    expect(want.length).toBeGreaterThan(0);
    const page = await commitTimeline({ repo, path, author: 'bob', limit: 1, offset: 1 }, createContext(app));
    expect(page.total).toBe(want.length);
    expect(page.commits.map((c) => c.hash)).toEqual(want.slice(1, 2));
    const oldest = await hashes({ path, merges: true, order: 'oldest' });
    expect(oldest).toEqual(logOf([], path).reverse());
  });

  it('finds the last change as git log -1 -- path does, merges included', async () => {
    for (const path of allPaths()) {
      const last = await lastChange({ repo, path }, createContext(app));
      expect({ path, last: last.commit?.hash ?? null }).toEqual({ path, last: logOf(['-1'], path)[0] ?? null });
    }
    expect((await lastChange({ repo, path: 'lib/y.txt' }, createContext(app))).commit?.hash).toBe(fx.commits.mergeConflict);
  });

  it('says which semantics each answer used', async () => {
    const at = async (params: Omit<TimelineParams, 'repo'>) => (await commitTimeline({ repo, ...params }, createContext(app))).semantics;
    expect(await at({})).toBe('all-commits');
    expect(await at({ path: 'a.txt' })).toBe('default-simplification');
    expect(await at({ path: 'a.txt', fullHistory: true })).toBe('full-history');
    expect(await at({ path: 'f/e.txt', follow: true })).toBe('follow-renames');
    const tool = await getCommitTimelineTool.execute({ repo, path: 'a.txt', fullHistory: true }, createContext(app));
    expect(() => z.object(getCommitTimelineTool.outputSchema).parse(tool)).not.toThrow();
    expect(getCommitTimelineTool.toText(tool)).toContain('full-history');
    const people = await getContributorsTool.execute({ repo, path: 'lib', groupBy: 'email' }, createContext(app));
    expect(() => z.object(getContributorsTool.outputSchema).parse(people)).not.toThrow();
    expect(people).toMatchObject({ semantics: 'default-simplification', groupBy: 'email', merges: false });
  });

  it('ranks contributors as git shortlog -sn groups them, with and without merges, by name or by email', async () => {
    const ours = async (params: { path?: string; merges?: boolean; fullHistory?: boolean; groupBy?: 'name' | 'email' | 'identity' }) =>
      (await getContributors({ repo, limit: 1000, ...params }, createContext(app))).contributors.map(
        (c) => `${params.groupBy === 'email' ? c.email : params.groupBy === 'identity' ? `${c.name} <${c.email}>` : c.name}:${c.commits}`,
      );
    for (const path of [undefined, ...allPaths()]) {
      expect({ path, c: await ours({ path }) }).toEqual({ path, c: shortlog(['--no-merges'], path) });
      expect({ path, merges: await ours({ path, merges: true }) }).toEqual({ path, merges: shortlog([], path) });
      expect({ path, email: await ours({ path, groupBy: 'email' }) }).toEqual({
        path,
        email: shortlog(['--no-merges', '--group=format:%aE'], path),
      });
      expect({ path, identity: await ours({ path, groupBy: 'identity' }) }).toEqual({
        path,
        identity: shortlog(['--no-merges', '-e'], path),
      });
      if (path) {
        expect({ path, full: await ours({ path, fullHistory: true, merges: true }) }).toEqual({
          path,
          full: shortlog(['--full-history'], path),
        });
      }
    }
  });

  it('shows a commit’s patch, from git, and cuts a large one with a marker', async () => {
    const detail = await getCommitDetail({ repo, hash: fx.commits.mainD as string, patch: true }, createContext(app));
    expect(detail.patch).toBe(
      `${git(fx.dir, ['show', '--patch', '--format=', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', fx.commits.mainD as string])}\n`,
    );
    expect(detail.patchTruncated).toBe(false);
    const merge = await getCommitTool.execute({ repo, hash: fx.commits.mergeConflict as string, patch: true }, createContext(app));
    expect(merge.patch).toContain('+y both');
    expect(merge.patch).toContain('-y main');
    expect(getCommitTool.toText(merge)).toContain('+y both');
    const plain = await getCommitDetail({ repo, hash: fx.commits.mainD as string }, createContext(app));
    expect(plain.patch).toBeUndefined();
    const whole = await readPatch(fx.dir, { hash: fx.commits.root as string, parents: [] });
    const cut = await readPatch(fx.dir, { hash: fx.commits.root as string, parents: [] }, { maxBytes: 200 });
    expect(whole.truncated).toBe(false);
    expect(cut.truncated).toBe(true);
    const [kept, marker] = [cut.text.slice(0, cut.text.lastIndexOf('[gitlore:')), cut.text.slice(cut.text.lastIndexOf('[gitlore:'))];
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept.endsWith('\n')).toBe(true);
    expect(whole.text.startsWith(kept)).toBe(true);
    expect(marker).toMatch(/^\[gitlore: patch truncated after .* KB \(limit 0 KB\); run `git show [0-9a-f]{40}` for the rest\]\n$/);
  });

  it('re-ingests a history stored before merges had their paths', async () => {
    const repoId = (await app.store.repos.get(repo))?.id as number;
    const state = await app.store.history.getState(repoId);
    expect(state?.formatVersion).toBe(HISTORY_FORMAT_VERSION);
    await app.store.history.setState(repoId, {
      head: state?.head ?? null,
      mailmapHash: state?.mailmapHash ?? null,
      ingestedAt: 'old',
      formatVersion: 1,
    });
    const merges = gitLines(['rev-list', '--merges', 'HEAD']);
    // A new commit makes the next query ingest; the old format makes it start over, merges' paths included.
    git(fx.dir, ['commit', '-q', '--allow-empty', '-m', 'empty']);
    await app.store.repos.updateSync(repoId, { headCommit: git(fx.dir, ['rev-parse', 'HEAD']) });
    expect(await hashes({ path: 'lib', merges: true })).toEqual(logOf([], 'lib'));
    expect((await app.store.history.getState(repoId))?.formatVersion).toBe(HISTORY_FORMAT_VERSION);
    const touches = await app.store.history.pathTouches(repoId, 'lib');
    expect(touches.merges.length).toBeGreaterThan(0);
    expect(touches.merges.length).toBeLessThanOrEqual(merges.length);
  });
  it('approximates, and says so, when the clone is gone', async () => {
    const moved = `${fx.dir}-moved`;
    renameSync(fx.dir, moved);
    try {
      // After the re-ingest above: answers are cached per stored head, so this one is computed afresh.
      const out = await commitTimeline({ repo, path: 'lib/y.txt', merges: true, fullHistory: true }, createContext(app));
      expect(out.semantics).toBe('full-history');
      expect(out.semanticsNote).toMatch(/approximate/);
      await expect(getCommitDetail({ repo, hash: fx.commits.mainD as string, patch: true }, createContext(app))).rejects.toThrow(
        /no clone/,
      );
    } finally {
      renameSync(moved, fx.dir);
    }
  });
});
