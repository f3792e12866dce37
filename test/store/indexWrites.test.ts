import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';
import { fileWithChunks as file, storeWithRepos, symbolAt } from '../helpers/indexFixtures.js';

const WEIGHTS = { symbol: 10, path: 5, doc: 1, body: 0.25 };

/** What every query of the index sees of a repo: lexical, symbol and regex hits, blobs, ids, stats, counts, chunk texts. */
async function visible(store: Store, repoId: number) {
  const lexical = await store.index.lexical({ terms: ['alpha', 'beta', 'gamma'], fieldWeights: WEIGHTS }, {}, 50);
  const fileChunks = await store.index.fileChunks(0, 50);
  return {
    lexical: (await store.index.chunks(lexical.map((r) => r.chunkId))).map((c) => c.path).sort(),
    symbols: (await store.index.symbols({ names: ['fn'], prefix: true }, {}, 50)).map((s) => `${s.path}:${s.name}`).sort(),
    regex: (await store.index.regexCandidates([['version']], {}, 0, 50)).map((f) => `${f.path}:${f.content}`).sort(),
    blobs: Object.fromEntries(await store.index.fileBlobs(repoId)),
    fileA: (await store.index.fileId(repoId, 'a.ts')) !== null,
    stats: await store.index.stats(repoId, null),
    chunkCount: await store.index.chunkCount(),
    fileChunks: fileChunks.map((f) => f.content).sort(),
  };
}

function versioned(path: string, word: string, version: number) {
  const f = file(path, 'typescript', [{ symbol: word, body: `${word} version ${version}` }], [symbolAt(`fn_${path[0]}${version}`, 1)]);
  f.blob = `${path}@${version}`;
  return f;
}

