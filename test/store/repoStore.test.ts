import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

describe.each(BACKENDS)('the repository store on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('inserts, reads back every field, updates by name without touching sync state, and lists in byte order', async () => {
    const { store, dir } = await openStore();
    const input = {
      name: 'api',
      sourceType: 'github',
      sourceKey: 'github:org/acme',
      fullName: 'acme/api',
      cloneUrl: 'https://github.com/acme/api.git',
      localPath: join(dir, 'repos', 'api'),
      isPrivate: true,
      description: 'the API',
    } as const;
    const first = await store.repos.upsert(input);
    expect(first).toMatchObject({
      name: 'api',
      isPrivate: true,
      isFork: false,
      syncStatus: 'pending',
      localPath: join(dir, 'repos', 'api'),
    });
    await store.repos.updateSync(first.id, { syncStatus: 'ok', headCommit: 'abc', lastSyncDurationMs: 12 });
    const again = await store.repos.upsert({ ...input, description: 'changed', isPrivate: false });
    expect(again).toMatchObject({
      id: first.id,
      description: 'changed',
      isPrivate: false,
      syncStatus: 'ok',
      headCommit: 'abc',
      lastSyncDurationMs: 12,
    });
    expect(again.createdAt).toBe(first.createdAt);
    for (const name of ['Zeta', 'alpha', '_x']) {
      await store.repos.upsert({
        name,
        sourceType: 'local',
        sourceKey: 'manual',
        fullName: name,
        cloneUrl: '/elsewhere',
        localPath: '/elsewhere',
      });
    }
    expect((await store.repos.list()).map((r) => r.name)).toEqual(['Zeta', '_x', 'alpha', 'api']);
    expect((await store.repos.get('alpha'))?.localPath).toBe('/elsewhere');
    expect(await store.repos.get('missing')).toBeNull();
    await store.repos.remove(first.id);
    expect(await store.repos.getById(first.id)).toBeNull();
  });

  it('is seen by a second process opening the same store', async () => {
    const { store, reopen, dir } = await openStore();
    await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir });
    const other = await reopen();
    expect((await other.repos.list()).map((r) => r.name)).toEqual(['r']);
  });

  it('lets one writer in at a time, names the holder to the one waiting, and frees the lock on release', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    const lease = await store.writer.acquire({ command: 'gitlore index', task: 'indexing', waitMs: 0 });
    let seen: unknown = 'not called';
    await expect(
      other.writer.acquire({ command: 'gitlore sync', task: 'syncing', waitMs: 300, onWait: (holder) => (seen = holder) }),
    ).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining('`gitlore index`, indexing since') });
    expect(seen).toMatchObject({ pid: process.pid, command: 'gitlore index' });
    await lease.release();
    const next = await other.writer.acquire({ command: 'gitlore sync', task: 'syncing', waitMs: 0 });
    await next.release();
  });
});
