import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

const hash = (c: string) => c.repeat(64);

describe.each(BACKENDS)('the API token store on %s', (backend) => {
  const openStore = useBackendStores(backend);
  const signIn = async (store: Awaited<ReturnType<typeof openStore>>['store'], subject: string) =>
    store.users.signIn({ provider: 'github', subject }, { role: 'member', linkByEmail: false });

  it('creates tokens with their user and scopes, and lists them in creation order, all or one user’s', async () => {
    const { store } = await openStore();
    const ada = await signIn(store, '1');
    const operator = await store.tokens.create({ name: 'ci', prefix: 'glt_00', hash: hash('0') });
    expect(operator).toEqual({
      id: expect.any(Number),
      name: 'ci',
      prefix: 'glt_00',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastUsedAt: null,
      revokedAt: null,
      userId: null,
      scopes: [],
    });
    const mine = await store.tokens.create({ name: 'mcp', prefix: 'glt_11', hash: hash('1'), userId: ada.id, scopes: ['read', 'mcp'] });
    const third = await store.tokens.create({ name: 'z', prefix: 'glt_22', hash: hash('2'), userId: ada.id, scopes: ['read'] });
    expect(mine).toMatchObject({ name: 'mcp', userId: ada.id, scopes: ['read', 'mcp'] });
    expect(mine.id).toBeGreaterThan(operator.id);
    expect((await store.tokens.list()).map((t) => t.name)).toEqual(['ci', 'mcp', 'z']);
    expect(await store.tokens.list(ada.id)).toEqual([mine, third]);
    expect(await store.tokens.list('u_nobody')).toEqual([]);
    await expect(store.tokens.create({ name: 'again', prefix: 'glt_00', hash: hash('0') })).rejects.toThrow();
    expect(await store.tokens.countActive()).toBe(3);
  });

  it('finds an active token by hash, records each use and answers the use before it', async () => {
    const { store } = await openStore();
    const created = await store.tokens.create({ name: 'ci', prefix: 'glt_aa', hash: hash('a'), scopes: ['mcp'] });
    expect(await store.tokens.findActiveByHash(hash('b'))).toBeNull();
    const first = await store.tokens.findActiveByHash(hash('a'));
    expect(first).toEqual(created);
    const [listed] = await store.tokens.list();
    expect(listed?.lastUsedAt).toEqual(expect.stringMatching(/^\d{4}-/));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await store.tokens.findActiveByHash(hash('a'));
    expect(second?.lastUsedAt).toBe(listed?.lastUsedAt);
    expect(String((await store.tokens.list())[0]?.lastUsedAt) > String(listed?.lastUsedAt)).toBe(true);
  });

  it('revokes by id once; a revoked token is no longer found nor counted', async () => {
    const { store } = await openStore();
    const a = await store.tokens.create({ name: 'a', prefix: 'glt_aa', hash: hash('a') });
    await store.tokens.create({ name: 'b', prefix: 'glt_bb', hash: hash('b') });
    expect(await store.tokens.revokeById(a.id)).toBe(true);
    expect(await store.tokens.revokeById(a.id)).toBe(false);
    expect(await store.tokens.revokeById(a.id + 100)).toBe(false);
    expect(await store.tokens.findActiveByHash(hash('a'))).toBeNull();
    expect(await store.tokens.findActiveByHash(hash('b'))).not.toBeNull();
    expect(await store.tokens.countActive()).toBe(1);
    const [revoked] = await store.tokens.list();
    expect(revoked?.revokedAt).toEqual(expect.stringMatching(/^\d{4}-/));
  });

  it('revokes by name (every active token of it) or by id written as text, counting only what was active', async () => {
    const { store } = await openStore();
    const first = await store.tokens.create({ name: 'ci', prefix: 'glt_aa', hash: hash('a') });
    await store.tokens.create({ name: 'ci', prefix: 'glt_bb', hash: hash('b') });
    // A token named like another's id goes with it.
    await store.tokens.create({ name: String(first.id), prefix: 'glt_cc', hash: hash('c') });
    const keep = await store.tokens.create({ name: 'keep', prefix: 'glt_dd', hash: hash('d') });
    expect(await store.tokens.revoke('CI')).toBe(0);
    expect(await store.tokens.revoke(String(first.id))).toBe(2);
    expect(await store.tokens.revoke('ci')).toBe(1);
    expect(await store.tokens.revoke('ci')).toBe(0);
    expect(await store.tokens.countActive()).toBe(1);
    expect((await store.tokens.list()).filter((t) => t.revokedAt === null)).toEqual([keep]);
  });

  it("a deleted user's tokens go with them; operator tokens stay", async () => {
    const { store, sql } = await openStore();
    const ada = await signIn(store, '1');
    await store.tokens.create({ name: 'mine', prefix: 'glt_aa', hash: hash('a'), userId: ada.id });
    await store.tokens.create({ name: 'ci', prefix: 'glt_bb', hash: hash('b') });
    await sql(`DELETE FROM users WHERE id = '${ada.id}'`);
    expect((await store.tokens.list()).map((t) => t.name)).toEqual(['ci']);
    await expect(store.tokens.create({ name: 'x', prefix: 'glt_cc', hash: hash('c'), userId: 'u_nobody' })).rejects.toThrow();
  });
});
