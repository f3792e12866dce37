/** Dense linear algebra for the code-vector model's truncated eigendecomposition (row-major Float64Array matrices). */

/**
 * Gram-Schmidt on the columns of a rows × cols matrix, in place. The columns are worked on as contiguous rows of a
 * transposed copy: the same arithmetic in the same order, but strided reads of a row-major matrix made this the
 * slowest step of learning code vectors (rows is the vocabulary, up to 40,000).
 */
export function orthonormalize(A: Float64Array, rows: number, cols: number): Float64Array {
  const T = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) T[c * rows + r] = A[r * cols + c];
  for (let c = 0; c < cols; c++) {
    const col = T.subarray(c * rows, (c + 1) * rows);
    for (let p = 0; p < c; p++) {
      const prev = T.subarray(p * rows, (p + 1) * rows);
      let d = 0;
      for (let r = 0; r < rows; r++) d += col[r] * prev[r];
      for (let r = 0; r < rows; r++) col[r] -= d * prev[r];
    }
    let n = 0;
    for (let r = 0; r < rows; r++) n += col[r] ** 2;
    n = Math.sqrt(n) || 1;
    for (let r = 0; r < rows; r++) col[r] /= n;
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) A[r * cols + c] = T[c * rows + r];
  return A;
}

export /** Cyclic Jacobi for a small symmetric matrix; returns eigenvalues and column eigenvectors. */
function jacobiEigen(S: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const A = Float64Array.from(S);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const m = (A[i * n + j] + A[j * n + i]) / 2;
      A[i * n + j] = m;
      A[j * n + i] = m;
    }
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => A[i * n + i]), vectors: V };
}