describe.each(BACKENDS)('index writes on %s', (backend) => {
  const open = useBackendStores(backend);

  it('replaces files by path, removes paths, and counts what a repo holds', async () => {
    const { store, repoId } = await storeWithRepos(open);
    expect(await store.index.stats(repoId, null)).toEqual({ files: 0, chunks: 0, symbols: 0, embedded: 0, bytes: 0 });
    const endBulkWrites = await store.index.beginBulkWrites();
    await store.index.applyBatch(repoId, { remove: [], add: [versioned('a.ts', 'alpha', 1), versioned('b.ts', 'beta', 1)] });
    await store.index.applyBatch(repoId, {
      remove: ['b.ts', 'never.ts'],
      add: [versioned('a.ts', 'alpha', 2), versioned('c.ts', 'gamma', 1)],
    });
    await endBulkWrites();
    const seen = await visible(store, repoId);
    expect(seen).toMatchObject({
      lexical: ['a.ts', 'c.ts'],
      symbols: ['a.ts:fn_a2', 'c.ts:fn_c1'],
      regex: ['a.ts:alpha version 2', 'c.ts:gamma version 1'],
      blobs: { 'a.ts': 'a.ts@2', 'c.ts': 'c.ts@1' },
      chunkCount: 2,
    });
    expect(seen.stats).toEqual({
      files: 2,
      chunks: 2,
      symbols: 2,
      embedded: 0,
      bytes: 'alpha version 2'.length + 'gamma version 1'.length,
    });
    const [fileChunks] = await store.index.fileChunks(0, 1);
    expect(fileChunks!.chunks).toEqual([{ startLine: 1, endLine: 1, context: null }]);
  });

  it('rebuilds beside the live rows: queries see the old rows until the commit, then the new ones; stale rows go afterwards', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, { remove: [], add: [versioned('a.ts', 'alpha', 1), versioned('b.ts', 'beta', 1)] });
    const before = await visible(store, repoId);

    const generation = await store.index.beginRebuild(repoId);
    await store.index.applyBatch(repoId, { remove: [], add: [versioned('a.ts', 'alpha', 2), versioned('c.ts', 'gamma', 1)], generation });
    expect(await visible(store, repoId)).toEqual(before);
    expect(Object.fromEntries(await store.index.fileBlobs(repoId, generation))).toEqual({ 'a.ts': 'a.ts@2', 'c.ts': 'c.ts@1' });
    await expect(store.index.commitRebuild(repoId, generation + 1, {})).rejects.toThrow(/not being rebuilt/);

    await store.index.commitRebuild(repoId, generation, { status: 'ok', commit: 'c2', formatVersion: 3 });
    const after = await visible(store, repoId);
    expect(after).toMatchObject({
      lexical: ['a.ts', 'c.ts'],
      symbols: ['a.ts:fn_a2', 'c.ts:fn_c1'],
      regex: ['a.ts:alpha version 2', 'c.ts:gamma version 1'],
      blobs: { 'a.ts': 'a.ts@2', 'c.ts': 'c.ts@1' },
      chunkCount: 2,
      fileChunks: ['alpha version 2', 'gamma version 1'],
    });
    expect(after.stats).toMatchObject({ files: 2, chunks: 2, symbols: 2 });
    expect(await store.index.getState(repoId)).toMatchObject({ status: 'ok', commit: 'c2', formatVersion: 3 });

    expect(await store.index.removeStaleRows(repoId)).toBe(2);
    expect(await store.index.removeStaleRows(repoId)).toBe(0);
    expect(await visible(store, repoId)).toEqual(after);
  });

  it('drops what a killed rebuild left when the next one begins, and keeps writing the live rows meanwhile', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, { remove: [], add: [versioned('a.ts', 'alpha', 1)] });
    const killed = await store.index.beginRebuild(repoId);
    await store.index.applyBatch(repoId, { remove: [], add: [versioned('b.ts', 'beta', 9)], generation: killed });
    await store.index.applyBatch(repoId, { remove: [], add: [versioned('c.ts', 'gamma', 1)] });
    expect((await visible(store, repoId)).blobs).toEqual({ 'a.ts': 'a.ts@1', 'c.ts': 'c.ts@1' });
    const next = await store.index.beginRebuild(repoId);
    expect(next).toBe(killed);
    expect(await store.index.fileBlobs(repoId, next)).toEqual(new Map());
    expect((await visible(store, repoId)).chunkCount).toBe(2);
  });

  it('keeps each repo state, updating only the fields given', async () => {
    const { store, repoIds } = await storeWithRepos(open, ['r', 's']);
    expect(await store.index.getState(repoIds[0]!)).toBeNull();
    await store.index.setState(repoIds[0]!, { status: 'indexing', pendingCommit: 'p1' });
    await store.index.setState(repoIds[0]!, { errors: ['a.ts: too big'], skipped: 2, durationMs: 15, indexedAt: '2026-01-01T00:00:00Z' });
    await store.index.setState(repoIds[1]!, {});
    expect(await store.index.getState(repoIds[0]!)).toEqual({
      repoId: repoIds[0],
      commit: null,
      pendingCommit: 'p1',
      indexedAt: '2026-01-01T00:00:00Z',
      durationMs: 15,
      status: 'indexing',
      errors: ['a.ts: too big'],
      skipped: 2,
      formatVersion: 0,
      vendoredRoots: [],
    });
    expect((await store.index.listStates()).map((s) => [s.repoId, s.status]).sort()).toEqual([
      [repoIds[0], 'indexing'],
      [repoIds[1], 'pending'],
    ]);
  });

  it('keeps the vendored flag of each file on its chunks, false when absent, and the vendored roots of the state', async () => {
    const { store, repoId } = await storeWithRepos(open);
    const copy = { ...file('mylib/_vendor/six.py', 'python', [{ symbol: 'add_metaclass', body: 'alpha six' }]), vendored: true };
    const own = file('mylib/core.py', 'python', [{ symbol: 'run', body: 'alpha core' }]);
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [copy, { ...own, vendored: false }, file('a.ts', 'typescript', [{ symbol: 'x', body: 'alpha' }])],
    });
    const hits = await store.index.lexical({ terms: ['alpha'], fieldWeights: WEIGHTS }, {}, 10);
    const chunks = await store.index.chunks(hits.map((h) => h.chunkId));
    expect(Object.fromEntries(chunks.map((c) => [c.path, c.vendored]))).toEqual({
      'mylib/_vendor/six.py': true,
      'mylib/core.py': false,
      'a.ts': false,
    });
    const copyId = (await store.index.fileId(repoId, 'mylib/_vendor/six.py'))!;
    expect((await store.index.chunksAt(copyId, 1, 1)).map((c) => c.vendored)).toEqual([true]);
    expect((await store.index.chunksAtLines([{ fileId: copyId, line: 1 }]))[0]!.map((c) => c.vendored)).toEqual([true]);
    // Rewritten without the flag, the file is no longer vendored.
    await store.index.applyBatch(repoId, { remove: [], add: [{ ...copy, vendored: undefined }] });
    const [rewritten] = await store.index.chunksAt((await store.index.fileId(repoId, 'mylib/_vendor/six.py'))!, 1, 1);
    expect(rewritten?.vendored).toBe(false);

    await store.index.setState(repoId, { vendoredRoots: ['mylib/_vendor', 'src/thirdparty'] });
    expect((await store.index.getState(repoId))?.vendoredRoots).toEqual(['mylib/_vendor', 'src/thirdparty']);
    await store.index.setState(repoId, { status: 'ok' });
    expect((await store.index.getState(repoId))?.vendoredRoots).toEqual(['mylib/_vendor', 'src/thirdparty']);
  });

  it('opens an index written before the vendored column: the migration adds it, false for every file', async () => {
    const { store, sql, reopen, dir } = await open();
    const repoId = (
      await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir })
    ).id;
    await store.index.applyBatch(repoId, { remove: [], add: [file('a.ts', 'typescript', [{ symbol: 'x', body: 'alpha' }])] });
    await store.index.setState(repoId, { status: 'ok', formatVersion: 2 });
    // The schema as the previous version left it.
    await sql('ALTER TABLE index_files DROP COLUMN vendored');
    await sql('ALTER TABLE index_repos DROP COLUMN vendored_roots');
    await sql(`DELETE FROM schema_migrations WHERE id = '${backend === 'sqlite' ? 'index-006' : 'index-002'}'`);
    const upgraded = await reopen();
    const hits = await upgraded.index.lexical({ terms: ['alpha'], fieldWeights: WEIGHTS }, {}, 10);
    expect((await upgraded.index.chunks(hits.map((h) => h.chunkId))).map((c) => [c.path, c.vendored])).toEqual([['a.ts', false]]);
    expect(await upgraded.index.getState(repoId)).toMatchObject({ status: 'ok', formatVersion: 2, vendoredRoots: [] });
  });

  it('keeps meta values, replaced by a second set', async () => {
    const { store } = await storeWithRepos(open);
    expect(await store.index.getMeta('embedding_model')).toBeNull();
    await store.index.setMeta('embedding_model', 'a');
    await store.index.setMeta('embedding_model', 'b');
    expect(await store.index.getMeta('embedding_model')).toBe('b');
  });

  it('pages files with their chunk ranges by file id', async () => {
    const { store, repoId } = await storeWithRepos(open);
    const add = Array.from({ length: 5 }, (_, i) =>
      file(`f${i}.ts`, 'typescript', [
        { symbol: 'a', body: `first ${i}` },
        { symbol: 'b', body: `second ${i}` },
      ]),
    );
    await store.index.applyBatch(repoId, { remove: [], add });
    const contents: string[] = [];
    let after = 0;
    for (;;) {
      const page = await store.index.fileChunks(after, 2);
      if (page.length === 0) break;
      for (const f of page) {
        expect(f.chunks.map((c) => [c.startLine, c.endLine])).toEqual([
          [1, 1],
          [2, 2],
        ]);
        contents.push(f.content);
      }
      after = page.at(-1)!.fileId;
    }
    expect(contents).toEqual(add.map((f) => Buffer.from(f.content).toString()));
  });

  it('lets two processes index different repositories at once', async () => {
    const { store, repoIds, reopen } = await storeWithRepos(open, ['r', 's']);
    const other = await reopen();
    const files = (word: string) => Array.from({ length: 30 }, (_, i) => versioned(`${word}${i}.ts`, word, i));
    await Promise.all([
      ...[0, 1, 2].map(() => store.index.applyBatch(repoIds[0]!, { remove: [], add: files('alpha') })),
      ...[0, 1, 2].map(() => other.index.applyBatch(repoIds[1]!, { remove: [], add: files('beta') })),
    ]);
    await Promise.all([
      store.index.putVectors(
        'm',
        files('alpha').map((f, i) => ({ hash: f.chunks[0]!.hash, vector: Float32Array.from([1, i]) })),
      ),
      other.index.putVectors(
        'm',
        files('alpha').map((f, i) => ({ hash: f.chunks[0]!.hash, vector: Float32Array.from([i, 1]) })),
      ),
    ]);
    expect((await store.index.stats(repoIds[0]!, 'm')).chunks).toBe(30);
    expect((await other.index.stats(repoIds[1]!, null)).chunks).toBe(30);
    const hits = await store.index.lexical({ terms: ['alpha', 'beta'], fieldWeights: WEIGHTS }, {}, 100);
    expect(hits).toHaveLength(60);
    expect((await store.index.stats(repoIds[0]!, 'm')).embedded).toBe(30);
  });

  it('forgets the index of a removed repository', async () => {
    const { store, repoIds } = await storeWithRepos(open, ['r', 's']);
    await store.index.applyBatch(repoIds[0]!, { remove: [], add: [versioned('a.ts', 'alpha', 1)] });
    await store.index.applyBatch(repoIds[1]!, { remove: [], add: [versioned('b.ts', 'alpha', 1)] });
    await store.repos.remove(repoIds[0]!);
    const hits = await store.index.lexical({ terms: ['alpha'], fieldWeights: WEIGHTS }, {}, 10);
    expect((await store.index.chunks(hits.map((h) => h.chunkId))).map((c) => c.path)).toEqual(['b.ts']);
    expect(await store.index.chunkCount()).toBe(1);
  });
});
