import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import {
  MATRIX_REPOS,
  MATRIX_SYMBOLS,
  type MatrixUser,
  makePermissionFixture,
  type PermissionFixture,
  requestAs,
  type Via,
} from '../helpers/permissionFixture.js';
import { childEnv } from '../mcp/fixture.js';

/**
 * The permission matrix: three users (an admin; alice, granted the private `granted` repository; bob, granted
 * nothing) × three GitHub repositories (public, private-granted, private-denied) × every surface that shows code or
 * history, through a session cookie and through a user token. A repository a user may not read is
 * indistinguishable from one that does not exist.
 */
type Kind = keyof typeof MATRIX_REPOS;
// biome-ignore lint/suspicious/noExplicitAny: response documents, read field by field in assertions
type Doc = any;

const KINDS = Object.keys(MATRIX_REPOS) as Kind[];
const READS: Record<MatrixUser, readonly Kind[]> = { admin: KINDS, alice: ['open', 'granted'], bob: ['open'] };
const MISSING = 'no-such-repo';

let fixture: PermissionFixture;
let chat: FakeChatServer;
let script: ScriptedTurn[] = [];
const heads = {} as Record<Kind, string>;

const getAs = async (who: MatrixUser, via: Via, path: string) => requestAs(fixture, who, via, path);
const jsonAs = async (who: MatrixUser, via: Via, path: string): Promise<{ status: number; doc: Doc }> => {
  const res = await getAs(who, via, path);
  return { status: res.status, doc: await res.json() };
};
/** A body with a repository's name (and a missing one's) replaced, to compare a hidden repository's answer with a missing one's. */
const shapeOf = (text: string, name: string) => text.replaceAll(name, '<repo>').replaceAll(encodeURIComponent(name), '<repo>');

/**
 * Asserts a surface for one repository: a reader gets it, anyone else gets exactly what a missing repository gets.
 * `path(name)` builds the request for a repository name.
 */
async function expectGate(who: MatrixUser, via: Via, kind: Kind, path: (name: string) => string, page = false): Promise<void> {
  const name = MATRIX_REPOS[kind];
  const res = await getAs(who, via, path(name));
  const text = await res.text();
  if (READS[who].includes(kind)) {
    expect(res.status, `${who} ${path(name)}`).toBe(200);
    return;
  }
  expect(res.status, `${who} ${path(name)}`).toBe(404);
  expect(text).not.toContain(MATRIX_SYMBOLS[kind]);
  const missing = await getAs(who, via, path(MISSING));
  expect(missing.status).toBe(404);
  const missingText = await missing.text();
  if (!page) expect(JSON.parse(text).error.code).toBe('REPO_NOT_FOUND');
  expect(shapeOf(text, name)).toBe(shapeOf(missingText, MISSING));
}

/** JSON-RPC tools/call over MCP on HTTP, as a user token; the tool's result. */
async function mcpCall(who: MatrixUser, name: string, args: Record<string, unknown>): Promise<Doc> {
  const res = await fixture.http.request('/mcp', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fixture.users[who].token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as Doc).result;
}

beforeAll(async () => {
  chat = await startFakeChat(() => script.shift() ?? { text: 'out of script' });
  fixture = await makePermissionFixture({ GITLORE_LLM: 'openai', GITLORE_LLM_MODEL: 'scripted', OPENAI_BASE_URL: chat.url });
  for (const kind of KINDS) heads[kind] = (await fixture.app.store.repos.get(MATRIX_REPOS[kind]))?.headCommit as string;
}, 60_000);

afterAll(async () => {
  await fixture?.app.close();
  await chat?.close();
});

