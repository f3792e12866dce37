import { describe, expect, it } from 'vitest';
import { useTempStores } from '../../../test/helpers/tempStore.js';
import type { IndexFileInput } from '../indexStore.js';

const openTemp = useTempStores('gitlore-prune-');

function file(path: string, hashes: string[]): IndexFileInput {
  return {
    path,
    blob: `blob-${path}`,
    language: 'text',
    size: 1,
    content: Buffer.from('x'),
    grams: Buffer.from(''),
    symbols: [],
    chunks: hashes.map((hash, i) => ({
      startLine: i + 1,
      endLine: i + 1,
      kind: 'text',
      symbol: null,
      doc: null,
      context: null,
      hash,
      fts: { symbol: '', path: path, doc: '', body: 'x' },
    })),
  };
}

const vector = () => new Float32Array([1, 0]);

describe('pruneVectors', () => {
  it('counts deleted chunks and scans for orphaned vectors only once enough are gone, or when asked to', async () => {
    const { store, repoId } = await openTemp();
    await store.index.applyBatch(repoId, { remove: [], add: [file('a.txt', ['h1', 'h2']), file('b.txt', ['h3'])] });
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
    const { store, repoId } = await openTemp();
    const hashes = Array.from({ length: 20_000 }, (_, i) => `big-${i}`);
    await store.index.applyBatch(repoId, { remove: [], add: [file('big.txt', hashes)] });
    await store.index.putVectors('m', [{ hash: 'big-7', vector: vector() }]);
    await store.index.applyBatch(repoId, { remove: [], add: [file('big.txt', hashes.slice(0, 19_999))] });
    // Replacing the file deleted its 20,000 chunk rows; big-7 is back, so nothing is orphaned yet.
    expect(await store.index.pruneVectors()).toBe(0);
    await store.index.applyBatch(repoId, { remove: ['big.txt'], add: [] });
    expect(await store.index.pruneVectors()).toBe(0); // 19,999 deleted since the last scan
    await store.index.applyBatch(repoId, { remove: [], add: [file('c.txt', ['c'])] });
    await store.index.applyBatch(repoId, { remove: ['c.txt'], add: [] });
    expect(await store.index.pruneVectors()).toBe(1);
  });
});
