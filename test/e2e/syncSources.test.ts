import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstream, gitOut, pushCommit, type Upstream } from '../fakes/gitHttpFixtures.js';
import { type GitHttpServer, startGitHttpServer } from '../fakes/gitHttpServer.js';
import { runCli as runInProcess } from '../helpers/cli.js';
import { commitFiles, makeRepo, tempDir } from '../helpers/git.js';

/** Plain git URLs (ls-remote before fetching), local folders and globs from the config file. */
let root: string;
let server: GitHttpServer;
let upstream: Upstream;

beforeAll(async () => {
  root = tempDir('gitlore-sync-src-');
  upstream = createUpstream(root, 'team', 'tool');
  server = await startGitHttpServer(join(root, 'srv'));
});

afterAll(async () => {
  await server?.close();
});

const runCli = (args: string[], env: Record<string, string>, cwd: string) => runInProcess(args, { env, cwd });
const parse = (s: string) => JSON.parse(s) as { repos: { name: string; status: string; headCommit: string | null }[] };

describe('git URL sources', () => {
  const dataDir = () => join(root, 'data-url');
  const env = () => ({ GITLORE_DATA_DIR: dataDir(), GITLORE_SYNC_RETRIES: '0' });

  it('clones a registered URL, then skips it after one ls-remote without fetching, then fast-forwards', async () => {
    expect((await runCli(['repo', 'add', `${server.url}${upstream.path}`], env(), root)).code).toBe(0);
    const first = await runCli(['sync', 'repo', 'tool', '--json'], env(), root);
    expect(first.code).toBe(0);
    expect(parse(first.stdout).repos[0]).toMatchObject({ name: 'tool', status: 'cloned' });
    const clone = join(dataDir(), 'repos', 'tool');
    expect(gitOut(clone, ['config', 'remote.origin.partialclonefilter'])).toBe('blob:none');
    expect(existsSync(join(clone, '.git', 'FETCH_HEAD'))).toBe(false);

    const refsBefore = server.counts.get(upstream.path)?.infoRefs ?? 0;
    const second = await runCli(['sync', '--json'], env(), root);
    expect(parse(second.stdout).repos[0]).toMatchObject({ status: 'unchanged' });
    expect(server.counts.get(upstream.path)?.infoRefs).toBe(refsBefore + 1); // the ls-remote
    expect(existsSync(join(clone, '.git', 'FETCH_HEAD'))).toBe(false); // and no fetch

    const sha = pushCommit(upstream, { 'NEWS.md': 'news\n' }, 'news');
    const third = await runCli(['sync', '--json'], env(), root);
    expect(parse(third.stdout).repos[0]).toMatchObject({ status: 'updated', headCommit: sha });
    expect(gitOut(clone, ['rev-parse', 'HEAD'])).toBe(sha);
  });
});

describe('local folder sources', () => {
  const dataDir = () => join(root, 'data-local');
  const env = () => ({ GITLORE_DATA_DIR: dataDir(), GITLORE_SYNC_RETRIES: '0' });

  it('clones a local repository, follows new commits, and marks it gone when the folder disappears', async () => {
    const folder = join(root, 'local', 'mytool');
    makeRepo(folder, { 'a.txt': 'a\n' });
    expect((await runCli(['repo', 'add', folder], env(), root)).code).toBe(0);
    const first = await runCli(['sync', '--json'], env(), root);
    expect(parse(first.stdout).repos[0]).toMatchObject({ name: 'mytool', status: 'cloned' });
    const sha = commitFiles(folder, { 'b.txt': 'b\n' }, 'b');
    const second = await runCli(['sync', '--json'], env(), root);
    expect(parse(second.stdout).repos[0]).toMatchObject({ status: 'updated', headCommit: sha });
    expect(existsSync(join(dataDir(), 'repos', 'mytool', 'b.txt'))).toBe(true);

    renameSync(folder, `${folder}-moved`);
    const third = await runCli(['sync', '--json'], env(), root);
    expect(parse(third.stdout).repos[0]).toMatchObject({ status: 'gone' });
  });

  it('lists globbed folders from gitlore.config.json, honouring exclude', async () => {
    const cwd = join(root, 'cfg');
    for (const name of ['alpha', 'beta', 'gamma-archive']) makeRepo(join(root, 'many', name), { 'x.txt': name });
    makeRepo(cwd, { 'README.md': 'config holder' });
    writeFileSync(
      join(cwd, 'gitlore.config.json'),
      JSON.stringify({ sources: [{ type: 'local', path: join(root, 'many', '*') }], exclude: ['*-archive'] }),
    );
    const env2 = { GITLORE_DATA_DIR: join(root, 'data-cfg') };
    const result = await runCli(['sync', '--json'], env2, cwd);
    expect(result.code).toBe(0);
    expect(
      parse(result.stdout)
        .repos.map((r) => `${r.name}:${r.status}`)
        .sort(),
    ).toEqual(['alpha:cloned', 'beta:cloned']);
    const status = JSON.parse((await runCli(['sync', 'status', '--json'], env2, cwd)).stdout);
    expect(status.repos[0]).toMatchObject({ name: 'alpha', status: 'ok', source: `local:${join(root, 'many', '*')}` });
    expect(status.repos[0].headCommit).toMatch(/^[0-9a-f]{40}$/);
  });
});
