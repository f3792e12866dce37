import { describe, expect, it } from 'vitest';
import { fileWithChunks as file } from '../../../test/helpers/indexFixtures.js';
import { useTempStores } from '../../../test/helpers/tempStore.js';

const openTemp = useTempStores('gitlore-ports-');

/** A unit vector of 8 dimensions, different for each i. */
const vec = (i: number) => {
  const v = Float32Array.from({ length: 8 }, (_, d) => Math.sin(i * 7 + d));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

// The port-level index tests run over every backend in test/store/index*.test.ts; this is what only SQLite's
// graph files do: a graph goes stale when vectors are added, is brought up to date in place, and an aborted
// refresh keeps the last complete graph.
describe('SQLite vector graph upkeep', () => {
  it('reports a stale graph after new vectors, updates it in place, and keeps it when a refresh is aborted', async () => {
    const { store, repoId } = await openTemp();
    const chunks = Array.from({ length: 20 }, (_, i) => ({ symbol: `s${i}`, body: `b${i}` }));
    await store.index.applyBatch(repoId, { remove: [], add: [file('a.ts', 'typescript', chunks)] });
    await store.index.putVectors(
      'm',
      chunks.map((_, i) => ({ hash: `a.ts:${i}`, vector: vec(i) })),
    );
    const refresh = (minVectors: number, signal?: AbortSignal) => store.index.refreshVectorIndex('m', { minVectors, signal });
    const info = () => store.index.vectorSearchInfo('m');
    expect(await refresh(20)).toMatchObject({ vectors: 20, added: 20, removed: 0, rebuilt: true });

    await store.index.applyBatch(repoId, { remove: [], add: [file('b.ts', 'typescript', [{ symbol: 'x', body: 'x' }])] });
    await store.index.putVectors('m', [{ hash: 'b.ts:0', vector: vec(99) }]);
    expect(await info()).toEqual({ mode: 'approximate', graphVectors: 20, graphCurrent: false });
    await expect(refresh(20, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped');
    expect(await info()).toMatchObject({ graphVectors: 20, graphCurrent: false });
    expect(await refresh(20)).toMatchObject({ vectors: 21, added: 1, removed: 0, rebuilt: false });
    expect(await info()).toEqual({ mode: 'approximate', graphVectors: 21, graphCurrent: true });
  });
});
