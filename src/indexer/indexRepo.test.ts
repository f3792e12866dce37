import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitFiles, git, makeRepo, tempDir } from '../../test/helpers/git.js';
import { search } from '../search/engine.js';
import { silentLogger } from '../shared/logger.js';
import type { RepoRecord, Store } from '../store/index.js';
import { openSqliteStore } from '../store/sqlite/sqliteStore.js';
import { INDEX_FORMAT_VERSION, indexRepository } from './indexRepo.js';

let store: Store;
let repoDir: string;
let repo: RepoRecord;

const OPTIONS = { maxFileBytes: 100_000, batchBytes: 1024 * 1024, log: silentLogger };

async function paths(): Promise<string[]> {
  return [...(await store.index.fileBlobs(repo.id)).keys()].sort();
}

async function find(query: string, mode: 'lexical' | 'symbol' | 'regex' = 'lexical') {
  return search({ store }, { query, mode, limit: 10, repos: [{ id: repo.id, name: 'r', htmlUrl: null, commit: null }] });
}

beforeEach(async () => {
  const dir = tempDir();
  repoDir = join(dir, 'repo');
  makeRepo(repoDir, {
    'src/alpha.ts': 'export function alphaHandler() {\n  return "alpha";\n}\n',
    'src/beta.py': 'def beta_worker():\n    """Process the beta queue."""\n    return 1\n',
    'README.md': '# Project\n\nAbout the project.\n',
  });
  store = openSqliteStore(join(dir, 'data', 'gitlore.db'));
  repo = await store.repos.upsert({
    name: 'r',
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: 'r',
    cloneUrl: repoDir,
    localPath: repoDir,
  });
});

afterEach(async () => {
  await store.close();
});

