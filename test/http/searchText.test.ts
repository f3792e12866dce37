import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { MAX_TEXT_QUERY_BYTES } from '../../src/shared/searchLimits.js';
import { commitFiles } from '../helpers/git.js';
import { makeFixture, openTestApp } from '../mcp/fixture.js';

/** Long pasted text, file grouping and the per-file spread through POST /api/search, GET /api/search and MCP search_code. */
let app: App;
let http: ReturnType<typeof createHttpApp>;

/** A stack trace through src/spec/tokens.ts, then about 20 KB of a log that names nothing of the project. */
const TRACE = `parseWidget throws on a trailing comma

TypeError: Cannot read properties of undefined (reading 'trim')
    at trimToken (/work/app/node_modules/widgets/src/spec/tokens.ts:4:19)
    at parseWidget (/work/app/node_modules/widgets/src/parse.ts:2:10)

${'The import step retried after the queue drained and the report came out empty again.\n'.repeat(240)}`;

beforeAll(async () => {
  const fixture = await makeFixture();
  const fn = (name: string) => `export function ${name}(token: string): string {\n  return token.trim();\n}\n\n`;
  commitFiles(
    fixture.originDir,
    {
      'src/spec/tokens.ts': ['trimToken', 'splitTokens', 'joinTokens', 'countTokens'].map(fn).join(''),
      'src/spec/names.ts': ['tokenName', 'specName'].map(fn).join(''),
      'src/format.ts': ['formatTokens', 'formatWidget'].map(fn).join(''),
    },
    'token helpers',
  );
  app = await openTestApp(fixture.dataDir, fixture.root);
  await syncRepos({ names: ['widgets'] }, createContext(app));
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: false });
  expect(Buffer.byteLength(TRACE)).toBeGreaterThan(20 * 1024);
});

afterAll(async () => {
  await app?.store.close();
});

interface Hit {
  path: string;
  startLine: number;
  symbol: string | null;
  chunks?: { startLine: number; endLine: number; symbol: string | null; score: number }[];
}
// biome-ignore lint/suspicious/noExplicitAny: tests probe JSON bodies freely
type Body = Record<string, any>;

const post = async (body: unknown, raw?: string) => {
  const res = await http.request('/api/search', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Body };
};
const get = async (query: string) => {
  const res = await http.request(`/api/search?${query}`);
  return { status: res.status, body: (await res.json()) as Body };
};

