import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git.js';
import type { Store } from '../types.js';
import { openSqliteStore } from './sqliteStore.js';

let store: Store;
beforeEach(() => {
  store = openSqliteStore(join(tempDir('gitlore-access-'), 'index', 'gitlore.db'), { vectorIndexDir: null });
});
afterEach(async () => {
  await store.close();
});

async function setup() {
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

describe('repository access', () => {
  it('a repository is readable when either source grants it; each source is replaced whole', async () => {
    const { a, b, c, ada, bob } = await setup();
    await store.access.replaceForUser(ada.id, 'user', [a.id, b.id]);
    await store.access.replaceForRepo(c.id, [ada.id, bob.id]);
    expect([...(await store.access.readableRepoIds(ada.id))].sort()).toEqual([a.id, b.id, c.id].sort());
    expect([...(await store.access.readableRepoIds(bob.id))]).toEqual([c.id]);
    // Ada's own token no longer lists b; the org's view of c drops bob.
    await store.access.replaceForUser(ada.id, 'user', [a.id]);
    await store.access.replaceForRepo(c.id, [ada.id]);
    expect([...(await store.access.readableRepoIds(ada.id))].sort()).toEqual([a.id, c.id].sort());
    expect((await store.access.readableRepoIds(bob.id)).size).toBe(0);
  });

  it('revoking removes every grant at once; a removed repository takes its grants with it', async () => {
    const { a, b, ada } = await setup();
    await store.access.replaceForUser(ada.id, 'user', [a.id]);
    await store.access.replaceForRepo(b.id, [ada.id]);
    await store.repos.remove(a.id);
    expect([...(await store.access.readableRepoIds(ada.id))]).toEqual([b.id]);
    await store.access.revokeUser(ada.id);
    expect((await store.access.readableRepoIds(ada.id)).size).toBe(0);
  });

  it('keeps the last permission sync state per user', async () => {
    const { ada } = await setup();
    expect(await store.access.syncState(ada.id)).toBeNull();
    const state = {
      userId: ada.id,
      status: 'failed' as const,
      lastSyncedAt: '2026-12-01T00:00:00.000Z',
      lastError: 'GitHub 502',
      repoCount: 3,
    };
    await store.access.setSyncState(state);
    await store.access.setSyncState({ ...state, status: 'ok', lastError: null });
    expect(await store.access.syncState(ada.id)).toEqual({ ...state, status: 'ok', lastError: null });
  });
});
