import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

async function setup(store: Store) {
  const repo = (name: string) =>
    store.repos.upsert({
      name,
      sourceType: 'github',
      sourceKey: 'github:org/acme',
      fullName: `acme/${name}`,
      cloneUrl: name,
      localPath: `/c/${name}`,
      isPrivate: true,
    });
  const [a, b, c] = [await repo('a'), await repo('b'), await repo('c')];
  const user = (n: string) => store.users.signIn({ provider: 'github', subject: n }, { role: 'member', linkByEmail: false });
  return { a, b, c, ada: await user('1'), bob: await user('2') };
}

const sorted = (ids: Iterable<number>) => [...ids].sort((x, y) => x - y);

describe.each(BACKENDS)('repository access on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('a repository is readable when either source grants it; each source is replaced whole', async () => {
    const { store } = await openStore();
    const { a, b, c, ada, bob } = await setup(store);
    await store.access.replaceForUser(ada.id, 'user', [a.id, b.id, b.id]);
    await store.access.replaceForRepo(c.id, [ada.id, bob.id]);
    expect(sorted(await store.access.readableRepoIds(ada.id))).toEqual(sorted([a.id, b.id, c.id]));
    expect(sorted(await store.access.readableRepoIds(bob.id))).toEqual([c.id]);
    // Bob's `repo` grants replaced whole from his side: c's list of him is gone too.
    await store.access.replaceForUser(bob.id, 'repo', [a.id]);
    expect(sorted(await store.access.readableRepoIds(bob.id))).toEqual([a.id]);
    // Ada's own token no longer lists b, but lists c, which the org's view of c grants her too.
    await store.access.replaceForUser(ada.id, 'user', [a.id, c.id]);
    await store.access.replaceForRepo(c.id, [ada.id]);
    expect(sorted(await store.access.readableRepoIds(ada.id))).toEqual(sorted([a.id, c.id]));
    expect([...(await store.access.readableRepoIds(bob.id))]).toEqual([a.id]);
    // Replacing the org's view of c left Ada's own grant of c.
    await store.access.replaceForRepo(c.id, []);
    expect(sorted(await store.access.readableRepoIds(ada.id))).toEqual(sorted([a.id, c.id]));
    await store.access.replaceForUser(ada.id, 'user', []);
    expect((await store.access.readableRepoIds(ada.id)).size).toBe(0);
    expect((await store.access.readableRepoIds('u_nobody')).size).toBe(0);
  });

  it('a replacement naming a repository or user that does not exist fails whole, leaving the grants as they were', async () => {
    const { store } = await openStore();
    const { a, b, c, ada } = await setup(store);
    await store.access.replaceForUser(ada.id, 'user', [a.id]);
    await store.access.replaceForRepo(b.id, [ada.id]);
    await expect(store.access.replaceForUser(ada.id, 'user', [c.id, 999_999])).rejects.toThrow();
    await expect(store.access.replaceForRepo(b.id, ['u_nobody'])).rejects.toThrow();
    expect(sorted(await store.access.readableRepoIds(ada.id))).toEqual(sorted([a.id, b.id]));
  });

  it('revoking removes every grant at once; a removed repository takes its grants with it', async () => {
    const { store } = await openStore();
    const { a, b, ada, bob } = await setup(store);
    await store.access.replaceForUser(ada.id, 'user', [a.id]);
    await store.access.replaceForRepo(b.id, [ada.id, bob.id]);
    await store.repos.remove(a.id);
    expect([...(await store.access.readableRepoIds(ada.id))]).toEqual([b.id]);
    await store.access.revokeUser(ada.id);
    expect((await store.access.readableRepoIds(ada.id)).size).toBe(0);
    expect([...(await store.access.readableRepoIds(bob.id))]).toEqual([b.id]);
  });

  it('keeps the last permission sync state per user', async () => {
    const { store } = await openStore();
    const { ada, bob } = await setup(store);
    expect(await store.access.syncState(ada.id)).toBeNull();
    const state = {
      userId: ada.id,
      status: 'failed' as const,
      lastSyncedAt: '2026-12-01T00:00:00.000Z',
      lastError: 'GitHub 502',
      repoCount: 3,
    };
    await store.access.setSyncState(state);
    expect(await store.access.syncState(ada.id)).toEqual(state);
    await store.access.setSyncState({ ...state, status: 'ok', lastError: null });
    expect(await store.access.syncState(ada.id)).toEqual({ ...state, status: 'ok', lastError: null });
    await store.access.setSyncState({ userId: bob.id, status: 'revoked', lastSyncedAt: null, lastError: null, repoCount: 0 });
    expect((await store.access.syncState(ada.id))?.status).toBe('ok');
    await expect(store.access.setSyncState({ ...state, status: 'bogus' as never })).rejects.toThrow();
    await expect(store.access.setSyncState({ ...state, userId: 'u_nobody' })).rejects.toThrow();
  });

  it("a deleted user's grants and sync state go with them", async () => {
    const { store, sql } = await openStore();
    const { a, b, ada, bob } = await setup(store);
    await store.access.replaceForUser(ada.id, 'user', [a.id]);
    await store.access.replaceForRepo(b.id, [ada.id, bob.id]);
    await store.access.setSyncState({ userId: ada.id, status: 'ok', lastSyncedAt: null, lastError: null, repoCount: 2 });
    await sql(`DELETE FROM users WHERE id = '${ada.id}'`);
    expect(await store.access.syncState(ada.id)).toBeNull();
    expect((await sql('SELECT user_id FROM repo_access')).map((r) => r.user_id)).toEqual([bob.id]);
  });
});
