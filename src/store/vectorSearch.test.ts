import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/random.js';
import { PRUNE_HEAD_DIMS, pruneData, scanTopK } from './vectorSearch.js';

function normalized(values: Float32Array): Float32Array {
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
}

describe('scanTopK', () => {
  it('returns exactly the brute-force top-k (pruned scan with variance-ordered dimensions)', () => {
    const random = rng(7);
    const n = 3000;
    const dims = 128;
    const data = new Float32Array(n * dims);
    for (let row = 0; row < n; row += 1) {
      // Energy decays with the dimension index, like learned (eigen-ordered) vectors.
      const v = new Float32Array(dims).map((_, d) => random() / (1 + d / 32));
      data.set(normalized(v), row * dims);
    }
    const matrix = {
      dims,
      data,
      chunkIds: Int32Array.from({ length: n }, (_, i) => 1000 + i),
      repoIds: Int32Array.from({ length: n }, (_, i) => (i % 3) + 1),
    };
    for (let trial = 0; trial < 5; trial += 1) {
      const q = normalized(new Float32Array(dims).map((_, d) => random() / (1 + d / 32)));
      for (const allowed of [null, new Set([2])]) {
        const scores: { id: number; score: number }[] = [];
        for (let row = 0; row < n; row += 1) {
          if (allowed && !allowed.has(matrix.repoIds[row]!)) continue;
          let dot = 0;
          for (let d = 0; d < dims; d += 1) dot += data[row * dims + d]! * q[d]!;
          scores.push({ id: matrix.chunkIds[row]!, score: dot });
        }
        const expected = scores
          .sort((a, b) => b.score - a.score)
          .slice(0, 200)
          .map((s) => s.id);
        const head = Math.min(dims, PRUNE_HEAD_DIMS);
        const { heads, tails } = pruneData(matrix, head);
        const rows = allowed ? Int32Array.from({ length: n }, (_, row) => row).filter((row) => allowed.has(matrix.repoIds[row]!)) : null;
        expect(scanTopK(matrix, heads, tails, head, q, 200, rows)).toEqual(expected);
      }
    }
  });

  it('scans every dimension when vectors are shorter than the pruning head', () => {
    const matrix = {
      dims: 2,
      data: Float32Array.from([1, 0, 0, 1, 0.6, 0.8]),
      chunkIds: Int32Array.from([1, 2, 3]),
      repoIds: Int32Array.from([1, 1, 1]),
    };
    const { heads, tails } = pruneData(matrix, 2);
    expect(scanTopK(matrix, heads, tails, 2, Float32Array.from([0, 1]), 2, null)).toEqual([2, 3]);
  });
});
