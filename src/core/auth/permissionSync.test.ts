import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakePermissions } from '../../../test/fakes/githubPermissions.js';
import type { FakeGithubServer } from '../../../test/fakes/githubServer.js';
import { ADA_TOKEN, createPermissionWorld, type PermissionWorld } from '../../../test/helpers/permissionWorld.js';
import type { UserRecord } from '../../store/index.js';
import { createContext } from '../context.js';
import type { Services } from '../services.js';
import { showPermissions, syncAllPermissions, syncUserPermissions } from './permissionSync.js';

/** The permission mirror against the loopback GitHub, in the world of test/helpers/permissionWorld.ts. */
const fast = { retryAfterBaseMs: 1 };

let world: PermissionWorld;
let github: FakeGithubServer;
let perms: FakePermissions;
let services: Services;
let ids: Record<string, number>;
let ada: UserRecord;
let bob: UserRecord;
let cy: UserRecord;
let dee: UserRecord;

const local = () => createContext(services);
const as = (user: UserRecord) => createContext(services, { principal: { kind: 'user', id: user.id, role: user.role } });
const readable = async (user: UserRecord) => {
  const granted = await services.store.access.readableRepoIds(user.id);
  return Object.entries(ids)
    .filter(([, id]) => granted.has(id))
    .map(([name]) => name)
    .sort();
};

beforeEach(async () => {
  world = await createPermissionWorld();
  ({ github, perms, services, ids } = world);
  ({ ada, bob, cy, dee } = world.users);
});

afterEach(async () => {
  await world?.close();
});

