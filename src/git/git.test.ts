import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles, makeRepo, tempDir } from '../../test/helpers/git.js';
import { registerSecret } from '../shared/redact.js';
import { localHead, lsRemoteHead, runGit, tokenEnv } from './index.js';

describe('runGit', () => {
  it('fails with GIT_FAILED and git’s own fatal line, with secrets redacted', async () => {
    const secret = 'supersecretvalue123';
    registerSecret(secret);
    const error = await runGit(['ls-remote', `/nonexistent/${secret}`]).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'GIT_FAILED' });
    expect((error as Error).message).toMatch(
      /^git ls-remote failed: fatal: '\/nonexistent\/\*\*\*' does not appear to be a git repository/,
    );
  });

  it('kills git and its children at the timeout', async () => {
    const dir = tempDir();
    const started = Date.now();
    await expect(runGit(['-c', 'alias.slow=!sleep 5', 'slow'], { cwd: dir, timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('tokenEnv', () => {
  it('scopes a Basic auth header to the URL origin, passed only through GIT_CONFIG_* variables', () => {
    const env = tokenEnv('https://github.example.com/acme/api.git', 'tok123');
    expect(env.GIT_CONFIG_KEY_0).toBe('http.https://github.example.com/.extraHeader');
    expect(env.GIT_CONFIG_VALUE_0).toBe(`Authorization: Basic ${Buffer.from('x-access-token:tok123').toString('base64')}`);
    expect(tokenEnv('/local/path', 'tok')).toEqual({});
    expect(tokenEnv('https://h/x', undefined)).toEqual({});
  });
});

describe('lsRemoteHead / localHead', () => {
  it('reads the remote default branch and head without fetching', async () => {
    const dir = join(tempDir(), 'up');
    makeRepo(dir, { a: '1' });
    const sha = commitFiles(dir, { a: '2' }, 'two');
    execFileSync('git', ['-C', dir, 'branch', '-m', 'trunk']);
    expect(await lsRemoteHead(dir)).toEqual({ sha, branch: 'trunk' });
    expect(await localHead(dir)).toEqual({ sha, branch: 'trunk' });
  });
});
