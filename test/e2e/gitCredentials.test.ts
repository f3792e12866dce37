import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { getFile } from '../../src/core/files.js';
import { getCommitDetail } from '../../src/core/history.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createUpstream, pushCommit, type Upstream } from '../fakes/gitHttpFixtures.js';
import { type GitHttpServer, startGitHttpServer } from '../fakes/gitHttpServer.js';
import { type FakeGithubServer, startGithubServer } from '../fakes/githubServer.js';
import { tempDir } from '../helpers/git.js';

/**
 * Partial clones fetch old blobs when a file or commit at an old revision is read. Each fetch
 * must carry the token of that repository's own source (a config-file source token, or the
 * token an ingest request came with), never GITHUB_TOKEN, and the token must stay off disk.
 */
const GLOBAL = 'ghp_global000000000000000000000000000000';
const BETA = 'ghp_betasource0000000000000000000000000000';
const GAMMA = 'ghp_gammaingest000000000000000000000000000';

let root: string;
let gitServer: GitHttpServer;
let github: FakeGithubServer;
let app: App;
const upstreams = new Map<string, Upstream>();
const first = new Map<string, string>();

/** Two commits, so the first one's blob of notes.txt is not fetched by a blob-less clone. */
function upstream(owner: string, name: string): Upstream {
  const up = createUpstream(root, owner, name, { 'notes.txt': `old ${name}\n` });
  first.set(name, pushCommit(up, { 'notes.txt': `old ${name}\nline two\n` }, 'second line'));
  pushCommit(up, { 'notes.txt': `new ${name}\n` }, 'rewrite');
  upstreams.set(name, up);
  return up;
}

beforeAll(async () => {
  root = tempDir('gitlore-creds-');
  gitServer = await startGitHttpServer(join(root, 'srv'));
  github = await startGithubServer({ tokens: new Map([GLOBAL, BETA, GAMMA].map((t) => [t, 'alice'])) });
  const repo = (owner: string, name: string) => ({ owner, name, cloneUrl: `${gitServer.url}${upstream(owner, name).path}` });
  github.orgs.set('acme', [repo('acme', 'api')]);
  github.orgs.set('beta', [repo('beta', 'lib')]);
  github.orgs.set('gamma', [repo('gamma', 'tool')]);
  gitServer.options.tokens = new Map([
    ['/acme/api.git', GLOBAL],
    ['/beta/lib.git', BETA],
    ['/gamma/tool.git', GAMMA],
  ]);
  const loaded = loadConfig({
    flags: { dataDir: join(root, 'data') },
    env: { GITHUB_TOKEN: GLOBAL, GITHUB_API_URL: github.url },
    cwd: root,
  });
  const config: ResolvedConfig = {
    ...loaded,
    sources: [
      { type: 'github', org: 'acme' },
      { type: 'github', org: 'beta', token: BETA },
    ],
  };
  app = await createServices(config, { log: silentLogger });
  const report = await syncRepos({ retryBaseMs: 10 }, createContext(app));
  expect(report.repos.map((r) => [r.name, r.status])).toEqual([
    ['api', 'cloned'],
    ['lib', 'cloned'],
  ]);
  // An ingest request (POST /api/ingest) runs the sync with its own source, as the job runner does.
  const ingest = await syncRepos(
    { retryBaseMs: 10 },
    createContext({ ...app, config: { ...config, sources: [{ type: 'github', org: 'gamma', token: GAMMA }] } }),
  );
  expect(ingest.repos.find((r) => r.name === 'tool')?.status).toBe('cloned');
}, 60_000);

afterAll(async () => {
  await app?.close();
  await gitServer?.close();
  await github?.close();
});

describe('lazy blob fetches of partial clones', () => {
  it.each([
    ['lib', '/beta/lib.git', BETA, 'a config-file source token'],
    ['tool', '/gamma/tool.git', GAMMA, 'an ingest request token'],
    ['api', '/acme/api.git', GLOBAL, 'GITHUB_TOKEN'],
  ])('reads an old file of %s with its own token (%s)', async (name, path, token) => {
    gitServer.tokensSeen.set(path, []);
    const slice = await getFile({ repo: name, path: 'notes.txt', ref: first.get(name) as string }, createContext(app));
    expect(slice.content).toBe(`old ${name}\nline two`);
    const sent = gitServer.tokensSeen.get(path) ?? [];
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set([token]));
  });

  it('fills the line counts of an old commit with the repository’s own token, never GITHUB_TOKEN', async () => {
    gitServer.tokensSeen.set('/beta/lib.git', []);
    const detail = await getCommitDetail({ repo: 'lib', hash: first.get('lib') as string }, createContext(app));
    expect(detail.files).toEqual([expect.objectContaining({ path: 'notes.txt', added: 1, removed: 0 })]);
    expect(gitServer.tokensSeen.get('/beta/lib.git')).toContain(BETA);
    expect(gitServer.tokensSeen.get('/beta/lib.git')).not.toContain(GLOBAL);
  });

  it('keeps every token off disk', () => {
    for (const name of ['api', 'lib', 'tool']) {
      const config = readFileSync(join(app.config.reposPath, name, '.git', 'config'), 'utf8');
      for (const token of [GLOBAL, BETA, GAMMA]) expect(config).not.toContain(token);
    }
  });
});
