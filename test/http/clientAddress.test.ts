import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/core/apiTokens.js';
import type { App } from '../../src/core/app.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

/**
 * The client address the audit log records, over a real socket from 127.0.0.1 (nginx's place in the shipped deploy)
 * and, for a peer that is no proxy, through the node adapter's socket as the server sees it.
 */
let fixture: Fixture;
const apps: App[] = [];
const servers: ReturnType<typeof serve>[] = [];

beforeAll(async () => {
  fixture = await makeFixture();
});
afterAll(async () => {
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
  for (const app of apps.splice(0)) await app.close();
});

/** gitlore with auth on (every API call needs a token) and GITLORE_TRUST_PROXY as given, listening on 127.0.0.1. */
async function start(trustProxy?: string) {
  const app = await openTestApp(fixture.dataDir, fixture.root, trustProxy === undefined ? {} : { GITLORE_TRUST_PROXY: trustProxy });
  apps.push(app);
  const http = createHttpApp({ app, version: '0', scheduler: null, requireAuth: true });
  const server = serve({ fetch: http.fetch, hostname: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** Calls /api/me with a fresh token and the headers given; returns the address its `token.used` event recorded. */
  const recordedIp = async (headers: Record<string, string>, call?: (token: string) => Promise<Response>) => {
    const name = `t-${Math.random().toString(36).slice(2)}`;
    const { token } = await createApiToken(app.store.tokens, name, {});
    const res = call ? await call(token) : await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    expect(res.status).toBe(200);
    const events = (await app.store.audit.list({ action: 'token.used' })).filter((e) => e.target === name);
    expect(events).toHaveLength(1);
    return events[0]?.ip;
  };
  return { http, recordedIp };
}

describe('the client address behind a reverse proxy (GITLORE_TRUST_PROXY)', () => {
  it('by default trusts a proxy on loopback: the audit log records the address nginx appended, not 127.0.0.1', async () => {
    const { recordedIp } = await start();
    // What nginx sends: the client's own X-Forwarded-For (maybe forged) with the address it saw appended.
    expect(await recordedIp({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7', 'x-real-ip': '198.51.100.7' })).toBe('198.51.100.7');
    expect(await recordedIp({ 'x-real-ip': '198.51.100.8' })).toBe('198.51.100.8');
    expect(await recordedIp({})).toBe('127.0.0.1');
  });

  it('with GITLORE_TRUST_PROXY=none records the socket address whatever the headers say', async () => {
    const { recordedIp } = await start('none');
    expect(await recordedIp({ 'x-forwarded-for': '198.51.100.7', 'x-real-ip': '198.51.100.7' })).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-For and X-Real-IP from a peer that is not a trusted proxy (no spoofing)', async () => {
    const { http, recordedIp } = await start();
    // A direct client on another machine: the node adapter hands the socket to the app as `incoming`.
    const direct = (token: string) =>
      Promise.resolve(
        http.request(
          '/api/me',
          { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '10.0.0.1' } },
          { incoming: { socket: { remoteAddress: '203.0.113.9' } } },
        ),
      );
    expect(await recordedIp({}, direct)).toBe('203.0.113.9');
  });
});
