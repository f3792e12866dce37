import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiToken } from '../../src/core/apiTokens.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { startServer } from '../../src/server/serve.js';
import { ADA_TOKEN, createPermissionWorld, type PermissionWorld } from '../helpers/permissionWorld.js';

/**
 * The permission routes: a member reads and refreshes their own access, admins anyone's and everyone's; and the
 * schedule `serve` runs every GITLORE_PERMISSION_SYNC_INTERVAL, which retries failures and stops on close.
 */
let world: PermissionWorld;
let http: ReturnType<typeof createHttpApp>;
const tokens: Record<string, string> = {};

const call = async (method: 'GET' | 'POST', path: string, who: string): Promise<Response> =>
  http.request(path, { method, headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' } });
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

beforeEach(async () => {
  world = await createPermissionWorld({
    GITLORE_AUTH: 'github',
    GITHUB_CLIENT_ID: 'gitlore-test',
    GITHUB_CLIENT_SECRET: 'gitlore-test-secret',
    SKIP_CLONE: 'true',
    SKIP_AUTO_INDEX: 'true',
  });
  const { services, users } = world;
  for (const [name, userId] of [
    ['ada', users.ada.id],
    ['dee', users.dee.id],
    ['root', users.root.id],
    ['operator', undefined],
  ] as const)
    tokens[name] = (await createApiToken(services.store.tokens, name, userId ? { userId } : {})).token;
  http = createHttpApp({ app: services, version: '9.9.9', scheduler: null, requireAuth: true });
});

afterEach(async () => {
  await world?.close();
});

describe('permission routes', () => {
  it('let a member refresh and read their own access, and nobody else’s', async () => {
    world.perms.grant('ada', 'acme/alpha');
    const synced = await call('POST', '/api/me/permissions/sync', 'ada');
    expect(synced.status).toBe(200);
    expect(await json(synced)).toMatchObject({ userId: world.users.ada.id, status: 'ok', repoCount: 1, added: 1 });
    const mine = await call('GET', '/api/me/permissions', 'ada');
    expect(await json(mine)).toMatchObject({ githubLogin: 'ada', linked: true, state: { status: 'ok' }, repos: ['alpha'] });
    expect((await call('GET', '/api/repos', 'ada').then(json)).repos).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'alpha' }), expect.objectContaining({ name: 'pub' })]),
    );

    for (const path of [`/api/users/${world.users.root.id}/permissions/sync`, '/api/permissions/sync']) {
      const refused = await call('POST', path, 'ada');
      expect(refused.status, path).toBe(403);
      expect((await json(refused)).error).toMatchObject({ code: 'FORBIDDEN' });
    }
    // A user without GitHub: nothing to ask, and nothing readable.
    expect(await call('POST', '/api/me/permissions/sync', 'dee').then(json)).toMatchObject({ status: 'unlinked', repoCount: 0 });
    // The operator has no account of their own.
    const operator = await call('GET', '/api/me/permissions', 'operator');
    expect(operator.status).toBe(400);
    expect(JSON.stringify(await json(operator))).toContain('/api/permissions/sync');
  });

  it('let an admin refresh one user or everyone; the report never holds a token', async () => {
    world.perms.grant('bob', 'acme/beta');
    world.perms.collaborators.set('acme/gamma', new Set(['cy']));
    const one = await call('POST', `/api/users/${world.users.bob.id}/permissions/sync`, 'root');
    expect(await json(one)).toMatchObject({ userId: world.users.bob.id, status: 'ok', repoCount: 1 });
    world.perms.fail({ token: ADA_TOKEN, status: 410 });
    const all = await call('POST', '/api/permissions/sync', 'operator');
    expect(all.status).toBe(200);
    const text = await all.text();
    expect(text).not.toContain(ADA_TOKEN);
    const report = JSON.parse(text) as { users: { userId: string; status: string; repoCount: number }[]; repos: unknown };
    const byUser = Object.fromEntries(report.users.map((u) => [u.userId, [u.status, u.repoCount]]));
    expect(byUser).toEqual({
      [world.users.ada.id]: ['revoked', 0],
      [world.users.bob.id]: ['ok', 1],
      [world.users.cy.id]: ['unlinked', 1],
    });
    expect(report.repos).toEqual({ checked: 3, failed: [] });
    const cy = await call('POST', `/api/users/${world.users.cy.id}/permissions/sync`, 'root').then(json);
    expect(cy).toMatchObject({ status: 'unlinked', repoCount: 1 });
  });

  it('are in the OpenAPI document with their response schemas', async () => {
    const doc = (await call('GET', '/api/openapi.json', 'ada').then(json)) as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['/api/me/permissions', '/api/me/permissions/sync', '/api/users/{id}/permissions/sync', '/api/permissions/sync'])
      expect(Object.keys(doc.paths), path).toContain(path);
    expect(JSON.stringify(doc.paths['/api/permissions/sync'])).toContain('unlinked');
  });
});

describe('the scheduled permission sync', () => {
  it('runs when serve starts (even without background code sync), retries what failed with backoff, and stops on close', async () => {
    const { services, perms, github, users } = world;
    perms.grant('ada', 'acme/alpha');
    perms.grant('bob', 'acme/beta');
    perms.fail({ token: 'tok-bob', status: 502 });
    const server = await startServer({
      app: services,
      version: '9.9.9',
      host: '127.0.0.1',
      port: 0,
      jobs: null,
      background: false,
      permissionSync: { retryBaseMs: 5, githubAfterBaseMs: 1 },
    });
    try {
      await vi.waitFor(async () => expect(await services.store.access.syncState(users.bob.id)).toMatchObject({ status: 'failed' }));
      expect(await services.store.access.syncState(users.ada.id)).toMatchObject({ status: 'ok', repoCount: 1 });
      // Retries ask again for bob alone: no more collaborator listings (one page for each of the three private repositories).
      await vi.waitFor(() => expect(github.requests.filter((r) => r.startsWith('GET /user/repos')).length).toBeGreaterThan(8));
      expect(github.requests.filter((r) => r.includes('/collaborators'))).toHaveLength(3);
      perms.clearFailures();
      await vi.waitFor(async () =>
        expect(await services.store.access.syncState(users.bob.id)).toMatchObject({ status: 'ok', repoCount: 1 }),
      );
    } finally {
      await server.close();
    }
    perms.fail({ token: 'tok-bob', status: 502 });
    const served = github.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(github.requests.length).toBe(served);
    expect((await services.store.audit.list({ action: 'permissions.changed' })).map((e) => e.target).sort()).toEqual(
      [users.ada.id, users.bob.id].sort(),
    );
  });
});
