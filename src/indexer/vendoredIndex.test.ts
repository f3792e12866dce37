import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, git, makeRepo, tempDir } from '../../test/helpers/git.js';
import { search } from '../search/engine.js';
import { silentLogger } from '../shared/logger.js';
import type { RepoRecord, Store } from '../store/index.js';
import { openSqliteStore } from '../store/sqlite/sqliteStore.js';
import { indexRepository } from './indexRepo.js';

const OPTIONS = { maxFileBytes: 100_000, batchBytes: 1024 * 1024, log: silentLogger };
const stores: Store[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function indexed(files: Record<string, string>): Promise<{ store: Store; repo: RepoRecord; dir: string }> {
  const root = tempDir();
  const dir = join(root, 'repo');
  makeRepo(dir, files);
  const store = openSqliteStore(join(root, 'data', 'gitlore.db'));
  stores.push(store);
  const repo = await store.repos.upsert({
    name: 'proj',
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: 'proj',
    cloneUrl: dir,
    localPath: dir,
  });
  await indexRepository(store, repo, OPTIONS);
  return { store, repo, dir };
}

/** Each indexed file's vendored flag, read back through the chunks search returns. */
async function flags(store: Store, repo: RepoRecord): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const path of (await store.index.fileBlobs(repo.id)).keys()) {
    const fileId = (await store.index.fileId(repo.id, path))!;
    const [chunk] = await store.index.chunksAt(fileId, 1, 1_000_000);
    if (chunk) out[path] = chunk.vendored;
  }
  return out;
}

async function find(store: Store, repo: RepoRecord, query: string) {
  const hits = await search(
    { store },
    { query, mode: 'lexical', limit: 10, repos: [{ id: repo.id, name: repo.name, htmlUrl: null, commit: null }] },
  );
  return hits.map((h) => h.path);
}

/** The project's function, and the copy's: a closer match for the same words (its name holds them all). */
const OWN_POOL =
  'def acquire(size):\n    """Acquire a pooled connection, waiting while every connection of the pool is busy."""\n    return size\n';
const COPY_POOL = 'def connection_pool_acquire(size):\n    """Acquire a pooled connection (urllib3 pool manager)."""\n    return size\n';

describe('vendored copies', () => {
  it('flags a copy nested in the package and ranks it below the project code for the same words, yet finds it', async () => {
    const { store, repo } = await indexed({
      'setup.py': 'from setuptools import setup\nsetup(name="netlib", install_requires=["certifi"])\n',
      'netlib/__init__.py': '',
      'netlib/pool.py': OWN_POOL,
      'netlib/packages/__init__.py': '',
      'netlib/packages/urllib3/__init__.py': '',
      'netlib/packages/urllib3/pool.py': COPY_POOL,
      'netlib/lib/retry/LICENSE': 'MIT License\n',
      'netlib/lib/retry/retry.py': 'def next_attempt_delay(attempt):\n    """Delay before the next attempt."""\n    return attempt\n',
      'netlib/compat.py': '# Copied from https://github.com/benjaminp/six/blob/master/six.py\ndef add_metaclass(meta):\n    return meta\n',
      'netlib/backoff.py': 'def backoff_delay(attempt):\n    """Delay before the next attempt."""\n    return attempt\n',
    });
    expect(await flags(store, repo)).toEqual({
      'setup.py': false,
      'netlib/pool.py': false,
      'netlib/packages/urllib3/pool.py': true,
      'netlib/lib/retry/LICENSE': true,
      'netlib/lib/retry/retry.py': true,
      'netlib/compat.py': true,
      'netlib/backoff.py': false,
    });
    expect((await store.index.getState(repo.id))?.vendoredRoots).toEqual(['netlib/lib/retry', 'netlib/packages/urllib3']);
    // The same words in both, a closer match in the copy: the project's code first, the copy still found.
    expect((await find(store, repo, 'acquire a pooled connection')).slice(0, 2)).toEqual([
      'netlib/pool.py',
      'netlib/packages/urllib3/pool.py',
    ]);
    expect((await find(store, repo, 'next attempt')).slice(0, 2)).toEqual(['netlib/backoff.py', 'netlib/lib/retry/retry.py']);
    // Asked for by name, the copy is the answer.
    expect((await find(store, repo, 'urllib3 pool manager'))[0]).toBe('netlib/packages/urllib3/pool.py');
  });

  it('does not flag the packages of a monorepo', async () => {
    const { store, repo } = await indexed({
      'package.json': '{"name": "acme", "private": true, "workspaces": ["packages/*"], "dependencies": {"react": "18.0.0"}}\n',
      LICENSE: 'MIT License\n',
      'packages/core/package.json': '{"name": "@acme/core", "version": "1.0.0"}\n',
      'packages/core/LICENSE': 'MIT License\n',
      'packages/core/src/pool.ts': 'export function acquireConnection() {\n  return 1;\n}\n',
      'packages/react/package.json': '{"name": "@acme/react", "version": "1.0.0", "dependencies": {"react": "18.0.0"}}\n',
      'packages/react/src/react/hooks.ts': 'export function usePool() {\n  return 1;\n}\n',
      'crates/parser/Cargo.toml': '[package]\nname = "parser"\nversion = "0.1.0"\n',
      'crates/parser/src/lib.rs': 'pub fn parse() {}\n',
      'apps/web/package.json': '{"name": "web", "version": "0.0.0"}\n',
      'apps/web/main.ts': 'export const app = 1;\n',
    });
    expect(Object.values(await flags(store, repo)).some(Boolean)).toBe(false);
    expect((await store.index.getState(repo.id))?.vendoredRoots).toEqual([]);
  });

  it('rewrites the files whose folder became or stopped being a copy, their content unchanged', async () => {
    const { store, repo, dir } = await indexed({
      'app/__init__.py': '',
      'app/main.py': 'def main():\n    return 1\n',
      'app/lib/dates/parse.py': 'def parse_date(text):\n    return text\n',
    });
    expect((await flags(store, repo))['app/lib/dates/parse.py']).toBe(false);
    commitFiles(dir, { 'app/lib/dates/LICENSE': 'BSD License\n' }, 'bundle dates with its license');
    const flagged = await indexRepository(store, repo, OPTIONS);
    expect(flagged).toMatchObject({ added: 1, changed: 1 });
    expect(await flags(store, repo)).toMatchObject({ 'app/lib/dates/parse.py': true, 'app/main.py': false });
    rmSync(join(dir, 'app/lib/dates/LICENSE'));
    git(dir, ['commit', '-qam', 'drop the license']);
    const unflagged = await indexRepository(store, repo, OPTIONS);
    expect(unflagged).toMatchObject({ removed: 1, changed: 1 });
    expect((await flags(store, repo))['app/lib/dates/parse.py']).toBe(false);
  });
});
