import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiToken } from '../../src/core/apiTokens.js';
import type { App } from '../../src/core/app.js';
import { ALL_TOOLS } from '../../src/core/tools/index.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { childEnv, type Fixture, makeFixture, openTestApp } from './fixture.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
/** tsx by absolute URL, so children can run from any working directory (config is read from the cwd). */
const TSX = ['--import', pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href];

/** Every tool of INTERFACE.md, with arguments that must succeed on the fixture. */
const INTERFACE_TOOLS = [
  'search_code',
  'find_symbol',
  'get_file',
  'list_repos',
  'get_repo_overview',
  'get_commit_timeline',
  'get_commit',
  'get_contributors',
  // Added by gitlore (issue 19): commit message and changed-line search.
  'search_commits',
  'search_diffs',
] as const;

function sampleArgs(name: string, head: string): Record<string, unknown> {
  switch (name) {
    case 'search_code':
      return { query: 'parseWidget', limit: 5 };
    case 'find_symbol':
      return { name: 'parseWidget' };
    case 'find_references':
      return { symbol: 'split' };
    case 'get_file':
    case 'blame':
      return { repo: 'widgets', path: 'src/parse.ts' };
    case 'list_repos':
      return {};
    case 'search_commits':
    case 'search_diffs':
      return { query: 'parse', repos: ['widgets'] };
    case 'get_commit':
      return { repo: 'widgets', hash: head };
    default:
      return { repo: 'widgets' };
  }
}

let fixture: Fixture;

beforeAll(async () => {
  fixture = await makeFixture();
  // The real indexer, as a user would run it, so search_code / find_symbol have something to find.
  await run(process.execPath, [...TSX, MAIN, 'index'], { cwd: fixture.root, env: childEnv(fixture.dataDir) }).catch((error: Error) => {
    process.stderr.write(`fixture index failed: ${error.message}\n`);
  });
});

/** Lists and calls every tool; checks annotations, schemas and results against the declared output schema. */
async function exerciseAllTools(client: Client, head: string): Promise<void> {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  for (const name of INTERFACE_TOOLS) expect(names, `tool ${name} is listed`).toContain(name);
  for (const tool of tools) {
    expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    expect(tool.outputSchema?.type, tool.name).toBe('object');
    expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(20);

    const result = await client.callTool({ name: tool.name, arguments: sampleArgs(tool.name, head) });
    const text = (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
    expect(result.isError, `${tool.name}: ${text}`).toBeFalsy();
    expect(text.length, tool.name).toBeGreaterThan(0);
    const definition = ALL_TOOLS.find((t) => t.name === tool.name);
    expect(definition, tool.name).toBeDefined();
    const parsed = z.object(definition?.outputSchema ?? {}).safeParse(result.structuredContent);
    expect(parsed.success, `${tool.name} output matches its schema: ${parsed.error?.message}`).toBe(true);
  }

  // References: the use of `split` inside parseWidget, with the function around it.
  const refs = await client.callTool({ name: 'find_references', arguments: { symbol: 'split', repos: ['widgets'] } });
  expect(refs.structuredContent).toMatchObject({
    symbol: 'split',
    total: 1,
    files: [{ repo: 'widgets', path: 'src/parse.ts', references: [{ line: 2, enclosing: { name: 'parseWidget', kind: 'function' } }] }],
  });

  const search = await client.callTool({ name: 'search_code', arguments: { query: 'parseWidget' } });
  const hits = (search.structuredContent as { results: { repo: string; path: string }[] }).results;
  expect(hits.some((h) => h.repo === 'widgets' && h.path === 'src/parse.ts')).toBe(true);

  // Each line with the commit that last changed it; the tool reads as `git blame` does.
  const blamed = await client.callTool({ name: 'blame', arguments: { repo: 'widgets', path: 'tools/report.py', startLine: 2 } });
  expect(blamed.structuredContent).toMatchObject({
    startLine: 2,
    endLine: 2,
    content: '    return len(widgets)',
    lastChange: { author: 'Bob Builder', email: 'bob@example.com', date: '2024-02-01T10:00:00+01:00', subject: 'add report tool' },
    groups: [{ startLine: 2, endLine: 2, origPath: 'tools/report.py', origStartLine: 2 }],
  });
  expect((blamed.content as { text: string }[])[0]?.text).toMatch(/Bob Builder 2024-02-01 2 {2} {4}return len\(widgets\)/);

  const overview = await client.callTool({ name: 'get_repo_overview', arguments: { repo: 'widgets' } });
  expect(overview.structuredContent).toMatchObject({
    name: 'widgets',
    readmeSummary: 'Widgets is a tiny library that parses widget specs.',
  });

  const timeline = await client.callTool({ name: 'get_commit_timeline', arguments: { repo: 'widgets' } });
  expect(timeline.structuredContent).toMatchObject({ total: 2 });

  // Errors are tool results with a clear message, never protocol failures or crashes.
  const unknown = await client.callTool({ name: 'get_repo_overview', arguments: { repo: 'no-such-repo' } });
  expect(unknown.isError).toBe(true);
  expect(JSON.stringify(unknown.content)).toContain('REPO_NOT_FOUND');
  expect(JSON.stringify(unknown.content)).toContain('gitlore repo list');
  const traversal = await client.callTool({ name: 'get_file', arguments: { repo: 'widgets', path: '../../etc/passwd' } });
  expect(traversal.isError).toBe(true);
  expect(JSON.stringify(traversal.content)).toMatch(/PATH_INVALID|outside|leaves/);

  // Repository files as resources.
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('gitlore://repo/{repo}/file/{+path}');
  const file = await client.readResource({ uri: 'gitlore://repo/widgets/file/src/parse.ts' });
  expect((file.contents[0] as { text: string }).text).toContain('export function parseWidget');
  await expect(client.readResource({ uri: 'gitlore://repo/widgets/file/src%2F..%2F..%2Fetc%2Fpasswd' })).rejects.toThrow(
    /leaves the repository/,
  );
}

describe('MCP over stdio (gitlore mcp)', () => {
  it('serves every tool with schemas, structured results and tool errors; stdout carries only JSON-RPC', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...TSX, MAIN, 'mcp'],
      env: childEnv(fixture.dataDir),
      cwd: fixture.root,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'gitlore-test', version: '1.0.0' });
    const transportErrors: Error[] = [];
    client.onerror = (error) => transportErrors.push(error);
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('gitlore');
      await exerciseAllTools(client, fixture.head);
    } finally {
      await client.close();
    }
    // A stray log line on stdout would surface here as a JSON parse error.
    expect(transportErrors).toEqual([]);
  });
});

