import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { App } from '../../src/core/app.js';
import { ALL_TOOLS, type AnyTool, defineTool } from '../../src/core/tools/index.js';
import { startServer } from '../../src/server/serve.js';
import { tempDir } from '../helpers/git.js';
import { openTestApp } from '../mcp/fixture.js';

let app: App | null = null;
afterAll(async () => {
  await app?.store.close();
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new connections', async () => {
    const root = tempDir('gitlore-shutdown-');
    app = await openTestApp(`${root}/data`, root);
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    // A list_repos that takes a while, so the request is still running when shutdown begins.
    const slowList = defineTool({
      name: 'list_repos',
      title: 'slow list',
      description: 'list_repos that answers after 500 ms',
      inputSchema: { query: z.string().optional() },
      outputSchema: { total: z.number(), repos: z.array(z.unknown()) },
      async execute() {
        started();
        await new Promise((r) => setTimeout(r, 500));
        return { total: 0, repos: [] };
      },
      toText: () => 'none',
    });
    const tools = [slowList as unknown as AnyTool, ...ALL_TOOLS.filter((t) => t.name !== 'list_repos')];
    const server = await startServer({ app, version: '0', host: '127.0.0.1', port: 0, jobs: null, background: false, tools });

    const pending = fetch(`${server.url}/api/repos`);
    await inFlight;
    const closing = server.close();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ total: 0, repos: [] });
    await closing;
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
