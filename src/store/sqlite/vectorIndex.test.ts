import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rng } from '../../../test/helpers/random.js';
import type { VectorMatrix } from '../indexStore.js';
import { nearestChunks } from '../vectorSearch.js';
import { type LoadedVectorIndex, loadVectorIndex, updateVectorIndex, vectorIndexFiles, vectorIndexIsCurrent } from './vectorIndex.js';

const DIMS = 32;
const MODEL = 'test-model';

const random = rng(11);
const centers = Array.from({ length: 40 }, () => Float32Array.from({ length: DIMS }, random));

/** A unit vector near one of 40 cluster centres, like embeddings of related code. */
function vector(): Float32Array {
  const center = centers[Math.floor((random() + 0.5) * centers.length)]!;
  const v = center.map((c) => c + random() * 0.6);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Rows for chunk ids 1..n; repo 4 holds 2% of them, repos 1-3 the rest. */
function makeMatrix(n: number): VectorMatrix {
  const data = new Float32Array(n * DIMS);
  for (let row = 0; row < n; row += 1) data.set(vector(), row * DIMS);
  return {
    dims: DIMS,
    data,
    chunkIds: Int32Array.from({ length: n }, (_, row) => row + 1),
    repoIds: Int32Array.from({ length: n }, (_, row) => (row % 50 === 0 ? 4 : (row % 3) + 1)),
  };
}

function rowsOf(matrix: VectorMatrix, keep: (chunkId: number) => boolean, extra: { id: number; v: Float32Array; repo: number }[] = []) {
  const ids: number[] = [];
  const repos: number[] = [];
  const vectors: Float32Array[] = [];
  matrix.chunkIds.forEach((id, row) => {
    if (!keep(id)) return;
    ids.push(id);
    repos.push(matrix.repoIds[row]!);
    vectors.push(matrix.data.slice(row * DIMS, row * DIMS + DIMS));
  });
  for (const e of extra) {
    const at = ids.findIndex((id) => id > e.id);
    const i = at < 0 ? ids.length : at;
    ids.splice(i, 0, e.id);
    repos.splice(i, 0, e.repo);
    vectors.splice(i, 0, e.v);
  }
  const data = new Float32Array(ids.length * DIMS);
  for (const [i, v] of vectors.entries()) data.set(v, i * DIMS);
  return { dims: DIMS, data, chunkIds: Int32Array.from(ids), repoIds: Int32Array.from(repos) } satisfies VectorMatrix;
}

/** Counts the graph searches, to tell the graph path from the exact fallback. */
function counting(graph: LoadedVectorIndex) {
  const counted = { ...graph, searches: 0 };
  counted.search = (q, k) => {
    counted.searches += 1;
    return graph.search(q, k);
  };
  return counted;
}

function overlap(a: number[], b: number[]): number {
  const set = new Set(b);
  return a.filter((id) => set.has(id)).length / Math.max(1, b.length);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitlore-vectors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('vector index (HNSW)', () => {
  it('keeps no graph below the threshold and deletes one left from before', () => {
    const matrix = makeMatrix(500);
    expect(updateVectorIndex(matrix, dir, MODEL, 501)).toMatchObject({ vectors: 0, added: 0 });
    expect(existsSync(vectorIndexFiles(dir, MODEL).keys)).toBe(false);
    expect(updateVectorIndex(matrix, dir, MODEL, 500)).toMatchObject({ vectors: 500, added: 500, rebuilt: true });
    expect(existsSync(vectorIndexFiles(dir, MODEL).graph)).toBe(true);
    expect(updateVectorIndex(matrix, dir, MODEL, 0)).toMatchObject({ vectors: 0 });
    expect(existsSync(vectorIndexFiles(dir, MODEL).graph)).toBe(false);
    expect(loadVectorIndex(matrix, dir, MODEL)).toBeNull();
  });

  it('answers through the graph with the exact scan’s results', () => {
    const matrix = makeMatrix(4000);
    updateVectorIndex(matrix, dir, MODEL, 1);
    const graph = counting(loadVectorIndex(matrix, dir, MODEL)!);
    expect(graph.uncoveredRows.length).toBe(0);
    expect(graph.covered.every((c) => c === 1)).toBe(true);
    let recall = 0;
    for (let i = 0; i < 30; i += 1) {
      const q = vector();
      const approx = nearestChunks(matrix, q, 10, null, graph);
      const exact = nearestChunks(matrix, q, 10, null, null);
      expect(approx).toHaveLength(10);
      recall += overlap(approx, exact) / 30;
    }
    expect(graph.searches).toBe(30);
    expect(recall).toBeGreaterThan(0.95);
  });

  it('updates in place: removes deleted and changed chunks, adds new ones, and scans what the graph lacks exactly until then', () => {
    const before = makeMatrix(3000);
    updateVectorIndex(before, dir, MODEL, 1, '7');
    // Chunks 1-100 deleted, chunk 500 keeps its id with a new vector (SQLite reuses ids), 50 new chunks.
    const moved = vector();
    const added = Array.from({ length: 50 }, (_, i) => ({ id: 5000 + i, v: vector(), repo: 1 }));
    const after = rowsOf(before, (id) => id > 100 && id !== 500, [{ id: 500, v: moved, repo: 2 }, ...added]);

    const stale = counting(loadVectorIndex(after, dir, MODEL)!);
    expect(stale.uncoveredRows.length).toBe(51);
    expect(stale.covered[after.chunkIds.indexOf(500)]).toBe(0);
    // A chunk the graph does not hold yet, and a chunk whose vector changed, are found by their new vectors.
    expect(nearestChunks(after, added[7]!.v, 5, null, stale)[0]).toBe(5007);
    expect(nearestChunks(after, moved, 5, null, stale)[0]).toBe(500);
    // Deleted chunks never come back, even though the graph still holds them.
    const oldRow = before.data.slice(3 * DIMS, 4 * DIMS);
    expect(nearestChunks(after, oldRow, 20, null, stale)).not.toContain(4);
    expect(stale.searches).toBe(3);

    expect(updateVectorIndex(after, dir, MODEL, 1, '8')).toMatchObject({
      vectors: after.chunkIds.length,
      added: 51,
      removed: 101,
      rebuilt: false,
    });
    const fresh = loadVectorIndex(after, dir, MODEL)!;
    expect(fresh.uncoveredRows.length).toBe(0);
    expect(nearestChunks(after, moved, 5, null, fresh)[0]).toBe(500);
    expect(vectorIndexIsCurrent(dir, MODEL, '8')).toBe(true);
    expect(vectorIndexIsCurrent(dir, MODEL, '7')).toBe(false);
  });

  it('rewrites only the keys when nothing changed, and rebuilds once many chunks were removed', () => {
    const matrix = makeMatrix(2000);
    updateVectorIndex(matrix, dir, MODEL, 1, '1');
    const { graph } = vectorIndexFiles(dir, MODEL);
    const written = statSync(graph).mtimeMs;
    expect(updateVectorIndex(matrix, dir, MODEL, 1, '2')).toMatchObject({ added: 0, removed: 0, rebuilt: false });
    expect(statSync(graph).mtimeMs).toBe(written);
    expect(vectorIndexIsCurrent(dir, MODEL, '2')).toBe(true);
    const halved = rowsOf(matrix, (id) => id % 2 === 0);
    expect(updateVectorIndex(halved, dir, MODEL, 1, '3')).toMatchObject({ vectors: 1000, added: 1000, removed: 0, rebuilt: true });
  });

  it('never opens a damaged graph: it is ignored at search time and rebuilt by the next update', () => {
    const matrix = makeMatrix(1000);
    updateVectorIndex(matrix, dir, MODEL, 1);
    const { graph, keys } = vectorIndexFiles(dir, MODEL);
    // Same size, different bytes: the native library would crash on it.
    writeFileSync(graph, Buffer.alloc(statSync(graph).size, 7));
    expect(loadVectorIndex(matrix, dir, MODEL)).toBeNull();
    expect(nearestChunks(matrix, vector(), 5, null, loadVectorIndex(matrix, dir, MODEL))).toHaveLength(5);
    expect(updateVectorIndex(matrix, dir, MODEL, 1)).toMatchObject({ rebuilt: true, added: 1000 });
    expect(loadVectorIndex(matrix, dir, MODEL)).not.toBeNull();
    writeFileSync(keys, readFileSync(keys).subarray(0, 100));
    expect(loadVectorIndex(matrix, dir, MODEL)).toBeNull();
    // Another model's (or dimension's) graph is not this one's.
    updateVectorIndex(matrix, dir, MODEL, 1);
    expect(loadVectorIndex(matrix, dir, 'other-model')).toBeNull();
    expect(loadVectorIndex({ ...makeMatrix(10), dims: 16, data: new Float32Array(160) }, dir, MODEL)).toBeNull();
  });

  it('oversamples the graph for a repo filter, and scans exactly when the filter keeps few rows', () => {
    const matrix = makeMatrix(4000);
    updateVectorIndex(matrix, dir, MODEL, 1);
    const graph = counting(loadVectorIndex(matrix, dir, MODEL)!);
    const repoOf = new Map(Array.from(matrix.chunkIds, (id, row) => [id, matrix.repoIds[row]!]));
    let recall = 0;
    for (let i = 0; i < 20; i += 1) {
      const q = vector();
      const approx = nearestChunks(matrix, q, 10, [2], graph);
      expect(approx.every((id) => repoOf.get(id) === 2)).toBe(true);
      recall += overlap(approx, nearestChunks(matrix, q, 10, [2], null)) / 20;
    }
    expect(recall).toBeGreaterThan(0.9);
    expect(graph.searches).toBe(20);
    const q = vector();
    // Repo 4 holds 2% of the rows: below GRAPH_MIN_FILTER_SHARE, an exact scan of its rows.
    expect(nearestChunks(matrix, q, 10, [4], graph)).toEqual(nearestChunks(matrix, q, 10, [4], null));
    expect(graph.searches).toBe(20);
  });
});