describe('MCP over Streamable HTTP (/mcp)', () => {
  let app: App;
  let server: RunningServer;

  beforeAll(async () => {
    app = await openTestApp(fixture.dataDir, fixture.root);
    server = await startServer({ app, version: '1.2.3', host: '127.0.0.1', port: 0, jobs: null, background: false });
  });
  afterAll(async () => {
    await server?.close();
    await app?.store.close();
  });

  it('serves every tool over HTTP with the same results', async () => {
    const client = new Client({ name: 'gitlore-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'gitlore', version: '1.2.3' });
      await exerciseAllTools(client, fixture.head);
    } finally {
      await client.close();
    }
  });

  it('requires a token on /mcp when the server is not loopback-only', async () => {
    const { token } = await createApiToken(app.store.tokens, 'mcp-test');
    // Binding 0.0.0.0 turns tokens on; connect through loopback.
    const open = await startServer({ app, version: '1.2.3', host: '0.0.0.0', port: 0, jobs: null, background: false });
    try {
      const url = new URL(`http://127.0.0.1:${open.port}/mcp`);
      const anonymous = new Client({ name: 'anon', version: '1' });
      await expect(anonymous.connect(new StreamableHTTPClientTransport(url))).rejects.toThrow(/401|token/i);
      const client = new Client({ name: 'authed', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      expect((await client.listTools()).tools.length).toBeGreaterThanOrEqual(5);
      await client.close();
    } finally {
      await open.close();
    }
  });
});

describe('MCP Inspector CLI (@modelcontextprotocol/inspector-cli) against gitlore mcp', () => {
  // The published CLI resolves its own package.json relative to the working directory,
  // so it runs from its build folder; everything else is passed as absolute paths.
  const inspectorDir = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/inspector-cli/build', import.meta.url));
  const inspect = async (...method: string[]) => {
    const env = childEnv(fixture.dataDir);
    const { stdout } = await run(
      process.execPath,
      [
        'cli.js',
        '--cli',
        '-e',
        `GITLORE_DATA_DIR=${fixture.dataDir}`,
        '-e',
        'GITLORE_EMBEDDINGS=none',
        '-e',
        'GITLORE_LOG_LEVEL=warn',
        process.execPath,
        ...TSX,
        MAIN,
        'mcp',
        ...method,
      ],
      { cwd: inspectorDir, env, timeout: 60_000 },
    );
    // biome-ignore lint/suspicious/noExplicitAny: tests probe JSON bodies freely
    return JSON.parse(stdout.slice(stdout.indexOf('{'))) as Record<string, any>;
  };

  it('lists the tools and calls one through the third-party client', async () => {
    const listed = await inspect('--method', 'tools/list');
    const names = (listed.tools as { name: string }[]).map((t) => t.name);
    for (const name of ['list_repos', 'get_repo_overview', 'get_commit_timeline']) expect(names).toContain(name);
    const called = await inspect('--method', 'tools/call', '--tool-name', 'get_repo_overview', '--tool-arg', 'repo=widgets');
    expect(called.isError).toBeFalsy();
    expect(called.structuredContent).toMatchObject({ name: 'widgets', size: { files: 3 } });
    const templates = await inspect('--method', 'resources/templates/list');
    expect(JSON.stringify(templates)).toContain('gitlore://repo/{repo}/file/{+path}');
  });
});
