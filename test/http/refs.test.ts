import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { commitFiles } from '../helpers/git.js';
import { makeFixture, openTestApp } from '../mcp/fixture.js';

let app: App;
let http: ReturnType<typeof createHttpApp>;

beforeAll(async () => {
  const fixture = await makeFixture();
  commitFiles(
    fixture.originDir,
    { 'src/use.ts': 'import { parseWidget } from "./parse";\n\nexport function useWidget() {\n  return parseWidget("a,b");\n}\n' },
    'use parseWidget',
  );
  app = await openTestApp(fixture.dataDir, fixture.root);
  await syncRepos({ names: ['widgets'] }, createContext(app));
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: false });
});

afterAll(async () => {
  await app?.store.close();
});

const getJson = async (path: string) => {
  const res = await http.request(path);
  const body = (await res.json()) as { error: { code: string; message: string; hint?: string }; paths: Record<string, unknown> };
  return { status: res.status, body };
};

describe('references over HTTP', () => {
  it('GET /api/refs answers as `gitlore refs --json`', async () => {
    const { status, body } = await getJson('/api/refs?symbol=parseWidget&repo=widgets');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      symbol: 'parseWidget',
      definitions: [{ repo: 'widgets', path: 'src/parse.ts', line: 1, kind: 'function' }],
      total: 2,
      files: [
        {
          repo: 'widgets',
          path: 'src/use.ts',
          references: [
            { line: 1, column: 10, enclosing: null },
            { line: 4, column: 10, text: 'return parseWidget("a,b");', enclosing: { name: 'useWidget', kind: 'function', startLine: 3 } },
          ],
        },
      ],
      truncated: false,
    });
  });

  it('errors are {error: {code, message, hint}}', async () => {
    const missing = await getJson('/api/refs');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'QUERY_INVALID' });
    expect(missing.body.error.message).toContain('symbol');
    const notIdentifier = await getJson(`/api/refs?symbol=${encodeURIComponent('a b')}`);
    expect(notIdentifier.status).toBe(400);
    expect(notIdentifier.body.error.hint).toContain('parseConfig');
    const unknown = await getJson('/api/refs?symbol=x&repo=nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('REPO_NOT_FOUND');
    expect((await getJson('/api/refs?symbol=x&limit=5000')).status).toBe(400);
    const openapi = (await getJson('/api/openapi.json')).body;
    expect(Object.keys(openapi.paths)).toContain('/api/refs');
  });

  it('the file view links each symbol to its references page, which lists the uses', async () => {
    const blob = await (await http.request('/r/widgets/blob/src/parse.ts')).text();
    expect(blob).toContain(
      '<a class="refs-link" href="/r/widgets/refs?symbol=parseWidget">refs<span class="visually-hidden"> to parseWidget</span></a>',
    );
    const res = await http.request('/r/widgets/refs?symbol=parseWidget');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2 references in 1 file');
    expect(html).toContain('href="/r/widgets/blob/src/use.ts#L4"');
    expect(html).toContain('<mark>parseWidget</mark>');
    expect(html).toMatch(/in function <a href="\/r\/widgets\/blob\/src\/use\.ts#L3">useWidget<\/a>/);
    const bad = await http.request('/r/widgets/refs?symbol=a%20b');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('role="alert"');
    expect((await http.request('/r/nope/refs?symbol=x')).status).toBe(404);
  });
});
