import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git.js';
import type { Store } from '../types.js';
import { openSqliteStore } from './sqliteStore.js';

let store: Store;
beforeEach(() => {
  store = openSqliteStore(join(tempDir('gitlore-users-'), 'index', 'gitlore.db'), { vectorIndexDir: null });
});
afterEach(async () => {
  await store.close();
});

const google = (sub: string, email: string) => ({
  provider: 'oidc' as const,
  subject: `https://accounts.google.com|${sub}`,
  email,
  name: 'Ada',
});
const github = (id: number, login: string, email?: string) => ({
  provider: 'github' as const,
  subject: String(id),
  email: email ?? null,
  githubLogin: login,
  githubId: id,
});

describe('users', () => {
  it('a first sign-in creates the user with the given role; the next one finds it and records the time', async () => {
    const first = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'admin', linkByEmail: false });
    expect(first).toMatchObject({ email: 'ada@acme.dev', name: 'Ada', role: 'admin', githubLogin: null, disabledAt: null });
    expect(first.id).toMatch(/^u_[A-Za-z0-9_-]{16}$/);
    const again = await store.users.signIn({ ...google('1', 'ada@acme.dev'), name: 'Ada L.' }, { role: 'member', linkByEmail: false });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ role: 'admin', name: 'Ada L.' });
    expect(again.lastSignInAt).not.toBeNull();
    expect(await store.users.list()).toHaveLength(1);
  });

  it('a new identity with the same email joins that user only when linking by email is allowed', async () => {
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'member', linkByEmail: false });
    const separate = await store.users.signIn(github(7, 'ada-gh', 'ADA@acme.dev'), { role: 'member', linkByEmail: false });
    expect(separate.id).not.toBe(ada.id);
    // The email stays with the user who had it.
    expect(separate.email).toBeNull();
    const joined = await store.users.signIn(github(8, 'ada-two', 'ada@acme.dev'), { role: 'member', linkByEmail: true });
    expect(joined.id).toBe(ada.id);
    expect(joined.githubLogin).toBe('ada-two');
  });

  it('links a GitHub account to a signed-in user once; another user cannot take it', async () => {
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'member', linkByEmail: false });
    const bob = await store.users.signIn(google('2', 'bob@acme.dev'), { role: 'member', linkByEmail: false });
    const linked = await store.users.link(ada.id, github(7, 'ada-gh'));
    expect(linked).toMatchObject({ id: ada.id, githubLogin: 'ada-gh', githubId: 7, name: 'Ada' });
    // Signing in with that GitHub account now finds Ada.
    expect((await store.users.signIn(github(7, 'ada-gh'), { role: 'member', linkByEmail: false })).id).toBe(ada.id);
    await expect(store.users.link(bob.id, github(7, 'ada-gh'))).rejects.toMatchObject({ code: 'IDENTITY_TAKEN' });
  });

  it('roles and disabling', async () => {
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'member', linkByEmail: false });
    expect(await store.users.setRole(ada.id, 'admin')).toBe(true);
    expect((await store.users.get(ada.id))?.role).toBe('admin');
    expect(await store.users.setRole('u_nobody', 'admin')).toBe(false);
    expect(await store.users.setDisabled(ada.id, true)).toBe(true);
    expect((await store.users.findByEmail('ADA@acme.dev'))?.disabledAt).not.toBeNull();
  });

  it('keeps and forgets the sealed token of a linked identity', async () => {
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'member', linkByEmail: false });
    expect(await store.users.identity(ada.id, 'github')).toBeNull();
    expect(await store.users.setIdentityToken(ada.id, 'github', 'v1.sealed')).toBe(false);
    await store.users.link(ada.id, github(7, 'ada-gh'));
    expect(await store.users.identity(ada.id, 'github')).toEqual({ subject: '7', sealedToken: null });
    expect(await store.users.setIdentityToken(ada.id, 'github', 'v1.sealed')).toBe(true);
    expect((await store.users.identity(ada.id, 'github'))?.sealedToken).toBe('v1.sealed');
    await store.users.setIdentityToken(ada.id, 'github', null);
    expect((await store.users.identity(ada.id, 'github'))?.sealedToken).toBeNull();
  });
});

