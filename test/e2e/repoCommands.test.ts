import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore repo add | list | remove`: names, validation and exit codes. */
let root: string;
const env = () => ({ GITLORE_DATA_DIR: join(root, 'data') });
const cli = (...args: string[]) => runCli(args, { env: env(), cwd: root });

beforeAll(() => {
  root = tempDir('gitlore-repo-cmd-');
  makeRepo(join(root, 'proj'), { 'a.txt': 'a' });
  mkdirSync(join(root, 'plain'));
});

describe('gitlore repo', () => {
  it('adds URLs (named after the last segment or --name) and folders, and lists them as JSON', async () => {
    expect((await cli('repo', 'add', 'https://example.com/acme/widget.git')).code).toBe(0);
    expect((await cli('repo', 'add', 'git@example.com:acme/widget.git', '--name', 'widget-ssh')).code).toBe(0);
    const added = await cli('repo', 'add', join(root, 'proj'), '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'proj', sourceType: 'local', syncStatus: 'pending' });
    const list = await cli('repo', 'list', '--json');
    expect(list.code).toBe(0);
    const repos = JSON.parse(list.stdout).repos as { name: string; cloneUrl: string; source: string }[];
    expect(repos.map((r) => r.name)).toEqual(['proj', 'widget', 'widget-ssh']);
    expect(repos.find((r) => r.name === 'widget')).toMatchObject({ cloneUrl: 'https://example.com/acme/widget.git', source: 'manual' });
    const table = await cli('repo', 'list');
    expect(table.stdout).toMatch(/^name\s+source\s+status/);
    expect(table.stdout).toContain('widget-ssh');
  });

  it('refuses duplicates, bad names, credentials in URLs and non-repositories with exit 2 and a hint', async () => {
    const dup = await cli('repo', 'add', 'https://example.com/acme/widget');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already registered as widget/);
    const taken = await cli('repo', 'add', 'https://example.com/other/widget.git');
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/--name/);
    const badName = await cli('repo', 'add', 'https://example.com/x.git', '--name', '../evil');
    expect(badName.code).toBe(2);
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const creds = await cli('repo', 'add', `https://x-access-token:${secret}@example.com/acme/private.git`);
    expect(creds.code).toBe(2);
    expect(creds.stderr).toMatch(/GITHUB_TOKEN/);
    expect(creds.stdout + creds.stderr).not.toContain(secret);
    const missing = await cli('repo', 'add', join(root, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/neither a git URL nor an existing folder/);
    const plain = await cli('repo', 'add', join(root, 'plain'));
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/not a git repository/);
  });

  it('removes a repository and its clone; an unknown name exits 2 pointing at `gitlore repo list`', async () => {
    expect((await cli('sync', 'repo', 'proj')).code).toBe(0);
    expect(existsSync(join(root, 'data', 'repos', 'proj', '.git'))).toBe(true);
    const removed = await cli('repo', 'remove', 'proj');
    expect(removed.code).toBe(0);
    expect(existsSync(join(root, 'data', 'repos', 'proj'))).toBe(false);
    const unknown = await cli('repo', 'remove', 'proj');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/gitlore repo list/);
    const syncUnknown = await cli('sync', 'repo', 'nope');
    expect(syncUnknown.code).toBe(2);
  });

  it('prints --help for every repo and sync verb', async () => {
    for (const args of [
      ['repo', 'add', '--help'],
      ['sync', 'status', '--help'],
    ]) {
      const result = await cli(...args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: gitlore/);
    }
  });
});
