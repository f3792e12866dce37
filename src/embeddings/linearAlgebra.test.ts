import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/random.js';
import { jacobiEigen, orthonormalize } from './linearAlgebra.js';

describe('orthonormalize', () => {
  it('gives orthonormal columns spanning the input columns', () => {
    const rows = 50;
    const cols = 6;
    const rand = rng(7);
    const A = Float64Array.from({ length: rows * cols }, rand);
    const original = Float64Array.from(A);
    const Q = orthonormalize(A, rows, cols);
    for (let a = 0; a < cols; a++)
      for (let b = 0; b < cols; b++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += Q[r * cols + a]! * Q[r * cols + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 10);
      }
    // Each input column is a combination of the first columns of Q up to its own (Gram-Schmidt is triangular).
    for (let c = 0; c < cols; c++) {
      const residual = Array.from({ length: rows }, (_, r) => original[r * cols + c]!);
      for (let p = 0; p <= c; p++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += residual[r]! * Q[r * cols + p]!;
        for (let r = 0; r < rows; r++) residual[r]! -= dot * Q[r * cols + p]!;
      }
      expect(Math.hypot(...residual)).toBeLessThan(1e-9);
    }
  });
});

describe('jacobiEigen', () => {
  it('diagonalizes a symmetric matrix', () => {
    const S = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const { values, vectors } = jacobiEigen(S, 3);
    for (let c = 0; c < 3; c++)
      for (let r = 0; r < 3; r++) {
        let sv = 0;
        for (let k = 0; k < 3; k++) sv += S[r * 3 + k]! * vectors[k * 3 + c]!;
        expect(sv).toBeCloseTo(values[c]! * vectors[r * 3 + c]!, 9);
      }
  });
});
