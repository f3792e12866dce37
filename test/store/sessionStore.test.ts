import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

const hash = (c: string) => c.repeat(64);
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const signIn = (store: Store, subject: string) =>
  store.users.signIn({ provider: 'oidc', subject, email: `${subject}@acme.dev` }, { role: 'member', linkByEmail: false });

describe.each(BACKENDS)('the session store on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('creates a session seen now, finds it with its user, and touches it', async () => {
    const { store } = await openStore();
    const ada = await signIn(store, 'ada');
    const expiresAt = inAnHour();
    const created = await store.sessions.create({ idHash: hash('a'), userId: ada.id, expiresAt, userAgent: 'test' });
    expect(created).toEqual({
      idHash: hash('a'),
      userId: ada.id,
      createdAt: expect.stringMatching(/^\d{4}-/),
      lastSeenAt: created.createdAt,
      expiresAt,
      userAgent: 'test',
    });
    expect(await store.sessions.find(hash('a'))).toEqual({ session: created, user: ada });
    expect((await store.sessions.create({ idHash: hash('b'), userId: ada.id, expiresAt })).userAgent).toBeNull();
    await store.sessions.touch(hash('a'), '2099-01-01T00:00:00.000Z');
    expect((await store.sessions.find(hash('a')))?.session).toEqual({ ...created, lastSeenAt: '2099-01-01T00:00:00.000Z' });
    expect(await store.sessions.find(hash('c'))).toBeNull();
    await expect(store.sessions.create({ idHash: hash('a'), userId: ada.id, expiresAt })).rejects.toThrow();
    await expect(store.sessions.create({ idHash: hash('d'), userId: 'u_nobody', expiresAt })).rejects.toThrow();
  });

  it('stops finding the sessions of a disabled user, and finds them again once enabled', async () => {
    const { store } = await openStore();
    const ada = await signIn(store, 'ada');
    await store.sessions.create({ idHash: hash('a'), userId: ada.id, expiresAt: inAnHour() });
    await store.users.setDisabled(ada.id, true);
    expect(await store.sessions.find(hash('a'))).toBeNull();
    await store.users.setDisabled(ada.id, false);
    expect((await store.sessions.find(hash('a')))?.user.id).toBe(ada.id);
  });

  it('deletes one session, every session of a user, and those of a deleted user', async () => {
    const { store, sql } = await openStore();
    const ada = await signIn(store, 'ada');
    const bob = await signIn(store, 'bob');
    for (const [c, user] of [
      ['1', ada],
      ['2', ada],
      ['3', bob],
      ['4', bob],
      ['5', bob],
    ] as const) {
      await store.sessions.create({ idHash: hash(c), userId: user.id, expiresAt: inAnHour() });
    }
    expect(await store.sessions.delete(hash('3'))).toBe(true);
    expect(await store.sessions.delete(hash('3'))).toBe(false);
    expect(await store.sessions.deleteForUser(ada.id)).toBe(2);
    expect(await store.sessions.deleteForUser(ada.id)).toBe(0);
    expect(await store.sessions.find(hash('4'))).not.toBeNull();
    await sql(`DELETE FROM users WHERE id = '${bob.id}'`);
    expect(await store.sessions.find(hash('4'))).toBeNull();
    expect(await sql('SELECT id_hash FROM sessions')).toEqual([]);
  });

  it('expires sessions at their absolute expiry (inclusive) or idle since before the bound (exclusive)', async () => {
    const { store } = await openStore();
    const ada = await signIn(store, 'ada');
    const now = '2030-06-01T12:00:00.000Z';
    await store.sessions.create({ idHash: hash('1'), userId: ada.id, expiresAt: now });
    await store.sessions.create({ idHash: hash('2'), userId: ada.id, expiresAt: '2030-06-01T12:00:00.001Z' });
    await store.sessions.create({ idHash: hash('3'), userId: ada.id, expiresAt: '2031-01-01T00:00:00.000Z' });
    await store.sessions.create({ idHash: hash('4'), userId: ada.id, expiresAt: '2031-01-01T00:00:00.000Z' });
    await store.sessions.touch(hash('2'), '2030-06-01T11:00:00.000Z');
    await store.sessions.touch(hash('3'), '2030-06-01T10:59:59.999Z');
    await store.sessions.touch(hash('4'), '2030-06-01T11:00:00.000Z');
    expect(await store.sessions.deleteExpired(now, '2030-06-01T11:00:00.000Z')).toBe(2);
    expect(await store.sessions.find(hash('1'))).toBeNull();
    expect(await store.sessions.find(hash('3'))).toBeNull();
    expect(await store.sessions.find(hash('2'))).not.toBeNull();
    expect(await store.sessions.find(hash('4'))).not.toBeNull();
    expect(await store.sessions.deleteExpired(now, '2030-06-01T11:00:00.000Z')).toBe(0);
  });
});
