import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, tempDir } from '../../test/helpers/git.js';
import {
  assertNoCredentials,
  githubHost,
  githubPage,
  isGithubUrl,
  isRemoteUrl,
  listLocalRepos,
  localRepo,
  nameFromUrl,
  repoFilter,
} from './index.js';
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

describe('bare mirrors', () => {
  it('names `…/name/repo` and `…/name.git` after `name`, and leaves a work tree called repo alone', () => {
    const root = tempDir('gitlore-mirror-');
    const bare = (path: string) => execFileSync('git', ['init', '-q', '--bare', path]);
    bare(join(root, 'mirrors', 'express', 'repo'));
    bare(join(root, 'mirrors', 'lodash.git'));
    makeRepo(join(root, 'code', 'repo'), { a: 'a' });
    expect(localRepo(join(root, 'mirrors', 'express', 'repo'), { sourceKey: 'k' })).toMatchObject({
      name: 'express',
      owner: 'mirrors',
      fullName: 'express',
    });
    expect(localRepo(join(root, 'mirrors', 'lodash.git'), { sourceKey: 'k' }).name).toBe('lodash');
    expect(localRepo(join(root, 'code', 'repo', '.git'), { sourceKey: 'k' }).name).toBe('repo');
    expect(localRepo(join(root, 'code', 'repo'), { sourceKey: 'k' }).name).toBe('repo');
    expect(listLocalRepos(join(root, 'mirrors', '*', 'repo'), { sourceKey: 'k' }).map((r) => r.name)).toEqual(['express']);
  });
});

describe('GitHub URLs', () => {
  it('recognises github.com, or the Enterprise host of GITHUB_API_URL, and nothing else', () => {
    expect(githubHost()).toBe('github.com');
    expect(githubHost('https://ghe.acme.io/api/v3')).toBe('ghe.acme.io');
    expect(isGithubUrl('https://github.com/a/b.git')).toBe(true);
    expect(isGithubUrl('https://GitHub.com/a/b')).toBe(true);
    expect(isGithubUrl('https://gitlab.com/github/b')).toBe(false);
    expect(isGithubUrl('https://mygithub.example/a/b')).toBe(false);
    expect(isGithubUrl('git@github.com:a/b.git')).toBe(false);
    expect(isGithubUrl('https://ghe.acme.io/a/b', 'https://ghe.acme.io/api/v3')).toBe(true);
    expect(isGithubUrl('https://github.com/a/b', 'https://ghe.acme.io/api/v3')).toBe(false);
  });

  it('links a repository to its GitHub page only when it lives there', () => {
    expect(githubPage({ sourceType: 'github', htmlUrl: 'https://ghe.acme.io/a/b' })).toBe('https://ghe.acme.io/a/b');
    expect(githubPage({ sourceType: 'git', htmlUrl: 'https://github.com/a/b' })).toBe('https://github.com/a/b');
    expect(githubPage({ sourceType: 'git', htmlUrl: 'https://gitlab.com/github/b' })).toBeNull();
    expect(githubPage({ sourceType: 'local', htmlUrl: null })).toBeNull();
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