describe('user-driven sync (the user’s own token)', () => {
  it('grants the registered private repositories /user/repos lists, all pages, and records state and audit', async () => {
    perms.readable.set('ada', new Set(['acme/alpha', 'acme/beta', 'elsewhere/secret']));
    perms.members.set('acme', new Set(['ada']));
    const outcome = await syncUserPermissions({ userId: ada.id, ...fast }, as(ada));
    expect(outcome).toMatchObject({ status: 'ok', repoCount: 2, added: 2, removed: 0, error: null });
    expect(await readable(ada)).toEqual(['alpha', 'beta']);
    // pub + alpha + beta (ada's org's public repository is listed too), two per page.
    expect(github.requests.filter((r) => r.startsWith('GET /user/repos'))).toHaveLength(2);
    expect(await services.store.access.syncState(ada.id)).toMatchObject({ status: 'ok', repoCount: 2, lastError: null });
    const [event] = await services.store.audit.list({ action: 'permissions.' });
    expect(event).toMatchObject({ action: 'permissions.changed', target: ada.id, actor: ada.id, detail: { added: 2, removed: 0 } });
  });

  it('removes access GitHub no longer lists', async () => {
    perms.grant('ada', 'acme/alpha');
    perms.grant('ada', 'acme/gamma');
    await syncUserPermissions({ userId: ada.id, ...fast }, local());
    perms.revoke('ada', 'acme/gamma');
    expect(await syncUserPermissions({ userId: ada.id, ...fast }, local())).toMatchObject({ added: 0, removed: 1, repoCount: 1 });
    expect(await readable(ada)).toEqual(['alpha']);
  });

  it('answers unlinked for a user with no GitHub token, changing nothing', async () => {
    expect(await syncUserPermissions({ userId: cy.id }, local())).toMatchObject({ status: 'unlinked', repoCount: 0 });
    expect(github.requests).toEqual([]);
    expect(await services.store.access.syncState(cy.id)).toBeNull();
  });

  it('lets a member refresh only their own; an unknown user is USER_NOT_FOUND', async () => {
    await expect(syncUserPermissions({ userId: bob.id }, as(ada))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(syncAllPermissions({}, as(ada))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(showPermissions({ userId: bob.id }, as(ada))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(syncUserPermissions({ userId: 'u_nobody' }, local())).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });
});

describe('repo-driven sync (the org token lists collaborators)', () => {
  it('grants collaborators by GitHub id, ignores unknown logins, and gives a user without a token only these grants', async () => {
    perms.collaborators.set('acme/beta', new Set(['cy', 'bob', 'stranger', 'gitlore-bot', 'x1', 'x2']));
    const report = await syncAllPermissions(fast, local());
    expect(report.repos).toEqual({ checked: 3, failed: [] });
    expect(await readable(cy)).toEqual(['beta']);
    expect(await readable(bob)).toEqual(['beta']);
    expect(await readable(ada)).toEqual([]);
    expect(await readable(dee)).toEqual([]);
    expect(report.users.map((u) => u.userId).sort()).toEqual([ada.id, bob.id, cy.id].sort());
    expect(report.users.find((u) => u.userId === cy.id)).toMatchObject({ status: 'unlinked', repoCount: 1, added: 1 });
    expect(await services.store.access.syncState(cy.id)).toMatchObject({ status: 'ok', repoCount: 1 });
    // Collaborators of the three private repositories (6 on beta → 3 pages of 2), listed with the org token.
    expect(github.requests.filter((r) => r.includes('/collaborators'))).toHaveLength(5);
    expect(github.requests.filter((r) => r.includes('/repos/acme/pub/'))).toEqual([]);
  });

  it('takes the union of both sources, and removes what both stop granting', async () => {
    perms.readable.set('ada', new Set(['acme/alpha']));
    perms.collaborators.set('acme/gamma', new Set(['ada']));
    await syncAllPermissions(fast, local());
    expect(await readable(ada)).toEqual(['alpha', 'gamma']);
    perms.readable.set('ada', new Set());
    perms.collaborators.set('acme/gamma', new Set());
    const report = await syncAllPermissions(fast, local());
    expect(report.users.find((u) => u.userId === ada.id)).toMatchObject({ status: 'ok', added: 0, removed: 2, repoCount: 0 });
    expect(await readable(ada)).toEqual([]);
    const changes = await services.store.audit.list({ action: 'permissions.changed' });
    expect(changes.map((e) => [e.target, e.detail.added, e.detail.removed])).toEqual([
      [ada.id, 0, 2],
      [ada.id, 2, 0],
    ]);
  });

  it('keeps a repository’s last grants when its collaborators cannot be listed, revoking no one', async () => {
    perms.grant('bob', 'acme/beta');
    await syncAllPermissions(fast, local());
    perms.revoke('bob', 'acme/beta');
    perms.readable.set('bob', new Set(['acme/beta']));
    perms.collaborators.set('acme/beta', new Set());
    perms.fail({ token: 'tok-org', path: '/repos/acme/beta/collaborators', status: 403 });
    const report = await syncAllPermissions(fast, local());
    expect(report.repos.failed).toEqual([{ repoId: ids.beta, repo: 'beta', error: expect.stringContaining('403') }]);
    expect(await readable(bob)).toEqual(['beta']);
    expect(await services.store.access.syncState(bob.id)).toMatchObject({ status: 'ok' });
  });
});

describe('a narrowed sync (the schedule retrying what failed)', () => {
  it('asks only for the repositories and users named, and still audits whoever it changed', async () => {
    perms.collaborators.set('acme/beta', new Set(['cy']));
    perms.collaborators.set('acme/gamma', new Set(['cy']));
    const report = await syncAllPermissions({ userIds: [], repoIds: [ids.beta as number], ...fast }, local());
    expect(report).toMatchObject({ users: [], repos: { checked: 1, failed: [] } });
    expect(github.requests).toEqual(['GET /repos/acme/beta/collaborators?affiliation=all&per_page=100']);
    expect(await readable(cy)).toEqual(['beta']);
    const [event] = await services.store.audit.list({ action: 'permissions.changed' });
    expect(event).toMatchObject({ target: cy.id, detail: { added: 1, removed: 0 } });
  });
});

describe('the revoke / keep rule', () => {
  beforeEach(async () => {
    perms.readable.set('ada', new Set(['acme/alpha']));
    perms.collaborators.set('acme/gamma', new Set(['ada']));
    await syncAllPermissions(fast, local());
    expect(await readable(ada)).toEqual(['alpha', 'gamma']);
  });

  it.each([401, 403, 410] as const)('%s revokes everything at once and forgets the token', async (status) => {
    perms.fail({ token: ADA_TOKEN, status });
    github.requests.splice(0);
    const outcome = await syncUserPermissions({ userId: ada.id, ...fast }, local());
    expect(outcome).toMatchObject({ status: 'revoked', repoCount: 0, removed: 2 });
    expect(await readable(ada)).toEqual([]);
    expect(await services.store.users.identity(ada.id, 'github')).toMatchObject({ sealedToken: null });
    const state = await services.store.access.syncState(ada.id);
    expect(state).toMatchObject({ status: 'revoked', repoCount: 0, lastError: expect.stringContaining(String(status)) });
    expect(JSON.stringify(state)).not.toContain(ADA_TOKEN);
    const [event] = await services.store.audit.list({ action: 'permissions.' });
    expect(event).toMatchObject({ action: 'permissions.revoked', target: ada.id, detail: { status, removed: 2 } });
    // Only one call: a revoking answer is not retried.
    expect(github.requests).toEqual(['GET /user/repos?affiliation=owner%2Ccollaborator%2Corganization_member&per_page=100']);
  });

  it('a token GitHub no longer knows (Bad credentials) revokes too, and a later full sync restores only what the org token confirms', async () => {
    github.tokens.delete(ADA_TOKEN);
    const report = await syncAllPermissions(fast, local());
    expect(report.users.find((u) => u.userId === ada.id)).toMatchObject({ status: 'revoked' });
    expect(await readable(ada)).toEqual([]);
    await syncAllPermissions(fast, local());
    expect(await readable(ada)).toEqual(['gamma']);
    expect(await services.store.access.syncState(ada.id)).toMatchObject({ status: 'revoked', repoCount: 1 });
  });

  it.each([500, 502, 'rate-limit'] as const)('%s keeps the last known access and marks the sync failed', async (status) => {
    perms.fail({ token: ADA_TOKEN, status });
    github.requests.splice(0);
    const outcome = await syncUserPermissions({ userId: ada.id, ...fast }, local());
    expect(outcome).toMatchObject({ status: 'failed', repoCount: 2, added: 0, removed: 0 });
    expect(outcome.error).toMatch(status === 'rate-limit' ? /rate limit/ : new RegExp(String(status)));
    expect(await readable(ada)).toEqual(['alpha', 'gamma']);
    expect((await services.store.users.identity(ada.id, 'github'))?.sealedToken).toBeTruthy();
    const state = await services.store.access.syncState(ada.id);
    expect(state).toMatchObject({ status: 'failed', repoCount: 2 });
    expect(state?.lastSyncedAt).not.toBeNull();
    expect(await services.store.audit.list({ action: 'permissions.revoked' })).toEqual([]);
    // Octokit retried before giving up: more than one request for the first page.
    expect(github.requests.length).toBeGreaterThan(1);
    perms.clearFailures();
    expect(await syncUserPermissions({ userId: ada.id, ...fast }, local())).toMatchObject({ status: 'ok' });
  });
});

describe('showPermissions', () => {
  it('names the readable private repositories and the sync state', async () => {
    perms.grant('bob', 'acme/beta');
    await syncAllPermissions(fast, local());
    expect(await showPermissions({ userId: bob.id }, as(bob))).toMatchObject({
      userId: bob.id,
      githubLogin: 'bob',
      linked: true,
      state: { status: 'ok', repoCount: 1 },
      repos: ['beta'],
    });
    expect(await showPermissions({ userId: dee.id }, local())).toMatchObject({ linked: false, state: null, repos: [] });
  });
});
