import { describe, expect, it } from 'vitest';
import { useTempStores } from '../../../test/helpers/tempStore.js';
import { indexCodec } from '../indexCodec.js';
import type { IndexFileInput } from '../indexStore.js';

const openTemp = useTempStores('gitlore-ports-');

/** One file with one chunk per line, its FTS columns as given. */
function file(path: string, language: string, chunks: { symbol: string; body: string }[]): IndexFileInput {
  const content = chunks.map((c) => c.body).join('\n');
  return {
    path,
    blob: `blob-${path}`,
    language,
    size: content.length,
    content: Buffer.from(content),
    grams: indexCodec.prefilterTerms(content),
    symbols: [],
    chunks: chunks.map((c, i) => ({
      startLine: i + 1,
      endLine: i + 1,
      kind: 'function',
      symbol: c.symbol || null,
      doc: null,
      context: null,
      hash: `${path}:${i}`,
      fts: { symbol: c.symbol, path, doc: '', body: c.body },
    })),
  };
}

const WEIGHTS = { symbol: 10, path: 5, doc: 1, body: 0.25 };

describe('SQLite lexical port', () => {
  it('ranks by weighted fields: a name hit beats a body hit unless the weights say otherwise', async () => {
    const { store, repoId } = await openTemp();
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [{ symbol: 'other', body: 'cache cache cache' }]),
        file('b.ts', 'typescript', [{ symbol: 'cache', body: 'x' }]),
      ],
    });
    const [inBody, inName] = await store.index.chunks([1, 2]);
    const ids = async (fieldWeights: typeof WEIGHTS) =>
      (await store.index.lexical({ terms: ['cache'], fieldWeights }, {}, 10)).map((r) => r.chunkId);
    expect(await ids(WEIGHTS)).toEqual([inName!.id, inBody!.id]);
    expect(await ids({ symbol: 0.01, path: 0, doc: 0, body: 10 })).toEqual([inBody!.id, inName!.id]);
  });

  it('takes terms as words: quotes and FTS5 operators neither fail nor act, any term may match', async () => {
    const { store, repoId } = await openTemp();
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [
          { symbol: '', body: 'near and or not' },
          { symbol: '', body: 'plain words' },
        ]),
      ],
    });
    const found = async (terms: string[]) => (await store.index.lexical({ terms, fieldWeights: WEIGHTS }, {}, 10)).length;
    expect(await found(['NEAR', 'AND', 'NOT'])).toBe(1);
    expect(await found(['"plain', 'missing*', '-words'])).toBe(1);
    expect(await found(['absent'])).toBe(0);
    expect(await found([])).toBe(0);
  });

  it('applies the repo and language filter', async () => {
    const { store, repoId } = await openTemp();
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [file('a.py', 'python', [{ symbol: 'cache', body: '' }]), file('b.ts', 'typescript', [{ symbol: 'cache', body: '' }])],
    });
    const rows = await store.index.lexical({ terms: ['cache'], fieldWeights: WEIGHTS }, { languages: ['python'] }, 10);
    expect((await store.index.chunks(rows.map((r) => r.chunkId))).map((c) => c.path)).toEqual(['a.py']);
    expect(await store.index.lexical({ terms: ['cache'], fieldWeights: WEIGHTS }, { repoIds: [repoId + 1] }, 10)).toEqual([]);
  });
});

describe('SQLite vector port', () => {
  it('returns the nearest chunks of the model, within repo and language filters, and nothing for another size', async () => {
    const { store, repoId } = await openTemp();
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
  });
});

describe('SQLite vector index port', () => {
  /** A unit vector of 8 dimensions, different for each i. */
  const vec = (i: number) => {
    const v = Float32Array.from({ length: 8 }, (_, d) => Math.sin(i * 7 + d));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };

  it('keeps an approximate index from minVectors on, brings it up to date only when the vectors changed, and drops it below', async () => {
    const { store, repoId } = await openTemp();
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

    await store.index.applyBatch(repoId, { remove: [], add: [file('b.ts', 'typescript', [{ symbol: 'x', body: 'x' }])] });
    await store.index.putVectors('m', [{ hash: 'b.ts:0', vector: vec(99) }]);
    expect(await info()).toEqual({ mode: 'approximate', graphVectors: 20, graphCurrent: false });
    await expect(refresh(20, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped');
    expect(await info()).toMatchObject({ graphVectors: 20, graphCurrent: false });
    expect(await refresh(20)).toMatchObject({ vectors: 21, added: 1, removed: 0, rebuilt: false });
    expect(await info()).toEqual({ mode: 'approximate', graphVectors: 21, graphCurrent: true });

    expect(await refresh(22)).toBeNull();
    expect(await info()).toEqual({ mode: 'exact', graphVectors: 0, graphCurrent: false });
  });

  it('keeps the index of one model only', async () => {
    const { store, repoId } = await openTemp();
    await store.index.applyBatch(repoId, { remove: [], add: [file('a.ts', 'typescript', [{ symbol: 'a', body: 'a' }])] });
    await store.index.putVectors('m', [{ hash: 'a.ts:0', vector: vec(1) }]);
    await store.index.putVectors('n', [{ hash: 'a.ts:0', vector: vec(2) }]);
    expect(await store.index.refreshVectorIndex('m', { minVectors: 1 })).toMatchObject({ vectors: 1 });
    expect(await store.index.refreshVectorIndex('n', { minVectors: 1 })).toMatchObject({ vectors: 1 });
    expect((await store.index.vectorSearchInfo('m')).mode).toBe('exact');
    expect((await store.index.vectorSearchInfo('n')).mode).toBe('approximate');
  });
});

describe('SQLite regex prefilter', () => {
  it('encodes the literals itself: candidates hold every literal of one group, case-insensitively', async () => {
    const { store, repoId } = await openTemp();
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [{ symbol: '', body: 'function parseConfig() {}' }]),
        file('b.ts', 'typescript', [{ symbol: '', body: 'const PARSER = 1' }]),
      ],
    });
    const paths = async (literals: string[][]) => (await store.index.regexCandidates(literals, {}, 0, 10)).map((f) => f.path);
    expect(await paths([['parseconfig']])).toEqual(['a.ts']);
    expect(await paths([['parse', 'const']])).toEqual(['b.ts']);
    expect(await paths([['config', 'const']])).toEqual([]);
    expect(await paths([['parseConfig'], ['parser =']])).toEqual(['a.ts', 'b.ts']);
    expect(await paths([['ab']])).toEqual(['a.ts', 'b.ts']);
  });
});
