import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles, makeRepo, tempDir } from '../../test/helpers/git.js';
import { registerSecret } from '../shared/redact.js';
import { gitEnv, localHead, lsRemoteHead, runGit } from './index.js';

describe('runGit', () => {
  it('fails with GIT_FAILED and git’s own fatal line, with secrets redacted', async () => {
    const secret = 'supersecretvalue123';
    registerSecret(secret);
    const error = await runGit(['ls-remote', `/nonexistent/${secret}`]).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'GIT_FAILED' });
    expect((error as Error).message).toMatch(
      /^`git ls-remote \/nonexistent\/\*\*\*` failed: fatal: '\/nonexistent\/\*\*\*' does not appear to be a git repository/,
    );
  });

  it('names the whole git command line and the clone, never the token', async () => {
    const dir = join(tempDir(), 'clone');
    makeRepo(dir, { a: '1' });
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const credentials = { token, url: 'https://git.example.com/acme/api.git' };
    const checkout = await runGit(['-C', dir, 'checkout', '--quiet', '--force', '-B', 'main', 'refs/remotes/origin/gone'], {
      credentials,
    }).catch((e: Error) => e);
    expect(checkout).toMatchObject({ code: 'GIT_FAILED' });
    expect((checkout as Error).message).toMatch(
      new RegExp(`^\`git checkout --quiet --force -B main refs/remotes/origin/gone\` in ${dir} failed: fatal: `),
    );
    // A failing clone names the command line; a URL with a token in it never reaches git.
    const clone = await runGit(['clone', '--quiet', '--', 'https://127.0.0.1:1/acme/api.git', join(dir, '..', 'c')], {
      credentials,
      timeoutMs: 10_000,
    }).catch((e: Error) => e);
    expect((clone as Error).message).toMatch(/^`git clone --quiet -- https:\/\/127\.0\.0\.1:1\/acme\/api\.git /);
    const withToken = await runGit(
      ['clone', '--quiet', '--', `https://x-access-token:${token}@127.0.0.1:1/acme/api.git`, join(dir, '..', 'd')],
      { credentials, timeoutMs: 10_000 },
    ).catch((e: Error) => e);
    expect((withToken as Error).message).toMatch(/credentials/);
    expect((withToken as Error).message).not.toContain(token);
    expect(JSON.stringify([(checkout as Error).message, (clone as Error).message])).not.toContain(token);
  });

  it('kills git and its children at the timeout', async () => {
    const dir = tempDir();
    const started = Date.now();
    await expect(runGit(['-c', 'alias.slow=!sleep 5', 'slow'], { cwd: dir, timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('gitEnv', () => {
  it('scopes a Basic auth header to the remote origin, passed only through GIT_CONFIG_* variables', () => {
    const env = gitEnv({ token: 'tok123', url: 'https://github.example.com/acme/api.git' });
    const config = Object.fromEntries(
      Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => [env[`GIT_CONFIG_KEY_${i}`], env[`GIT_CONFIG_VALUE_${i}`]]),
    );
    expect(config['http.https://github.example.com/.extraHeader']).toBe(
      `Authorization: Basic ${Buffer.from('x-access-token:tok123').toString('base64')}`,
    );
    expect(config['credential.helper']).toBe('');
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
    const none = JSON.stringify(gitEnv(null));
    expect(none).not.toContain('extraHeader');
    expect(JSON.stringify(gitEnv({ token: 'tok123', url: '/local/path' }))).not.toContain('extraHeader');
  });
});

describe('runGit progress', () => {
  it('reports git progress lines as events', async () => {
    const dir = join(tempDir(), 'up');
    makeRepo(dir, { a: '1', b: '2' });
    const events: { phase: string; percent: number | null }[] = [];
    await runGit(['clone', '--progress', '--no-local', dir, join(dir, '..', 'copy')], { onProgress: (p) => events.push(p) });
    expect(events.some((e) => /objects/i.test(e.phase) && e.percent === 100)).toBe(true);
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
