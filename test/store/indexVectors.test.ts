import { describe, expect, it } from 'vitest';
import type { IndexFileInput } from '../../src/store/indexStore.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';
import { fileWithChunks as file, storeWithRepos } from '../helpers/indexFixtures.js';

/** A unit vector of 8 dimensions, different for each i. */
const vec = (i: number) => {
  const v = Float32Array.from({ length: 8 }, (_, d) => Math.sin(i * 7 + d));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

describe.each(BACKENDS)('the vector port on %s', (backend) => {
  const open = useBackendStores(backend);

  it('returns the nearest chunks of the model, within repo and language filters, and nothing for another size', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [
          { symbol: 'a', body: 'a' },
          { symbol: 'b', body: 'b' },
        ]),
        file('c.py', 'python', [{ symbol: 'c', body: 'c' }]),
      ],
    });
    const v = (x: number, y: number) => Float32Array.from([x, y]);
    await store.index.putVectors('m', [
      { hash: 'a.ts:0', vector: v(1, 0) },
      { hash: 'a.ts:1', vector: v(0.6, 0.8) },
      { hash: 'c.py:0', vector: v(0, 1) },
    ]);
    const [a, b, c] = await store.index.chunks([1, 2, 3]);
    expect(await store.index.nearest('m', v(0, 1), 2, {})).toEqual([c!.id, b!.id]);
    expect(await store.index.nearest('m', v(0, 1), 2, { languages: ['typescript'] })).toEqual([b!.id, a!.id]);
    expect(await store.index.nearest('m', v(0, 1), 3, { repoIds: [repoId + 1] })).toEqual([]);
    expect(await store.index.nearest('m', Float32Array.from([0, 0, 1]), 2, {})).toEqual([]);
    expect(await store.index.nearest('other', v(0, 1), 2, {})).toEqual([]);
    const some = await store.index.vectorsOf('m', [b!.id, c!.id, 999]);
    expect([...some.keys()].sort()).toEqual([b!.id, c!.id].sort());
    expect(Array.from(some.get(b!.id)!)).toEqual(Array.from(v(0.6, 0.8)));
    expect((await store.index.vectorsOf('other', [a!.id])).size).toBe(0);
  });

  it('stores vectors bit for bit, one per content hash and model, replaced by a second put', async () => {
    const { store, repoId } = await storeWithRepos(open);
    const twin = file('b.ts', 'typescript', [{ symbol: 'a', body: 'a' }]);
    twin.chunks[0]!.hash = 'a.ts:0';
    await store.index.applyBatch(repoId, { remove: [], add: [file('a.ts', 'typescript', [{ symbol: 'a', body: 'a' }]), twin] });
    const odd = Float32Array.from([0.1, 1 / 3, -2.5e-8, 123456.789]);
    await store.index.putVectors('m', [{ hash: 'a.ts:0', vector: vec(1).slice(0, 4) }]);
    await store.index.putVectors('m', [{ hash: 'a.ts:0', vector: odd }]);
    const matrix = (await store.index.vectorMatrix('m'))!;
    expect(matrix.dims).toBe(4);
    expect(Array.from(matrix.chunkIds)).toEqual([1, 2]);
    expect(Array.from(matrix.repoIds)).toEqual([repoId, repoId]);
    expect(Array.from(matrix.data)).toEqual([...odd, ...odd]);
    expect(await store.index.vectorMatrix('other')).toBeNull();
    expect((await store.index.stats(repoId, 'm')).embedded).toBe(2);
  });

  it('lists the chunks a model has no vector for, after a cursor and within repos, with their file content', async () => {
    const { store, repoIds } = await storeWithRepos(open, ['r', 's']);
    await store.index.applyBatch(repoIds[0]!, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [
          { symbol: 'a', body: 'one' },
          { symbol: 'b', body: 'two' },
          { symbol: 'c', body: 'three' },
        ]),
      ],
    });
    await store.index.applyBatch(repoIds[1]!, { remove: [], add: [file('b.ts', 'typescript', [{ symbol: 'd', body: 'four' }])] });
    await store.index.putVectors('m', [{ hash: 'a.ts:1', vector: vec(1) }]);
    const missing = await store.index.missingVectors('m', 10);
    expect(missing.map((m) => m.hash)).toEqual(['a.ts:0', 'a.ts:2', 'b.ts:0']);
    expect(missing[0]).toMatchObject({ startLine: 1, endLine: 1, context: null, content: 'one\ntwo\nthree' });
    expect((await store.index.missingVectors('m', 1, undefined, missing[0]!.id)).map((m) => m.hash)).toEqual(['a.ts:2']);
    expect((await store.index.missingVectors('m', 10, [repoIds[1]!])).map((m) => m.content)).toEqual(['four']);
    expect(await store.index.missingVectors('other', 10)).toHaveLength(4);
  });
});