describe('POST /api/search', () => {
  it('takes a long text in a JSON body and answers as GET does, the file the trace names first', async () => {
    const { status, body } = await post({ q: TRACE, repo: 'widgets', group: 'file', limit: 3 });
    expect(status, JSON.stringify(body)).toBe(200);
    const files = body.results as Hit[];
    // Both files of the trace's frames come first.
    expect(
      files
        .slice(0, 2)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['src/parse.ts', 'src/spec/tokens.ts']);
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    const tokens = files.find((f) => f.path === 'src/spec/tokens.ts');
    expect(tokens?.symbol).toBe('trimToken');
    expect(tokens?.chunks?.[0]).toMatchObject({ startLine: tokens?.startLine, symbol: 'trimToken' });
    expect(tokens?.chunks?.length).toBe(3);
    expect(body.query).toBe(TRACE);
    // The same search by GET and by POST: one route table entry each, one answer shape.
    const short = 'token trim';
    const byGet = await get(`q=${encodeURIComponent(short)}&repo=widgets&perFile=1&limit=5`);
    const byPost = await post({ q: short, repo: ['widgets'], perFile: 1, limit: 5 });
    expect(byGet.status).toBe(200);
    const rows = (hits: Hit[]) => hits.map((h) => `${h.path}:${h.startLine} ${h.symbol}`);
    expect(rows(byPost.body.results)).toEqual(rows(byGet.body.results));
    const paths = (byGet.body.results as Hit[]).map((h) => h.path);
    const distinct = new Set(paths).size;
    expect(new Set(paths.slice(0, distinct)).size).toBe(distinct);
  });

  it('refuses a text over the limit with the limit and what to do; GET points long text at POST', async () => {
    const over = await post({ q: `${'x '.repeat(MAX_TEXT_QUERY_BYTES / 2)}y` });
    expect(over.status, JSON.stringify(over.body).slice(0, 300)).toBe(400);
    expect(over.body.error).toMatchObject({
      code: 'QUERY_INVALID',
      message: `The search text is ${MAX_TEXT_QUERY_BYTES + 1} bytes; the limit is ${MAX_TEXT_QUERY_BYTES} (1 MB).`,
    });
    expect(over.body.error.hint).toMatch(/the error message, the stack trace/);
    const long = await get(`q=${'word%20'.repeat(250)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/q is longer than 1000 characters; send longer text as \{"q": …\} to POST \/api\/search/);
    expect((await post({ repo: 'widgets' })).status).toBe(400);
    expect((await post({ q: '   ' })).body.error.message).toMatch(/q \(the search query or text\) is required/);
    expect((await post({ q: 'token', group: 'folder' })).status).toBe(400);
    expect((await post({ q: 'token', perFile: 0 })).body.error.message).toMatch(/perFile must be at least 1/);
    expect((await post({ q: 'token', mode: 'regex', group: 'file' })).body.error.message).toMatch(/Grouping by file/);
  });

  it('is documented in the OpenAPI description beside GET', async () => {
    const res = await http.request('/api/openapi.json');
    const doc = (await res.json()) as Body;
    const search = doc.paths['/api/search'];
    expect(Object.keys(search).sort()).toEqual(['get', 'post']);
    const schema = search.post.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['q', 'repo', 'lang', 'path', 'mode', 'limit', 'group', 'perFile']),
    );
    expect(search.get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['group', 'perFile']));
  });
});

describe('MCP search_code', () => {
  it('takes group, perFile and a long text through the real tool and server', async () => {
    const server = createMcpServer(app, { version: 'test' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
    try {
      const { tools } = await client.listTools();
      const schema = tools.find((t) => t.name === 'search_code')?.inputSchema as Body;
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['group', 'perFile', 'mode']));
      const grouped = await client.callTool({ name: 'search_code', arguments: { query: TRACE, group: 'file', limit: 2 } });
      expect(grouped.isError, JSON.stringify(grouped.content)).toBeFalsy();
      const files = (grouped.structuredContent as { results: Hit[] }).results;
      expect(files.map((f) => f.path).sort()).toEqual(['src/parse.ts', 'src/spec/tokens.ts']);
      expect(files.find((f) => f.path === 'src/spec/tokens.ts')?.chunks?.length).toBe(3);
      const text = (grouped.content as { text: string }[])[0]?.text ?? '';
      expect(text, text).toMatch(
        /^\d\. widgets\/src\/spec\/tokens\.ts:\d+-\d+ trimToken .*\n(?: {4}last change: .*\n)? {4}also: \d+-\d+ \w+; \d+-\d+ \w+\n/m,
      );
      const spread = await client.callTool({ name: 'search_code', arguments: { query: 'token trim', perFile: 1, limit: 4 } });
      const paths = (spread.structuredContent as { results: Hit[] }).results.map((h) => h.path);
      expect(new Set(paths.slice(0, 3)).size).toBe(3);
      const bad = await client.callTool({ name: 'search_code', arguments: { query: 'token', perFile: 0 } });
      expect(bad.isError).toBe(true);
      const none = await client.callTool({ name: 'search_code', arguments: { query: `${'zzyzx '.repeat(100)}\nqqq` } });
      expect((none.content as { text: string }[])[0]?.text).toMatch(/^No results for "zzyzx zzyzx .{0,100}…"\.$/);
    } finally {
      await client.close();
    }
  });
});