for (const who of ['admin', 'alice', 'bob'] as const) {
  for (const via of ['session', 'token'] as const) {
    describe(`${who} by ${via} reads ${READS[who].join(', ')} and nothing else`, () => {
      it('GET /api/repos lists exactly those', async () => {
        const { status, doc } = await jsonAs(who, via, '/api/repos');
        expect(status).toBe(200);
        expect(doc.repos.map((r: Doc) => r.name).sort()).toEqual(READS[who].map((k) => MATRIX_REPOS[k]).sort());
      });

      it('overview, contributors, file, blame, history and commit answer like a missing repository for the others', async () => {
        for (const kind of KINDS) {
          await expectGate(who, via, kind, (n) => `/api/repos/${n}`);
          await expectGate(who, via, kind, (n) => `/api/repos/${n}/contributors`);
          await expectGate(who, via, kind, (n) => `/api/files/${n}/src/${kind}.ts`);
          await expectGate(who, via, kind, (n) => `/api/blame/${n}/src/${kind}.ts`);
          await expectGate(who, via, kind, (n) => `/api/commits?repo=${n}`);
          await expectGate(who, via, kind, (n) => `/api/commits/${n}/${heads[kind]}`);
          await expectGate(who, via, kind, (n) => `/api/search?q=${MATRIX_SYMBOLS[kind]}&repo=${n}`);
        }
      });

      for (const mode of ['lexical', 'regex', 'symbol', 'semantic', 'hybrid']) {
        it(`search (${mode}) over everything finds code only in those`, async () => {
          for (const kind of KINDS) {
            const { status, doc } = await jsonAs(who, via, `/api/search?q=${MATRIX_SYMBOLS[kind]}&mode=${mode}`);
            expect(status).toBe(200);
            const repos = new Set(doc.results.map((r: Doc) => r.repo));
            for (const other of KINDS) if (!READS[who].includes(other)) expect(repos).not.toContain(MATRIX_REPOS[other]);
            // The lexical, regex and symbol modes must find the readable repository's own symbol.
            if (READS[who].includes(kind) && mode !== 'semantic') expect(repos, `${mode} ${kind}`).toContain(MATRIX_REPOS[kind]);
          }
        });
      }

      it('the pages: overview, tree, file, commits, and search', async () => {
        for (const kind of KINDS) {
          await expectGate(who, via, kind, (n) => `/r/${n}`, true);
          await expectGate(who, via, kind, (n) => `/r/${n}/tree/`, true);
          await expectGate(who, via, kind, (n) => `/r/${n}/blob/src/${kind}.ts`, true);
          await expectGate(who, via, kind, (n) => `/r/${n}/commits`, true);
          const search = await (await getAs(who, via, `/search?q=${MATRIX_SYMBOLS[kind]}&mode=lexical`)).text();
          expect(search.includes(`src/${kind}.ts`), `search page ${kind}`).toBe(READS[who].includes(kind));
        }
      });
    });
  }

  describe(`${who} over MCP on HTTP (user token)`, () => {
    it('list_repos, search_code and find_symbol show only readable repositories', async () => {
      const listed = await mcpCall(who, 'list_repos', {});
      expect(listed.structuredContent.repos.map((r: Doc) => r.name).sort()).toEqual(READS[who].map((k) => MATRIX_REPOS[k]).sort());
      for (const kind of KINDS) {
        const readable = READS[who].includes(kind);
        const search = await mcpCall(who, 'search_code', { query: MATRIX_SYMBOLS[kind], mode: 'lexical' });
        expect(search.structuredContent.results.some((r: Doc) => r.repo === MATRIX_REPOS[kind])).toBe(readable);
        const symbol = await mcpCall(who, 'find_symbol', { name: MATRIX_SYMBOLS[kind] });
        expect(JSON.stringify(symbol).includes(MATRIX_REPOS[kind])).toBe(readable);
      }
    });

    it('get_file, get_commit_timeline, get_contributors, get_commit, get_repo_overview and blame: not found like a missing repository', async () => {
      for (const kind of KINDS) {
        const name = MATRIX_REPOS[kind];
        const calls: [string, (repo: string) => Record<string, unknown>][] = [
          ['get_file', (repo) => ({ repo, path: `src/${kind}.ts` })],
          ['get_commit_timeline', (repo) => ({ repo })],
          ['get_contributors', (repo) => ({ repo })],
          ['get_commit', (repo) => ({ repo, hash: heads[kind] })],
          ['get_repo_overview', (repo) => ({ repo })],
          ['blame', (repo) => ({ repo, path: `src/${kind}.ts` })],
        ];
        for (const [tool, args] of calls) {
          const result = await mcpCall(who, tool, args(name));
          if (READS[who].includes(kind)) {
            expect(result.isError, `${who} ${tool} ${name}`).toBeFalsy();
            continue;
          }
          expect(result.isError, `${who} ${tool} ${name}`).toBe(true);
          expect(JSON.stringify(result)).not.toContain(MATRIX_SYMBOLS[kind]);
          const missing = await mcpCall(who, tool, args(MISSING));
          expect(shapeOf(JSON.stringify(result), name)).toBe(shapeOf(JSON.stringify(missing), MISSING));
        }
      }
    });
  });

  describe(`${who} asks`, () => {
    it('the tools see only what the asker sees: a call into the denied repository is not found, and nothing of it is cited', async () => {
      const denied = MATRIX_REPOS.denied;
      script = [
        { toolCalls: [{ name: 'get_file', arguments: JSON.stringify({ repo: denied, path: 'src/denied.ts' }) }] },
        { text: `The vault secret is trimmed: ${denied}/src/denied.ts:1-3 (${denied}@${heads.denied.slice(0, 10)}).` },
      ];
      const before = chat.requests.length;
      const res = await requestAs(fixture, who, 'token', '/api/ask?stream=false', {
        method: 'POST',
        body: { question: 'How is the vault secret cleaned?' },
      });
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Doc;
      const toolResult = JSON.stringify(chat.requests[before + 1]?.body.messages.at(-1));
      if (who === 'admin') {
        expect(doc.steps).toMatchObject([{ tool: 'get_file', ok: true }]);
        expect(doc.citations).toEqual([expect.objectContaining({ repo: denied, path: 'src/denied.ts' })]);
        expect(toolResult).toContain(MATRIX_SYMBOLS.denied);
        return;
      }
      expect(doc.steps).toMatchObject([{ tool: 'get_file', ok: false }]);
      expect(toolResult).toContain(`No repository named \\"${denied}\\"`);
      expect(toolResult).not.toContain(MATRIX_SYMBOLS.denied);
      expect(doc.citations).toEqual([]);
      expect(doc.commits).toEqual([]);
      expect(doc.droppedCitations).toBe(2);
    });
  });
}

