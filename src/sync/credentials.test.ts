import { describe, expect, it } from 'vitest';
import { createRepoCredentials, credentialsFor } from './credentials.js';

const config = {
  githubToken: 'global',
  githubApiUrl: 'https://api.github.com',
  sources: [
    { type: 'github' as const, org: 'acme' },
    { type: 'github' as const, org: 'beta', token: 'beta-own' },
  ],
};
const repo = (sourceType: 'github' | 'git' | 'local', sourceKey: string, cloneUrl: string) => ({ sourceType, sourceKey, cloneUrl });

describe('createRepoCredentials', () => {
  it('gives a GitHub repository its source’s own token, else GITHUB_TOKEN, scoped to its clone URL', () => {
    const credentials = createRepoCredentials(config);
    expect(credentials.forRepo(repo('github', 'github:org/beta', 'https://github.com/beta/lib.git'))).toEqual({
      token: 'beta-own',
      url: 'https://github.com/beta/lib.git',
    });
    expect(credentials.forRepo(repo('github', 'github:org/acme', 'https://github.com/acme/api.git'))?.token).toBe('global');
  });

  it('gives a git URL GITHUB_TOKEN only on the GitHub host, and local clones nothing', () => {
    const credentials = createRepoCredentials(config);
    expect(credentials.forRepo(repo('git', 'manual', 'https://github.com/x/y.git'))?.token).toBe('global');
    expect(credentials.forRepo(repo('git', 'manual', 'https://gitlab.com/x/y.git'))).toBeNull();
    expect(credentials.forRepo(repo('local', 'manual', '/srv/x'))).toBeNull();
    expect(credentials.forRepo(repo('github', 'github:org/acme', 'git@github.com:acme/api.git'))).toBeNull();
  });

  it('remembers the token an ingest request came with, for that source only, in this resolver only', () => {
    const credentials = createRepoCredentials(config);
    const gamma = repo('github', 'github:org/gamma', 'https://github.com/gamma/tool.git');
    expect(credentials.forRepo(gamma)?.token).toBe('global');
    credentials.remember([{ type: 'github', org: 'gamma', token: 'gamma-ingest' }]);
    expect(credentials.forRepo(gamma)?.token).toBe('gamma-ingest');
    expect(credentialsFor({ config, credentials }, gamma)?.token).toBe('gamma-ingest');
    expect(credentialsFor({ config }, gamma)?.token).toBe('global');
  });
});
