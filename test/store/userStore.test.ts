import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

const google = (sub: string, email: string | null) => ({
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
const member = { role: 'member' as const, linkByEmail: false };

describe.each(BACKENDS)('the user store on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('a first sign-in creates the user with the given role; the next one finds it, updates it and records the time', async () => {
    const { store } = await openStore();
    const first = await store.users.signIn(google('1', 'ada@acme.dev'), { role: 'admin', linkByEmail: false });
    expect(first).toEqual({
      id: expect.stringMatching(/^u_[A-Za-z0-9_-]{16}$/),
      email: 'ada@acme.dev',
      name: 'Ada',
      role: 'admin',
      githubLogin: null,
      githubId: null,
      createdAt: expect.stringMatching(/^\d{4}-/),
      lastSignInAt: first.createdAt,
      disabledAt: null,
    });
    await new Promise((resolve) => setTimeout(resolve, 3));
    const again = await store.users.signIn({ ...google('1', 'ada@acme.dev'), name: 'Ada L.' }, member);
    expect(again).toMatchObject({ id: first.id, role: 'admin', name: 'Ada L.', createdAt: first.createdAt });
    expect(String(again.lastSignInAt) > String(first.lastSignInAt)).toBe(true);
    // Claims that say nothing leave what is known.
    expect(await store.users.signIn({ ...google('1', null), name: null }, member)).toMatchObject({ email: 'ada@acme.dev', name: 'Ada L.' });
    expect(await store.users.list()).toHaveLength(1);
    expect(await store.users.get(first.id)).toMatchObject({ id: first.id, name: 'Ada L.' });
    expect(await store.users.get('u_nobody')).toBeNull();
  });

  it('a new identity with the same email joins that user only when linking by email is allowed', async () => {
    const { store } = await openStore();
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), member);
    const separate = await store.users.signIn(github(7, 'ada-gh', 'ADA@acme.dev'), member);
    expect(separate.id).not.toBe(ada.id);
    // The email stays with the user who had it, also when the other signs in again with it.
    expect(separate.email).toBeNull();
    expect((await store.users.signIn(github(7, 'ada-gh', 'ada@ACME.dev'), member)).email).toBeNull();
    const joined = await store.users.signIn(github(8, 'ada-two', 'ada@acme.dev'), { role: 'member', linkByEmail: true });
    expect(joined).toMatchObject({ id: ada.id, githubLogin: 'ada-two', githubId: 8 });
    expect((await store.users.signIn(github(8, 'ada-two'), member)).id).toBe(ada.id);
    // Linking by email needs an email that someone has.
    expect((await store.users.signIn(github(9, 'new', 'new@acme.dev'), { role: 'member', linkByEmail: true })).id).not.toBe(ada.id);
    expect(await store.users.list()).toHaveLength(3);
  });

  it('finds users by email ignoring ASCII case only, as SQLite does', async () => {
    const { store } = await openStore();
    const ada = await store.users.signIn(google('1', 'ädä@acme.dev'), member);
    expect((await store.users.findByEmail('ädä@ACME.DEV'))?.id).toBe(ada.id);
    expect(await store.users.findByEmail('ÄDÄ@acme.dev')).toBeNull();
    expect(await store.users.findByEmail('nobody@acme.dev')).toBeNull();
    // So a case variant beyond ASCII is another email, which a new user may have.
    expect((await store.users.signIn(google('2', 'ÄDÄ@acme.dev'), member)).email).toBe('ÄDÄ@acme.dev');
  });

  it('lists users in the order they came', async () => {
    const { store } = await openStore();
    const ids: string[] = [];
    for (const n of ['1', '2', '3']) {
      ids.push((await store.users.signIn(google(n, `${n}@acme.dev`), member)).id);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect((await store.users.list()).map((u) => u.id)).toEqual(ids);
  });

  it('links a GitHub account to a signed-in user once; another user cannot take it', async () => {
    const { store } = await openStore();
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), member);
    const bob = await store.users.signIn(google('2', 'bob@acme.dev'), member);
    const linked = await store.users.link(ada.id, github(7, 'ada-gh', 'bob@acme.dev'));
    // The link keeps the name, and an email another user holds stays with them.
    expect(linked).toMatchObject({ id: ada.id, githubLogin: 'ada-gh', githubId: 7, name: 'Ada', email: 'ada@acme.dev' });
    expect((await store.users.signIn(github(7, 'ada-gh'), member)).id).toBe(ada.id);
    expect(await store.users.link(ada.id, github(7, 'ada-renamed'))).toMatchObject({ githubLogin: 'ada-renamed' });
    await expect(store.users.link(bob.id, github(7, 'ada-gh'))).rejects.toMatchObject({ code: 'IDENTITY_TAKEN' });
    await expect(store.users.link('u_gone', github(8, 'x'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await store.users.identity(bob.id, 'github')).toBeNull();
  });

  it('one new identity signing in several times at once makes one user', async () => {
    const { store } = await openStore();
    // Connections open already, so the sign-ins do overlap.
    await Promise.all(Array.from({ length: 8 }, () => store.users.list()));
    const users = await Promise.all(Array.from({ length: 5 }, () => store.users.signIn(github(7, 'ada-gh'), member)));
    expect(new Set(users.map((u) => u.id)).size).toBe(1);
    expect(await store.users.list()).toHaveLength(1);
  });

  it('sets roles and disables and enables users', async () => {
    const { store } = await openStore();
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), member);
    expect(await store.users.setRole(ada.id, 'admin')).toBe(true);
    expect((await store.users.get(ada.id))?.role).toBe('admin');
    expect(await store.users.setRole('u_nobody', 'admin')).toBe(false);
    await expect(store.users.setRole(ada.id, 'owner' as never)).rejects.toThrow();
    expect(await store.users.setDisabled(ada.id, true)).toBe(true);
    expect((await store.users.findByEmail('ADA@acme.dev'))?.disabledAt).toEqual(expect.stringMatching(/^\d{4}-/));
    expect(await store.users.setDisabled(ada.id, false)).toBe(true);
    expect((await store.users.get(ada.id))?.disabledAt).toBeNull();
    expect(await store.users.setDisabled('u_nobody', true)).toBe(false);
  });

  it('keeps and forgets the sealed token of a linked identity', async () => {
    const { store } = await openStore();
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), member);
    expect(await store.users.identity(ada.id, 'github')).toBeNull();
    expect(await store.users.identity(ada.id, 'oidc')).toEqual({ subject: 'https://accounts.google.com|1', sealedToken: null });
    expect(await store.users.setIdentityToken(ada.id, 'github', 'v1.sealed')).toBe(false);
    await store.users.link(ada.id, github(7, 'ada-gh'));
    expect(await store.users.identity(ada.id, 'github')).toEqual({ subject: '7', sealedToken: null });
    expect(await store.users.setIdentityToken(ada.id, 'github', 'v1.sealed')).toBe(true);
    expect(await store.users.identity(ada.id, 'github')).toEqual({ subject: '7', sealedToken: 'v1.sealed' });
    expect((await store.users.identity(ada.id, 'oidc'))?.sealedToken).toBeNull();
    await store.users.setIdentityToken(ada.id, 'github', null);
    expect((await store.users.identity(ada.id, 'github'))?.sealedToken).toBeNull();
  });

  it('the latest identity at a provider is the one answered', async () => {
    const { store } = await openStore();
    const ada = await store.users.signIn(google('1', 'ada@acme.dev'), member);
    await store.users.link(ada.id, github(7, 'old'));
    await new Promise((resolve) => setTimeout(resolve, 3));
    await store.users.link(ada.id, github(8, 'new'));
    expect((await store.users.identity(ada.id, 'github'))?.subject).toBe('8');
  });

  it('deleting a user removes their identities, so the identity signs in as someone new', async () => {
    const { store, sql } = await openStore();
    const ada = await store.users.signIn(github(7, 'ada-gh'), member);
    await sql(`DELETE FROM users WHERE id = '${ada.id}'`);
    expect(await sql('SELECT subject FROM user_identities')).toEqual([]);
    expect((await store.users.signIn(github(7, 'ada-gh'), member)).id).not.toBe(ada.id);
  });
});