describe('a chat shared by alice citing the private repository she may read', () => {
  it('reads redacted for bob, whole for the admin', async () => {
    const granted = MATRIX_REPOS.granted;
    script = [
      { toolCalls: [{ name: 'get_file', arguments: JSON.stringify({ repo: granted, path: 'src/granted.ts' }) }] },
      { text: `Billing input is trimmed: ${granted}/src/granted.ts:1-3.` },
    ];
    const asked = await requestAs(fixture, 'alice', 'session', '/api/ask?stream=false', {
      method: 'POST',
      body: { question: 'How is billing input cleaned?' },
    });
    const { threadId } = (await asked.json()) as Doc;
    expect((await requestAs(fixture, 'alice', 'session', `/api/chats/${threadId}/share`, { method: 'POST', body: {} })).status).toBe(200);
    const bob = (await jsonAs('bob', 'token', `/api/chats/${threadId}`)).doc;
    expect(bob.redacted).toBe(3);
    expect(bob.turns[0]).toMatchObject({ answer: '', answerHidden: true, citations: [{ redacted: true }] });
    expect(JSON.stringify(bob)).not.toMatch(new RegExp(`${granted}|${MATRIX_SYMBOLS.granted}`));
    const admin = (await jsonAs('admin', 'session', `/api/chats/${threadId}`)).doc;
    expect(admin.redacted).toBe(0);
    expect(admin.turns[0].citations).toEqual([expect.objectContaining({ repo: granted, path: 'src/granted.ts' })]);
  });
});

describe('MCP over stdio (gitlore mcp)', () => {
  it('runs as the local operator: it lists every repository', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', pathToFileURL(`${root}node_modules/tsx/dist/loader.mjs`).href, `${root}src/main.ts`, 'mcp'],
      env: childEnv(fixture.dataDir),
      cwd: fixture.root,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'gitlore-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const listed = (await client.callTool({ name: 'list_repos', arguments: {} })).structuredContent as Doc;
      expect(listed.repos.map((r: Doc) => r.name).sort()).toEqual(Object.values(MATRIX_REPOS).sort());
    } finally {
      await client.close();
    }
  }, 30_000);
});
