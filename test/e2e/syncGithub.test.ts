import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitCredentials, runGit } from '../../src/git/index.js';
import { createUpstream, forcePush, gitOut, pushCommit, runCli, type Upstream } from '../fakes/gitHttpFixtures.js';
import { type GitHttpServer, startGitHttpServer } from '../fakes/gitHttpServer.js';
import { type FakeGithubServer, type FakeRepo, startGithubServer } from '../fakes/githubServer.js';
import { tempDir } from '../helpers/git.js';

/**
 * `gitlore sync` against a fake GitHub REST API whose clone URLs are real bare repositories
 * served by `git http-backend` on 127.0.0.1. The steps run in order and share state.
 */
const TOKEN = 'ghp_faketoken0123456789abcdefABCDEF012345';
const ORG_SIZE = 9;

let root: string;
let dataDir: string;
let gitServer: GitHttpServer;
let github: FakeGithubServer;
const upstreams = new Map<string, Upstream>();
let pushClock = Date.parse('2024-02-01T00:00:00Z');

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    GITLORE_DATA_DIR: dataDir,
    GITHUB_ORG: 'acme',
    GITHUB_USER: 'alice',
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: github.url,
    MAX_PARALLEL_CLONES: '4',
    GITLORE_SYNC_RETRIES: '0',
    ...extra,
  };
}

function fakeRepo(owner: string, name: string, extra: Partial<FakeRepo> = {}): FakeRepo {
  const upstream = createUpstream(root, owner, name, { 'README.md': `# ${name}\n`, 'src/index.js': `export const name = '${name}';\n` });
  upstreams.set(name, upstream);
  return { owner, name, cloneUrl: `${gitServer.url}${upstream.path}`, pushedAt: new Date(pushClock).toISOString(), ...extra };
}

function bump(repo: FakeRepo): void {
  pushClock += 60_000;
  repo.pushedAt = new Date(pushClock).toISOString();
}

function findRepo(name: string): FakeRepo {
  const all = [...github.orgs.values(), ...github.users.values()].flat();
  const repo = all.find((r) => r.name === name);
  if (!repo) throw new Error(`no fake repo ${name}`);
  return repo;
}

async function syncJson(extra: NodeJS.ProcessEnv = {}, args: string[] = []) {
  const result = await runCli(['sync', '--json', ...args], env(extra), root);
  const report = result.stdout ? JSON.parse(result.stdout) : null;
  return { ...result, report } as typeof result & {
    report: { repos: { name: string; status: string; headCommit: string | null; error?: string }[]; totals: Record<string, number> };
  };
}

function gitRequestsTotal(): number {
  return [...gitServer.counts.values()].reduce((n, c) => n + c.infoRefs + c.uploadPack, 0);
}

beforeAll(async () => {
  root = tempDir('gitlore-sync-gh-');
  dataDir = join(root, 'data');
  gitServer = await startGitHttpServer(join(root, 'srv'), { token: TOKEN });
  github = await startGithubServer({ tokens: new Map([[TOKEN, 'alice']]) });
  const org: FakeRepo[] = [];
  for (let i = 0; i < ORG_SIZE; i++) org.push(fakeRepo('acme', `svc-${i}`));
  org.push(fakeRepo('acme', 'old-thing', { archived: true }));
  org.push(fakeRepo('acme', 'forked-lib', { fork: true }));
  github.orgs.set('acme', org);
  // alice has a private repo and one whose name collides with an org repo.
  github.users.set('alice', [fakeRepo('alice', 'notes', { private: true }), fakeRepo('alice', 'svc-0-alice-copy')]);
  // Same name as acme/svc-1 under another owner: must not clobber it.
  const dup = createUpstream(root, 'alice', 'svc-1');
  github.users
    .get('alice')
    ?.push({ owner: 'alice', name: 'svc-1', cloneUrl: `${gitServer.url}${dup.path}`, pushedAt: '2024-01-01T00:00:00Z' });
  github.maxPerPage = 4;
});

afterAll(async () => {
  await gitServer?.close();
  await github?.close();
});

