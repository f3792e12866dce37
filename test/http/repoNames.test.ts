import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { addRepo } from '../../src/core/repos.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { ALL_TOOLS, findTool } from '../../src/core/tools/index.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { openTestApp } from '../mcp/fixture.js';

/** A repository registered as `Proj` answers to `proj` at every door, the same way. */
let app: App;
let http: ReturnType<typeof createHttpApp>;
let head: string;

beforeAll(async () => {
  const root = tempDir('gitlore-names-');
  makeRepo(`${root}/upstream/Proj`, {
    'a.ts': 'export function greetUser(name: string) {\n  return name;\n}\n',
    'README.md': '# Proj\n\nSays hello.\n',
  });
  app = await openTestApp(`${root}/data`, root);
  await addRepo({ target: `${root}/upstream/Proj`, name: 'Proj' }, createContext(app));
  await syncRepos({ names: ['Proj'] }, createContext(app));
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  head = (await app.store.repos.get('Proj'))!.headCommit!;
  http = createHttpApp({ app, version: '0', scheduler: null, requireAuth: false });
});

afterAll(async () => {
  await app?.close();
});

async function get(path: string) {
  const res = await http.request(path);
  // biome-ignore lint/suspicious/noExplicitAny: tests probe JSON bodies freely
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('repository names at every door', () => {
  it.each([
    ['/api/repos/proj', (b: Record<string, unknown>) => expect(b.name).toBe('Proj')],
    ['/api/repos/PROJ/contributors', (b: Record<string, unknown>) => expect(b.repo).toBe('Proj')],
    ['/api/files/proj/a.ts', (b: Record<string, unknown>) => expect(b).toMatchObject({ repo: 'Proj', path: 'a.ts' })],
    ['/api/blame/proj/a.ts', (b: Record<string, unknown>) => expect(b).toMatchObject({ repo: 'Proj', path: 'a.ts', startLine: 1 })],
    ['/api/commits?repo=proj', (b: Record<string, unknown>) => expect(b.total).toBe(1)],
    ['/api/search?q=greetUser&repo=proj', (b: Record<string, unknown>) => expect(b.results).not.toEqual([])],
  ])('GET %s resolves Proj', async (path, check) => {
    const { status, body } = await get(path);
    expect(status, JSON.stringify(body)).toBe(200);
    check(body);
  });

  it('GET /api/commits/proj/<hash> resolves Proj', async () => {
    const { status, body } = await get(`/api/commits/proj/${head.slice(0, 8)}`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ repo: 'Proj', hash: head });
  });

  it('every tool that takes a repository name resolves proj to Proj', async () => {
    const ctx = createContext(app);
    const calls: Record<string, Record<string, unknown>> = {
      get_file: { repo: 'proj', path: 'a.ts' },
      get_repo_overview: { repo: 'proj' },
      get_contributors: { repo: 'proj' },
      get_commit_timeline: { repo: 'proj' },
      get_commit: { repo: 'proj', hash: head },
      find_symbol: { name: 'greetUser', repo: 'proj' },
      find_references: { symbol: 'greetUser', repos: ['proj'] },
      search_code: { query: 'greetUser', repos: ['proj'] },
      blame: { repo: 'proj', path: 'a.ts' },
    };
    for (const [name, input] of Object.entries(calls)) {
      const out = JSON.stringify(await findTool(name)!.execute(input, ctx));
      // The timeline names no repository; its one commit shows it read Proj's history.
      expect(out, name).toContain(name === 'get_commit_timeline' ? head : 'Proj');
    }
  });

  it('answers REPO_NOT_FOUND the same way for an unknown name at every door', async () => {
    for (const path of ['/api/repos/nope', '/api/files/nope/a.ts', '/api/commits?repo=nope', '/api/search?q=x&repo=nope']) {
      const { status, body } = await get(path);
      expect({ path, status, code: body.error?.code ?? body.code }).toEqual({ path, status: 404, code: 'REPO_NOT_FOUND' });
    }
  });

  it('every tool stops before any work once the caller has gone', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = createContext(app, { signal: controller.signal });
    const inputs: Record<string, Record<string, unknown>> = {
      search_code: { query: 'greetUser' },
      find_symbol: { name: 'greetUser' },
      find_references: { symbol: 'greetUser' },
      get_file: { repo: 'Proj', path: 'a.ts' },
      list_repos: {},
      get_repo_overview: { repo: 'Proj' },
      get_commit_timeline: { repo: 'Proj' },
      get_commit: { repo: 'Proj', hash: head },
      get_contributors: { repo: 'Proj' },
      blame: { repo: 'Proj', path: 'a.ts' },
      search_commits: { query: 'greet' },
      search_diffs: { query: 'greetUser' },
    };
    expect(Object.keys(inputs).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    for (const tool of ALL_TOOLS) {
      await expect(tool.execute(inputs[tool.name]!, ctx), tool.name).rejects.toMatchObject({ name: 'AbortError' });
    }
  });
});
