import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, tempDir } from '../../test/helpers/git.js';
import { assertNoCredentials, isRemoteUrl, listLocalRepos, nameFromUrl, repoFilter } from './index.js';
import type { DiscoveredRepo } from './types.js';

describe('git URLs', () => {
  it('names a repository after the last path segment without .git', () => {
    expect(nameFromUrl('https://github.com/expressjs/express.git')).toBe('express');
    expect(nameFromUrl('git@github.com:acme/api.git')).toBe('api');
    expect(nameFromUrl('ssh://git@host:22/srv/tools/')).toBe('tools');
    expect(nameFromUrl('file:///srv/git/lib.git')).toBe('lib');
  });

  it('tells URLs from paths and refuses URLs with credentials', () => {
    expect(isRemoteUrl('https://x/y.git')).toBe(true);
    expect(isRemoteUrl('git@host:a/b')).toBe(true);
    expect(isRemoteUrl('./some/folder')).toBe(false);
    expect(() => assertNoCredentials('https://user:tok@github.com/a/b.git')).toThrow(/credentials/);
    expect(() => assertNoCredentials('https://github.com/a/b.git')).not.toThrow();
  });
});

describe('local sources', () => {
  it('finds a repository, the repositories inside a folder, and glob matches', () => {
    const root = tempDir('gitlore-local-');
    makeRepo(join(root, 'one'), { a: 'a' });
    makeRepo(join(root, 'two'), { b: 'b' });
    makeRepo(join(root, 'nested', 'three'), { c: 'c' });
    expect(listLocalRepos(join(root, 'one'), { sourceKey: 'k', name: 'renamed' }).map((r) => r.name)).toEqual(['renamed']);
    expect(listLocalRepos(root, { sourceKey: 'k' }).map((r) => r.name)).toEqual(['one', 'two']);
    expect(listLocalRepos(join(root, '*', 'three'), { sourceKey: 'k' }).map((r) => r.cloneUrl)).toEqual([join(root, 'nested', 'three')]);
    expect(listLocalRepos(join(root, 'missing'), { sourceKey: 'k' })).toEqual([]);
  });
});

describe('repoFilter', () => {
  const r = (fullName: string, extra: Partial<DiscoveredRepo> = {}) =>
    ({ name: fullName.split('/')[1], fullName, isArchived: false, isFork: false, ...extra }) as DiscoveredRepo;

  it('skips archived repos and forks unless configured, and applies include/exclude globs', () => {
    const base = { include: [] as string[], exclude: [] as string[], includeArchived: false, includeForks: false };
    expect(repoFilter(base)(r('a/x', { isArchived: true }))).toBe(false);
    expect(repoFilter({ ...base, includeArchived: true })(r('a/x', { isArchived: true }))).toBe(true);
    expect(repoFilter(base)(r('a/x', { isFork: true }))).toBe(false);
    const keep = repoFilter({ ...base, include: ['acme/*'], exclude: ['*-old'] });
    expect([keep(r('acme/api')), keep(r('other/api')), keep(r('acme/api-old'))]).toEqual([true, false, false]);
  });
});