describe('gitlore sync against GitHub', () => {
  it('first sync clones every listed repository (all pages, private with the token, archived and forks skipped)', async () => {
    const { code, report, stderr } = await syncJson();
    expect(stderr).not.toContain(TOKEN);
    expect(code).toBe(0);
    const names = report.repos.map((r) => r.name).sort();
    expect(names).toEqual(['alice-svc-1', 'notes', 'svc-0-alice-copy', ...Array.from({ length: ORG_SIZE }, (_, i) => `svc-${i}`)].sort());
    expect(report.totals.cloned).toBe(ORG_SIZE + 3);
    // Link-header pagination was followed (4 per page → several pages).
    expect(github.requests.some((r) => r.includes('/orgs/acme/repos') && r.includes('page=3'))).toBe(true);
    // The token owner's private repos come from /user/repos.
    expect(github.requests.some((r) => r.startsWith('GET /user/repos'))).toBe(true);
    for (const name of ['svc-0', 'svc-8', 'notes']) {
      const clone = join(dataDir, 'repos', name);
      expect(gitOut(clone, ['rev-parse', 'HEAD'])).toBe(gitOut(upstreams.get(name)?.work ?? '', ['rev-parse', 'HEAD']));
      expect(gitOut(clone, ['config', 'remote.origin.partialclonefilter'])).toBe('blob:none');
      expect(readFileSync(join(clone, 'src/index.js'), 'utf8')).toContain(name);
    }
    expect(gitOut(join(dataDir, 'repos', 'alice-svc-1'), ['rev-parse', 'HEAD'])).toBe(
      gitOut(join(root, 'work', 'alice', 'svc-1'), ['rev-parse', 'HEAD']),
    );
    expect(existsSync(join(dataDir, 'repos', 'old-thing'))).toBe(false);
    expect(existsSync(join(dataDir, 'repos', 'forked-lib'))).toBe(false);
  });

  it('keeps the token out of .git/config, URLs on disk, logs and errors; it travels as an HTTP header', async () => {
    const expectedBasic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
    expect(gitServer.authHeaders.length).toBeGreaterThan(0);
    expect(gitServer.authHeaders.every((h) => h === expectedBasic)).toBe(true);
    for (const name of readdirSync(join(dataDir, 'repos')).filter((n) => !n.startsWith('.'))) {
      const config = readFileSync(join(dataDir, 'repos', name, '.git', 'config'), 'utf8');
      expect(config).not.toContain(TOKEN);
      expect(config).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
      expect(config).not.toMatch(/extraheader/i);
    }
    const db = readFileSync(join(dataDir, 'index', 'gitlore.db'));
    expect(db.includes(TOKEN)).toBe(false);
    const status = await runCli(['status', '--json'], env(), root);
    expect(status.stdout + status.stderr).not.toContain(TOKEN);
  });

  it('skips unchanged repositories without any git traffic (pushed_at unchanged)', async () => {
    const before = gitRequestsTotal();
    const { code, report } = await syncJson();
    expect(code).toBe(0);
    expect(report.totals.unchanged).toBe(ORG_SIZE + 3);
    expect(gitRequestsTotal()).toBe(before);
    const status = JSON.parse((await runCli(['sync', 'status', '--json'], env(), root)).stdout);
    expect(status.repos.every((r: { status: string; lastSyncAt: string | null }) => r.status === 'ok' && r.lastSyncAt)).toBe(true);
  });

  it('fast-forwards a repository with a new upstream commit and leaves the others alone', async () => {
    const upstream = upstreams.get('svc-2') as Upstream;
    const sha = pushCommit(upstream, { 'CHANGELOG.md': 'v2\n' }, 'second commit');
    bump(findRepo('svc-2'));
    const otherBefore = { ...gitServer.counts.get(upstreams.get('svc-3')?.path ?? '') };
    const { code, report } = await syncJson();
    expect(code).toBe(0);
    expect(report.repos.find((r) => r.name === 'svc-2')).toMatchObject({ status: 'updated', headCommit: sha });
    expect(report.totals.updated).toBe(1);
    expect(readFileSync(join(dataDir, 'repos', 'svc-2', 'CHANGELOG.md'), 'utf8')).toBe('v2\n');
    expect(gitServer.counts.get(upstreams.get('svc-3')?.path ?? '')).toEqual(otherBefore);
  });

  it('follows a force-push', async () => {
    const upstream = upstreams.get('svc-2') as Upstream;
    const oldHead = gitOut(upstream.work, ['rev-parse', 'HEAD']);
    const sha = forcePush(upstream, { 'CHANGELOG.md': 'rewritten\n' }, 'rewritten second commit');
    bump(findRepo('svc-2'));
    const { code, report } = await syncJson();
    expect(code).toBe(0);
    expect(report.repos.find((r) => r.name === 'svc-2')).toMatchObject({ status: 'updated', headCommit: sha });
    const clone = join(dataDir, 'repos', 'svc-2');
    expect(gitOut(clone, ['rev-parse', 'HEAD'])).toBe(sha);
    expect(gitOut(clone, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(join(clone, 'CHANGELOG.md'), 'utf8')).toBe('rewritten\n');
    expect(gitOut(clone, ['branch', '--contains', oldHead, '--all']).includes('main')).toBe(false);
  });

  it('a private partial clone fetches old blobs lazily with the credentials given to that git call, and the token stays off disk', async () => {
    const upstream = upstreams.get('notes') as Upstream;
    const big = `${Array.from({ length: 40 }, (_, i) => `line ${i} of the notes`).join('\n')}\n`;
    pushCommit(upstream, { 'big.txt': big }, 'add big');
    gitOut(upstream.work, ['mv', 'big.txt', 'moved.txt']);
    pushCommit(upstream, { 'moved.txt': `${big}one more line\n` }, 'move and edit');
    bump(findRepo('notes'));
    expect((await syncJson()).report.repos.find((r) => r.name === 'notes')).toMatchObject({ status: 'updated' });
    const clone = join(dataDir, 'repos', 'notes');
    const url = findRepo('notes').cloneUrl;
    // Async: the fake git server runs in this process, so a blocking exec would deadlock it.
    const log = async (credentials: GitCredentials | null) =>
      (await runGit(['log', '--find-renames', '--name-status', '--format=%s'], { cwd: clone, credentials })).stdout;
    await expect(log(null)).rejects.toThrow(/could not fetch|Authentication|terminal prompts|401/i);
    expect(await log({ token: TOKEN, url })).toMatch(/^R\d+\s+big\.txt\s+moved\.txt$/m);
    expect(readFileSync(join(clone, '.git', 'config'), 'utf8')).not.toContain(TOKEN);
  });

  it('one unreachable repository fails alone; the rest still sync and the exit code is 1', async () => {
    const broken = fakeRepo('acme', 'flaky');
    github.orgs.get('acme')?.push(broken);
    gitServer.options.broken = new Set([upstreams.get('flaky')?.path ?? '']);
    const sha = pushCommit(upstreams.get('svc-4') as Upstream, { 'x.txt': 'x\n' }, 'x');
    bump(findRepo('svc-4'));
    const { code, report, stderr } = await syncJson();
    expect(code).toBe(1);
    expect(report.repos.find((r) => r.name === 'flaky')).toMatchObject({ status: 'failed' });
    expect(report.repos.find((r) => r.name === 'flaky')?.error).toMatch(/503|unable to access|failed/i);
    expect(report.repos.find((r) => r.name === 'svc-4')).toMatchObject({ status: 'updated', headCommit: sha });
    expect(stderr).not.toContain(TOKEN);
    expect(existsSync(join(dataDir, 'repos', 'flaky'))).toBe(false);
    const tmp = join(dataDir, 'repos', '.tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    gitServer.options.broken = undefined;
    const again = await syncJson();
    expect(again.code).toBe(0);
    expect(again.report.repos.find((r) => r.name === 'flaky')).toMatchObject({ status: 'cloned' });
  });

  it('marks a repository deleted upstream as gone, and removes it only with --prune', async () => {
    const org = github.orgs.get('acme') ?? [];
    github.orgs.set(
      'acme',
      org.filter((r) => r.name !== 'svc-5'),
    );
    const { code, report } = await syncJson();
    expect(code).toBe(0);
    expect(report.repos.find((r) => r.name === 'svc-5')).toMatchObject({ status: 'gone' });
    expect(existsSync(join(dataDir, 'repos', 'svc-5', '.git'))).toBe(true);
    const list = JSON.parse((await runCli(['repo', 'list', '--json'], env(), root)).stdout);
    expect(list.repos.find((r: { name: string }) => r.name === 'svc-5')).toMatchObject({ syncStatus: 'gone' });

    const pruned = await syncJson({}, ['--prune']);
    expect(pruned.code).toBe(0);
    expect(pruned.report.repos.find((r) => r.name === 'svc-5')).toMatchObject({ status: 'pruned' });
    expect(existsSync(join(dataDir, 'repos', 'svc-5'))).toBe(false);
    const after = JSON.parse((await runCli(['repo', 'list', '--json'], env(), root)).stdout);
    expect(after.repos.some((r: { name: string }) => r.name === 'svc-5')).toBe(false);
  });

  it('waits out a rate limit (x-ratelimit-reset) and then succeeds', async () => {
    github.rateLimitNext = 1;
    const started = Date.now();
    const { code, stderr } = await syncJson();
    expect(code).toBe(0);
    expect(stderr).toMatch(/rate limit/i);
    expect(Date.now() - started).toBeGreaterThan(900);
    expect(statSync(join(dataDir, 'repos', 'svc-0')).isDirectory()).toBe(true);
  });

  it('a bad token exits 2 with a one-line message naming GITHUB_TOKEN, and the token never shows', async () => {
    const bad = 'ghp_thisIsNotAValidToken1234567890abcdef';
    const { code, stdout, stderr } = await runCli(['sync'], env({ GITHUB_TOKEN: bad }), root);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n').at(-1)).toMatch(/refused the token.*GITHUB_TOKEN/);
    expect(stdout + stderr).not.toContain(bad);
    expect(stdout + stderr).not.toContain(bad.slice(4, 20));
  });

  it('an unknown organization exits 2 and names it', async () => {
    const { code, stderr } = await runCli(['sync'], env({ GITHUB_ORG: 'nope-org', GITHUB_USER: '' }), root);
    expect(code).toBe(2);
    expect(stderr).toMatch(/organization nope-org/);
  });
});
