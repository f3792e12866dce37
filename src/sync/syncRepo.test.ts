import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, git, makeRepo, tempDir } from '../../test/helpers/git.js';
import { silentLogger } from '../shared/logger.js';
import { openStore, type RepoRecord, type Store } from '../store/index.js';
import { syncRepo } from './syncRepo.js';

let root: string;
let store: Store;

beforeAll(async () => {
  root = tempDir('gitlore-syncrepo-');
  store = await openStore({ dbPath: join(root, 'db', 'gitlore.db') });
});

afterAll(async () => {
  await store?.close();
});

async function register(name: string, cloneUrl: string): Promise<RepoRecord> {
  return store.repos.upsert({
    name,
    sourceType: 'git',
    sourceKey: 'manual',
    fullName: name,
    cloneUrl,
    localPath: join(root, 'repos', name),
  });
}

const options = (extra: Partial<Parameters<typeof syncRepo>[1]> = {}) => ({
  store: store.repos,
  log: silentLogger,
  reposPath: join(root, 'repos'),
  freshPushedAt: false,
  timeoutMs: 30_000,
  retries: 0,
  retryBaseMs: 10,
  ...extra,
});

async function fresh(name: string): Promise<RepoRecord> {
  return (await store.repos.get(name)) as RepoRecord;
}

describe('syncRepo', () => {
  it('clones an empty upstream, then picks up its first commit', async () => {
    const bare = join(root, 'srv', 'empty.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    const first = await syncRepo(await register('empty', `file://${bare}`), options());
    expect(first).toMatchObject({ status: 'cloned', headCommit: null });
    const again = await syncRepo(await fresh('empty'), options());
    expect(again.status).toBe('unchanged');

    const work = join(root, 'work', 'empty');
    makeRepo(work, { 'a.txt': 'a' });
    git(work, ['push', '-q', bare, 'HEAD:main']);
    const sha = git(work, ['rev-parse', 'HEAD']);
    const third = await syncRepo(await fresh('empty'), options());
    expect(third).toMatchObject({ status: 'updated', headCommit: sha });
    expect(await fresh('empty')).toMatchObject({ syncStatus: 'ok', headCommit: sha, defaultBranch: 'main', syncError: null });
  });

  it('records a failure after the retries, leaves no temp folder and never throws', async () => {
    const repo = await register('missing', `file://${join(root, 'srv', 'nope.git')}`);
    const started = Date.now();
    const result = await syncRepo(repo, options({ retries: 2, retryBaseMs: 50 }));
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/`git clone .*nope\.git .*` failed/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // 50 + 100 ms of backoff
    expect(await fresh('missing')).toMatchObject({ syncStatus: 'failed', syncError: result.error });
    expect(readdirSync(join(root, 'repos', '.tmp'))).toEqual([]);
  });

  it('replaces a folder that is not a complete clone, and shares one run between concurrent callers', async () => {
    const work = join(root, 'work', 'lib');
    const sha = makeRepo(work, { 'lib.js': 'x' });
    const repo = await register('lib', work);
    mkdirSync(join(root, 'repos', 'lib', '.git'), { recursive: true });
    writeFileSync(join(root, 'repos', 'lib', 'junk.txt'), 'half-written');
    const [a, b] = await Promise.all([syncRepo(repo, options()), syncRepo(repo, options())]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ status: 'cloned', headCommit: sha });
    expect(existsSync(join(root, 'repos', 'lib', 'junk.txt'))).toBe(false);
    const next = commitFiles(work, { 'lib.js': 'y' }, 'y');
    expect(await syncRepo(await fresh('lib'), options())).toMatchObject({ status: 'updated', headCommit: next });
  });

  it('follows an upstream checked out at a detached commit, also over a clone the store does not know yet', async () => {
    const work = join(root, 'work', 'detached');
    const first = makeRepo(work, { 'a.py': 'one' });
    const second = commitFiles(work, { 'a.py': 'two' }, 'two');
    git(work, ['checkout', '-q', '--detach', first]);
    const cloned = await syncRepo(await register('detached', work), options());
    expect(cloned).toMatchObject({ status: 'cloned', headCommit: first });
    // A new database over the same clones (what `gitlore migrate` or a rebuilt store sees): the branch is at `second`.
    await store.repos.updateSync((await fresh('detached')).id, { syncStatus: 'failed', headCommit: null, defaultBranch: null });
    expect(await syncRepo(await fresh('detached'), options())).toMatchObject({ headCommit: first });
    expect(git(join(root, 'repos', 'detached'), ['rev-parse', 'HEAD'])).toBe(first);
    git(work, ['checkout', '-q', '--detach', second]);
    expect(await syncRepo(await fresh('detached'), options())).toMatchObject({ status: 'updated', headCommit: second });
  });

  it('reports git transfer progress while cloning', async () => {
    const work = join(root, 'work', 'big');
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`f${i}.txt`] = `file ${i}\n`.repeat(20);
    makeRepo(work, files);
    const events: { phase: string; percent: number | null }[] = [];
    const result = await syncRepo(await register('big', `file://${work}`), options({ onProgress: (p) => events.push(p) }));
    expect(result.status).toBe('cloned');
    expect(events.some((e) => /objects/i.test(e.phase) && e.percent === 100)).toBe(true);
  });
});