describe.each(BACKENDS)('the vector index port on %s', (backend) => {
  const open = useBackendStores(backend);

  it('keeps an approximate index from minVectors on, builds it once, and drops it below', async () => {
    const { store, repoId } = await storeWithRepos(open);
    const chunks = Array.from({ length: 20 }, (_, i) => ({ symbol: `s${i}`, body: `b${i}` }));
    await store.index.applyBatch(repoId, { remove: [], add: [file('a.ts', 'typescript', chunks)] });
    await store.index.putVectors(
      'm',
      chunks.map((_, i) => ({ hash: `a.ts:${i}`, vector: vec(i) })),
    );
    let builds = 0;
    const refresh = (minVectors: number, signal?: AbortSignal) =>
      store.index.refreshVectorIndex('m', { minVectors, signal, onBuild: () => (builds += 1) });
    const info = () => store.index.vectorSearchInfo('m');

    expect(await refresh(21)).toBeNull();
    expect(await refresh(0)).toBeNull();
    expect(builds).toBe(0);
    expect(await info()).toEqual({ mode: 'exact', graphVectors: 0, graphCurrent: false });

    expect(await refresh(20)).toMatchObject({ vectors: 20, added: 20, removed: 0, rebuilt: true });
    expect(builds).toBe(1);
    expect(await info()).toEqual({ mode: 'approximate', graphVectors: 20, graphCurrent: true });
    const [seventh] = await store.index.chunks([7]);
    expect((await store.index.nearest('m', vec(6), 1, {}))[0]).toBe(seventh!.id);
    expect(await refresh(20)).toBeNull();
    expect(builds).toBe(1);

    // A chunk embedded after the build is found at once (SQLite scans it exactly until the next refresh).
    await store.index.applyBatch(repoId, { remove: [], add: [file('b.ts', 'typescript', [{ symbol: 'x', body: 'x' }])] });
    await store.index.putVectors('m', [{ hash: 'b.ts:0', vector: vec(99) }]);
    const [added] = await store.index.chunks([21]);
    expect(await store.index.nearest('m', vec(99), 1, {})).toEqual([added!.id]);
    expect(await store.index.nearest('m', vec(99), 2, { languages: ['python'] })).toEqual([]);

    expect(await refresh(22)).toBeNull();
    expect(await info()).toEqual({ mode: 'exact', graphVectors: 0, graphCurrent: false });
    await expect(refresh(20, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped');
    expect((await info()).mode).toBe('exact');
  });

  it('keeps the index of one model only', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, { remove: [], add: [file('a.ts', 'typescript', [{ symbol: 'a', body: 'a' }])] });
    await store.index.putVectors('m', [{ hash: 'a.ts:0', vector: vec(1) }]);
    await store.index.putVectors('n', [{ hash: 'a.ts:0', vector: vec(2) }]);
    expect(await store.index.refreshVectorIndex('m', { minVectors: 1 })).toMatchObject({ vectors: 1 });
    expect(await store.index.refreshVectorIndex('n', { minVectors: 1 })).toMatchObject({ vectors: 1 });
    expect((await store.index.vectorSearchInfo('m')).mode).toBe('exact');
    expect((await store.index.vectorSearchInfo('n')).mode).toBe('approximate');
  });

  it('finds the same neighbours through the index as by the exact scan, with filters', async () => {
    const { store, repoIds } = await storeWithRepos(open, ['r', 's']);
    const dims = 16;
    const unit = (i: number) => {
      const v = Float32Array.from({ length: dims }, (_, d) => Math.sin(i * 1.7 + d * (1 + (i % 5))) + (d === i % dims ? 1 : 0));
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    };
    for (const [r, repoId] of repoIds.entries()) {
      const chunks = Array.from({ length: 150 }, (_, i) => ({ symbol: `s${i}`, body: 'b' }));
      await store.index.applyBatch(repoId, { remove: [], add: [file(`r${r}.ts`, r ? 'python' : 'typescript', chunks)] });
      await store.index.putVectors(
        'm',
        chunks.map((_, i) => ({ hash: `r${r}.ts:${i}`, vector: unit(r * 150 + i) })),
      );
    }
    // Each query is a stored vector (its own nearest neighbour) of the first or the second repo.
    const queries = [3, 77, 160, 299].map(unit);
    const filters = [{}, { repoIds: [repoIds[1]!] }, { languages: ['typescript'] }];
    const exact: number[][] = [];
    for (const q of queries) for (const filter of filters) exact.push(await store.index.nearest('m', q, 5, filter));
    expect(await store.index.refreshVectorIndex('m', { minVectors: 100 })).toMatchObject({ vectors: 300 });
    expect((await store.index.vectorSearchInfo('m')).mode).toBe('approximate');
    const approximate: number[][] = [];
    for (const q of queries) for (const filter of filters) approximate.push(await store.index.nearest('m', q, 5, filter));
    // The same first hit everywhere, and (an approximate index may miss one) at least 4 of the 5 nearest.
    expect(approximate.map((ids) => ids[0])).toEqual(exact.map((ids) => ids[0]));
    for (const [i, ids] of approximate.entries()) expect(ids.filter((id) => exact[i]!.includes(id)).length).toBeGreaterThanOrEqual(4);
    expect(exact.filter((ids) => ids.length === 5)).toHaveLength(exact.length);
  });
});