describe('indexRepository', () => {
  it('indexes a repo, records its commit, and a rerun at the same commit does nothing', async () => {
    const first = await indexRepository(store, repo, OPTIONS);
    expect(first).toMatchObject({ status: 'indexed', added: 3, changed: 0, removed: 0 });
    const head = git(repoDir, ['rev-parse', 'HEAD']);
    expect((await store.index.getState(repo.id))?.commit).toBe(head);
    expect((await find('alphaHandler', 'symbol'))[0]).toMatchObject({ path: 'src/alpha.ts', startLine: 1, endLine: 3 });
    const second = await indexRepository(store, repo, OPTIONS);
    expect(second.status).toBe('unchanged');
  });

  it('re-chunks only added and changed files, drops deleted ones, follows renames', async () => {
    await indexRepository(store, repo, OPTIONS);
    commitFiles(
      repoDir,
      { 'src/alpha.ts': 'export function alphaRenamedThing() {\n  return 2;\n}\n', 'src/gamma.go': 'package g\n\nfunc Gamma() {}\n' },
      'change',
    );
    git(repoDir, ['rm', '-q', 'README.md']);
    git(repoDir, ['mv', 'src/beta.py', 'src/beta2.py']);
    git(repoDir, ['commit', '-q', '-m', 'rename and delete']);
    const result = await indexRepository(store, repo, OPTIONS);
    expect(result).toMatchObject({ added: 2, changed: 1, removed: 2 });
    expect(await paths()).toEqual(['src/alpha.ts', 'src/beta2.py', 'src/gamma.go']);
    expect(await find('alphaHandler', 'symbol')).toEqual([]);
    expect((await find('alphaRenamedThing', 'symbol'))[0]?.path).toBe('src/alpha.ts');
    expect((await find('beta queue'))[0]?.path).toBe('src/beta2.py');
  });

  it('indexes an empty repository (no commit yet) as empty, then its first commit', async () => {
    const parent = tempDir();
    const emptyDir = join(parent, 'empty');
    git(parent, ['init', '-q', '-b', 'main', emptyDir]);
    const empty = await store.repos.upsert({
      name: 'empty',
      sourceType: 'local',
      sourceKey: 'empty',
      fullName: 'empty',
      cloneUrl: emptyDir,
      localPath: emptyDir,
    });
    const first = await indexRepository(store, empty, OPTIONS);
    expect(first).toMatchObject({ commit: null, files: 0, chunks: 0 });
    expect((await store.index.getState(empty.id))?.status).toBe('ok');
    commitFiles(emptyDir, { 'a.py': 'def first():\n    return 1\n' }, 'first');
    const second = await indexRepository(store, empty, OPTIONS);
    expect(second).toMatchObject({ commit: git(emptyDir, ['rev-parse', 'HEAD']), added: 1 });
  });

  it('drops a file that turns binary, and skips vendored and oversized files', async () => {
    await indexRepository(store, repo, OPTIONS);
    writeFileSync(join(repoDir, 'src/alpha.ts'), Buffer.from([0x00, 0x01, 0x02, 0x00, 0x50]));
    commitFiles(
      repoDir,
      { 'node_modules/dep/index.js': 'function vendored() {}\n', 'big.txt': 'x'.repeat(200_000), 'yarn.lock': 'lock\n' },
      'binary',
    );
    await indexRepository(store, repo, OPTIONS);
    expect(await paths()).toEqual(['README.md', 'src/beta.py']);
  });

  it('follows a force-push to unrelated history', async () => {
    await indexRepository(store, repo, OPTIONS);
    git(repoDir, ['checkout', '-q', '--orphan', 'other']);
    git(repoDir, ['rm', '-r', '-f', '-q', '.']);
    commitFiles(repoDir, { 'lib/new.js': 'function brandNewThing() { return 1; }\n' }, 'rewritten');
    const result = await indexRepository(store, repo, OPTIONS);
    expect(result.removed).toBe(3);
    expect(await paths()).toEqual(['lib/new.js']);
    expect((await store.index.getState(repo.id))?.commit).toBe(git(repoDir, ['rev-parse', 'HEAD']));
  });

  it('a run killed midway leaves the last complete index queryable and the next run resumes', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i += 1) files[`gen/file${i}.ts`] = `export function generated${i}() {\n  return ${i};\n}\n`;
    await indexRepository(store, repo, OPTIONS);
    const firstCommit = (await store.index.getState(repo.id))?.commit;
    commitFiles(repoDir, files, 'many');
    const controller = new AbortController();
    await expect(
      indexRepository(store, repo, {
        ...OPTIONS,
        batchBytes: 1, // one transaction per file
        signal: controller.signal,
        onFile: (done) => {
          if (done === 15) controller.abort();
        },
      }),
    ).rejects.toThrow();
    // The old commit is still recorded, the old files are still searchable, part of the new ones are in.
    const state = await store.index.getState(repo.id);
    expect(state?.commit).toBe(firstCommit);
    expect((await find('alphaHandler', 'symbol')).length).toBe(1);
    const partial = (await paths()).filter((p) => p.startsWith('gen/')).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(40);
    const resumed = await indexRepository(store, repo, OPTIONS);
    expect(resumed.added).toBe(40 - partial);
    expect((await paths()).filter((p) => p.startsWith('gen/')).length).toBe(40);
    expect((await store.index.getState(repo.id))?.commit).toBe(git(repoDir, ['rev-parse', 'HEAD']));
  });

  it('re-chunks every file once when the index was built by an older chunker version', async () => {
    await indexRepository(store, repo, OPTIONS);
    expect((await store.index.getState(repo.id))?.formatVersion).toBe(INDEX_FORMAT_VERSION);
    await store.index.setState(repo.id, { formatVersion: INDEX_FORMAT_VERSION - 1 });
    const rerun = await indexRepository(store, repo, OPTIONS);
    expect(rerun.status).not.toBe('unchanged');
    expect(rerun.added + rerun.changed).toBe(3);
    expect((await store.index.getState(repo.id))?.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect((await indexRepository(store, repo, OPTIONS)).status).toBe('unchanged');
    expect((await find('alphaHandler', 'symbol'))[0]).toMatchObject({ path: 'src/alpha.ts' });
  });

  it('--full rebuilds from scratch', async () => {
    await indexRepository(store, repo, OPTIONS);
    const result = await indexRepository(store, repo, { ...OPTIONS, full: true });
    expect(result).toMatchObject({ added: 3, changed: 0, removed: 0 });
  });

  it('regex search uses the trigram prefilter and reports exact lines', async () => {
    await indexRepository(store, repo, OPTIONS);
    const hits = await find('return "al+pha"', 'regex');
    expect(hits).toMatchObject([{ path: 'src/alpha.ts', startLine: 2, endLine: 2, kind: 'match' }]);
  });
});
