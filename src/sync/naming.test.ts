import { describe, expect, it } from 'vitest';
import type { DiscoveredRepo } from '../sources/index.js';
import { NO_HOST_METADATA } from '../sources/types.js';
import type { RepoRecord } from '../store/index.js';
import { assignNames, sanitizeName, urlKey } from './naming.js';

const repo = (owner: string, name: string, url = `https://github.com/${owner}/${name}.git`): DiscoveredRepo => ({
  name,
  owner,
  sourceType: 'github',
  sourceKey: `github:org/${owner}`,
  fullName: `${owner}/${name}`,
  cloneUrl: url,
  htmlUrl: null,
  ...NO_HOST_METADATA,
  defaultBranch: 'main',
});

describe('assignNames', () => {
  it('uses the repo name, then owner-name for a second repository with the same name', () => {
    const named = assignNames([repo('acme', 'api'), repo('beta', 'api'), repo('acme', 'web')], []);
    expect(named.map((n) => n.name)).toEqual(['api', 'beta-api', 'web']);
  });

  it('keeps the name of an already registered repository (same URL, any spelling) and never steals a taken one', () => {
    const existing = [
      { name: 'beta-api', cloneUrl: 'https://github.com/BETA/api' } as RepoRecord,
      { name: 'api', cloneUrl: '/srv/api' } as RepoRecord,
    ];
    const named = assignNames([repo('acme', 'api'), repo('beta', 'api')], existing);
    expect(named.map((n) => [n.name, n.existing?.name ?? null])).toEqual([
      ['acme-api', null],
      ['beta-api', 'beta-api'],
    ]);
  });

  it('lists a repository reported by two sources once, and numbers further collisions', () => {
    const named = assignNames([repo('acme', 'x'), repo('acme', 'x'), repo('b', 'x', 'https://h/1/x'), repo('b', 'x', 'https://h/2/x')], []);
    expect(named.map((n) => n.name)).toEqual(['x', 'b-x', 'b-x-2']);
  });

  it('sanitizes names into safe folder names', () => {
    expect(sanitizeName('my repo/../x')).toBe('my-repo-..-x');
    expect(sanitizeName('.hidden')).toBe('hidden');
    expect(urlKey('https://GitHub.com/a/b.git/')).toBe(urlKey('https://github.com/a/b'));
  });
});