describe.each(BACKENDS)('pruneVectors on %s', (backend) => {
  const open = useBackendStores(backend);

  function textFile(path: string, hashes: string[]): IndexFileInput {
    const f = file(
      path,
      'text',
      hashes.map(() => ({ symbol: '', body: 'x' })),
    );
    for (const [i, c] of f.chunks.entries()) c.hash = hashes[i]!;
    return f;
  }
  const vector = () => new Float32Array([1, 0]);

  it('counts deleted chunks and scans for orphaned vectors only once enough are gone, or when asked to', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, { remove: [], add: [textFile('a.txt', ['h1', 'h2']), textFile('b.txt', ['h3'])] });
    await store.index.putVectors(
      'm',
      ['h1', 'h2', 'h3'].map((hash) => ({ hash, vector: vector() })),
    );
    await store.index.putVectors('old', [{ hash: 'h3', vector: vector() }]);
    await store.index.applyBatch(repoId, { remove: ['a.txt'], add: [] });

    // Two dead chunks are far below the threshold: nothing is scanned or removed yet.
    expect(await store.index.pruneVectors()).toBe(0);
    // Another model's vectors go when the caller keeps one model.
    expect(await store.index.pruneVectors({ keepModel: 'm' })).toBe(1);
    // A full prune removes the vectors of a.txt's chunks and keeps the one b.txt still uses.
    expect(await store.index.pruneVectors({ all: true })).toBe(2);
    expect(await store.index.pruneVectors({ all: true })).toBe(0);
  });

  it('scans on its own once 20,000 chunks were deleted, then starts counting again', async () => {
    const { store, repoId } = await storeWithRepos(open);
    const hashes = Array.from({ length: 20_000 }, (_, i) => `big-${i}`);
    await store.index.applyBatch(repoId, { remove: [], add: [textFile('big.txt', hashes)] });
    await store.index.putVectors('m', [{ hash: 'big-7', vector: vector() }]);
    await store.index.applyBatch(repoId, { remove: [], add: [textFile('big.txt', hashes.slice(0, 19_999))] });
    // Replacing the file deleted its 20,000 chunk rows; big-7 is back, so nothing is orphaned yet.
    expect(await store.index.pruneVectors()).toBe(0);
    await store.index.applyBatch(repoId, { remove: ['big.txt'], add: [] });
    expect(await store.index.pruneVectors()).toBe(0); // 19,999 deleted since the last scan
    await store.index.applyBatch(repoId, { remove: [], add: [textFile('c.txt', ['c'])] });
    await store.index.applyBatch(repoId, { remove: ['c.txt'], add: [] });
    expect(await store.index.pruneVectors()).toBe(1);
  });
});