describe('sessions', () => {
  it('finds a session with its user, touches it, and stops finding it once the user is disabled', async () => {
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'member', linkByEmail: false });
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    await store.sessions.create({ idHash: 'a'.repeat(64), userId: ada.id, expiresAt, userAgent: 'test' });
    const found = await store.sessions.find('a'.repeat(64));
    expect(found?.user.id).toBe(ada.id);
    expect(found?.session).toMatchObject({ userId: ada.id, expiresAt, userAgent: 'test' });
    await store.sessions.touch('a'.repeat(64), '2099-01-01T00:00:00.000Z');
    expect((await store.sessions.find('a'.repeat(64)))?.session.lastSeenAt).toBe('2099-01-01T00:00:00.000Z');
    expect(await store.sessions.find('b'.repeat(64))).toBeNull();
    await store.users.setDisabled(ada.id, true);
    expect(await store.sessions.find('a'.repeat(64))).toBeNull();
  });

  it('logout everywhere, and expiry by absolute time or idleness', async () => {
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'member', linkByEmail: false });
    const bob = await store.users.signIn(google('2', 'bob@acme.dev'), { role: 'member', linkByEmail: false });
    const later = new Date(Date.now() + 3600_000).toISOString();
    await store.sessions.create({ idHash: '1'.repeat(64), userId: ada.id, expiresAt: later });
    await store.sessions.create({ idHash: '2'.repeat(64), userId: ada.id, expiresAt: later });
    await store.sessions.create({ idHash: '3'.repeat(64), userId: bob.id, expiresAt: later });
    expect(await store.sessions.deleteForUser(ada.id)).toBe(2);
    expect(await store.sessions.find('3'.repeat(64))).not.toBeNull();
    await store.sessions.create({ idHash: '4'.repeat(64), userId: bob.id, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const now = new Date().toISOString();
    // Bob's first session is idle since before now + 1 s: both go.
    expect(await store.sessions.deleteExpired(now, new Date(Date.now() - 60_000).toISOString())).toBe(1);
    expect(await store.sessions.deleteExpired(now, new Date(Date.now() + 1000).toISOString())).toBe(1);
    expect(await store.sessions.delete('3'.repeat(64))).toBe(false);
  });
});

describe('audit log', () => {
  it('appends events and reads them newest first, by actor, action or prefix, paging back', async () => {
    for (const [actor, action] of [
      ['u_a', 'signin'],
      ['anonymous', 'signin.refused'],
      ['u_a', 'token.create'],
      ['u_b', 'token.revoke'],
    ] as const) {
      await store.audit.append({ actor, action, target: null, detail: { n: 1 }, ip: '127.0.0.1' });
    }
    const all = await store.audit.list();
    expect(all.map((e) => e.action)).toEqual(['token.revoke', 'token.create', 'signin.refused', 'signin']);
    expect(all[0]).toMatchObject({ actor: 'u_b', detail: { n: 1 }, ip: '127.0.0.1' });
    expect((await store.audit.list({ actor: 'u_a' })).map((e) => e.action)).toEqual(['token.create', 'signin']);
    expect((await store.audit.list({ action: 'token.' })).map((e) => e.action)).toEqual(['token.revoke', 'token.create']);
    expect((await store.audit.list({ action: 'signin' })).map((e) => e.action)).toEqual(['signin']);
    expect((await store.audit.list({ beforeId: all[1]!.id, limit: 1 })).map((e) => e.action)).toEqual(['signin.refused']);
  });
});

describe('API tokens of a user', () => {
  it('a token carries its user and scopes; a user lists their own', async () => {
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'member', linkByEmail: false });
    const operator = await store.tokens.create({ name: 'ci', prefix: 'glt_00', hash: '0'.repeat(64) });
    expect(operator).toMatchObject({ userId: null, scopes: [] });
    const mine = await store.tokens.create({
      name: 'mcp',
      prefix: 'glt_11',
      hash: '1'.repeat(64),
      userId: ada.id,
      scopes: ['read', 'mcp'],
    });
    expect(mine).toMatchObject({ name: 'mcp', userId: ada.id, scopes: ['read', 'mcp'] });
    expect((await store.tokens.findActiveByHash('1'.repeat(64)))?.scopes).toEqual(['read', 'mcp']);
    expect((await store.tokens.list(ada.id)).map((t) => t.name)).toEqual(['mcp']);
    expect((await store.tokens.list()).map((t) => t.name)).toEqual(['ci', 'mcp']);
  });
});
