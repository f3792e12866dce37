import { describe, expect, it } from 'vitest';
import type { BlameRange } from '../../src/shared/blame.js';
import type { BlameEntry, BlameKey, Store } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

const hex = (c: string) => c.repeat(40);

async function addRepo(store: Store, name: string): Promise<number> {
  return (await store.repos.upsert({ name, sourceType: 'local', sourceKey: 'manual', fullName: name, cloneUrl: '/x', localPath: '/x' })).id;
}

/** Two commits over three spans, one of them from before a rename, with a Latin-1-era name and a boundary. */
function sample(seed: string): BlameRange {
  return {
    commits: [
      {
        hash: hex('a'),
        author: `José Núñez ${seed}`,
        email: 'jose@example.com',
        authorTime: 1_700_000_000,
        authorTz: 330,
        committerTime: 1_700_000_100,
        subject: 'Résumé: "quotes" and \\ back',
        boundary: false,
      },
      {
        hash: hex('b'),
        author: 'Bob',
        email: 'bob@example.com',
        authorTime: 1_600_000_000,
        authorTz: -420,
        committerTime: 1_600_000_000,
        subject: 'root',
        boundary: true,
      },
    ],
    spans: [
      { hash: hex('b'), startLine: 10, lineCount: 3, origStartLine: 1, origPath: 'old/name.py' },
      { hash: hex('a'), startLine: 13, lineCount: 1, origStartLine: 20, origPath: 'src/name.py' },
      { hash: hex('b'), startLine: 14, lineCount: 2, origStartLine: 5, origPath: 'old/name.py' },
    ],
  };
}

const key = (repoId: number, blob: string, startLine = 10, endLine = 15, path = 'src/name.py'): BlameKey => ({
  repoId,
  path,
  blob: hex(blob),
  startLine,
  endLine,
});

describe.each(BACKENDS)('the blame cache on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('gives back what was stored, per (repository, path, blob, range), in the order asked, null where nothing is cached', async () => {
    const { store } = await openStore();
    const api = await addRepo(store, 'api');
    const fork = await addRepo(store, 'fork');
    const entry: BlameEntry = { ...key(api, 'c'), commit: hex('d'), ...sample('one') };
    await store.blame.put(entry);
    await store.blame.put({ ...key(fork, 'c'), commit: hex('e'), ...sample('fork') });
    const [missingRange, found, otherPath, inFork, otherBlob] = await store.blame.get([
      key(api, 'c', 10, 16),
      key(api, 'c'),
      key(api, 'c', 10, 15, 'src/copy.py'),
      key(fork, 'c'),
      key(api, 'f'),
    ]);
    expect(found).toEqual(entry);
    expect(inFork?.commits[0]?.author).toBe('José Núñez fork');
    expect(inFork?.commit).toBe(hex('e'));
    expect([missingRange, otherPath, otherBlob]).toEqual([null, null, null]);
    expect(await store.blame.get([])).toEqual([]);
    expect(await store.blame.count()).toBe(2);
  });

  it('replaces an entry stored again, and prunes the least recently stored beyond what it keeps', async () => {
    const { store } = await openStore();
    const api = await addRepo(store, 'api');
    for (const blob of ['1', '2', '3', '4']) await store.blame.put({ ...key(api, blob), commit: hex('d'), ...sample(blob) });
    // Stored again: now the most recent one, with the new answer.
    await store.blame.put({ ...key(api, '1'), commit: hex('e'), ...sample('again') });
    expect(await store.blame.count()).toBe(4);
    expect(await store.blame.prune(10)).toBe(0);
    expect(await store.blame.prune(2)).toBe(2);
    const kept = await store.blame.get(['1', '2', '3', '4'].map((b) => key(api, b)));
    expect(kept.map((e) => e?.commits[0]?.author ?? null)).toEqual(['José Núñez again', null, null, 'José Núñez 4']);
    expect(await store.blame.prune(0)).toBe(2);
    expect(await store.blame.count()).toBe(0);
  });

  it('forgets a removed repository’s entries', async () => {
    const { store } = await openStore();
    const api = await addRepo(store, 'api');
    const web = await addRepo(store, 'web');
    await store.blame.put({ ...key(api, 'c'), commit: hex('d'), ...sample('api') });
    await store.blame.put({ ...key(web, 'c'), commit: hex('d'), ...sample('web') });
    await store.repos.remove(api);
    expect((await store.blame.get([key(api, 'c'), key(web, 'c')])).map((e) => e?.repoId ?? null)).toEqual([null, web]);
  });
});
