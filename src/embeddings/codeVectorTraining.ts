/**
 * Corpus-learned code-token vectors (the Neural Code Search recipe, without a
 * download): sub-token co-occurrence counts over the indexed code and comments,
 * positive PMI, then a truncated eigendecomposition (randomized, symmetric) gives
 * one vector per sub-token; a text is the IDF-weighted mean of its sub-token
 * vectors. It learns each organization's own vocabulary (`ctx` ~ `context`,
 * `req` ~ `request`) in seconds on a CPU.
 */
import { createHash } from 'node:crypto';
import type { CodeVectorModel } from './codeVectors.js';
import { jacobiEigen, orthonormalize } from './linearAlgebra.js';
import { codeTokens } from './subtokens.js';
import { l2normalize } from './vectors.js';

export interface CodeVectorOptions {
  dims?: number;
  window?: number;
  minCount?: number;
  maxVocab?: number;
  /** Tokens read per text (long chunks are capped so one file can't dominate). */
  maxTokensPerText?: number;
  /** Seed for the random projection, for reproducible models. */
  seed?: number;
  /** log2 of the co-occurrence table size (memory: 8 bytes per slot). */
  tableBits?: number;
  /** Token budget for training; larger corpora are sampled evenly. */
  maxTrainTokens?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Learns sub-token vectors from a corpus of texts (chunks of code with their comments). */
export function trainCodeVectors(texts: readonly string[], options: CodeVectorOptions = {}): CodeVectorModel {
  const dims = options.dims ?? 128;
  const window = options.window ?? 6;
  const minCount = options.minCount ?? 3;
  const maxVocab = Math.min(options.maxVocab ?? 40_000, 65_000);
  const maxTok = options.maxTokensPerText ?? 2000;

  // Pass 1: counts and document frequency. Tokens are interned to ids and each
  // document kept as an Int32Array: millions of small strings would cost far more memory.
  const docs: Int32Array[] = [];
  const tokenIds = new Map<string, number>();
  const tokens: string[] = [];
  const count: number[] = [];
  const df: number[] = [];
  // Large corpora are sampled evenly (every n-th text) to a token budget; about 6 characters per token.
  const budget = options.maxTrainTokens ?? 8_000_000;
  let chars = 0;
  for (const t of texts) chars += Math.min(t.length, maxTok * 6);
  const stride = Math.max(1, Math.ceil(chars / 6 / budget));
  for (let n = 0; n < texts.length; n += stride) {
    const toks = codeTokens(texts[n]!, maxTok);
    const ids = new Int32Array(toks.length);
    const seen = new Set<number>();
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k]!;
      let id = tokenIds.get(t);
      if (id === undefined) {
        id = tokens.length;
        tokenIds.set(t, id);
        tokens.push(t);
        count.push(0);
        df.push(0);
      }
      ids[k] = id;
      count[id]! += 1;
      if (!seen.has(id)) {
        seen.add(id);
        df[id]! += 1;
      }
    }
    docs.push(ids);
  }
  const vocabIds = tokens
    .map((_, id) => id)
    .filter((id) => count[id]! >= minCount)
    .sort((a, b) => count[b]! - count[a]! || (tokens[a]! < tokens[b]! ? -1 : 1))
    .slice(0, maxVocab);
  const vocab = vocabIds.map((id) => tokens[id]!);
  const V = vocab.length;
  /** token id → vocabulary index, or -1 when the token is not in the vocabulary. */
  const index = new Int32Array(tokens.length).fill(-1);
  vocabIds.forEach((id, i) => {
    index[id] = i;
  });
  tokenIds.clear();
  const nDocs = Math.max(1, docs.length);
  const idf = new Float32Array(V);
  for (let i = 0; i < V; i++) idf[i] = Math.log(1 + nDocs / (df[vocabIds[i]!] || 1));

  // Pass 2: windowed, distance-weighted co-occurrence (symmetric) in a fixed-size
  // open-addressing table, so memory stays bounded on large corpora (rare pairs that
  // arrive after it fills are dropped).
  const capacity = 1 << (options.tableBits ?? 22);
  const keys = new Uint32Array(capacity);
  const counts = new Float32Array(capacity);
  let used = 0;
  const rowSum = new Float64Array(V);
  const add = (key: number, w: number) => {
    let h = Math.imul(key ^ (key >>> 15), 0x2c1b3c6d) >>> 0;
    for (;;) {
      h &= capacity - 1;
      const k = keys[h];
      if (k === key + 1) {
        counts[h] += w;
        return true;
      }
      if (k === 0) {
        if (used > capacity * 0.7) return false;
        keys[h] = key + 1;
        counts[h] = w;
        used++;
        return true;
      }
      h++;
    }
  };
  for (const doc of docs) {
    const ids = Array.from(doc, (id) => index[id]!).filter((i) => i >= 0);
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b <= a + window && b < ids.length; b++) {
        const i = ids[a];
        const j = ids[b];
        if (i === j) continue;
        const w = 1 / (b - a);
        if (!add(i < j ? i * V + j : j * V + i, w)) continue;
        rowSum[i] += w;
        rowSum[j] += w;
      }
    }
  }
  docs.length = 0;
  let total = 0;
  for (let i = 0; i < V; i++) total += rowSum[i];
  // Context-distribution smoothing (alpha = 0.75), as in Levy & Goldberg.
  let smoothTotal = 0;
  const ctx = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    ctx[i] = rowSum[i] ** 0.75;
    smoothTotal += ctx[i];
  }
  const rowsI: number[] = [];
  const rowsJ: number[] = [];
  const vals: number[] = [];
  for (let h = 0; h < capacity; h++) {
    if (keys[h] === 0) continue;
    const key = keys[h] - 1;
    const c = counts[h];
    const i = Math.floor(key / V);
    const j = key - i * V;
    // Symmetric PPMI: the mean of both directions.
    const pij = c / (total / 2);
    const pmiA = Math.log(pij / ((rowSum[i] / total) * (ctx[j] / smoothTotal)));
    const pmiB = Math.log(pij / ((rowSum[j] / total) * (ctx[i] / smoothTotal)));
    const v = Math.max(0, (pmiA + pmiB) / 2);
    if (v > 0) {
      rowsI.push(i, j);
      rowsJ.push(j, i);
      vals.push(v, v);
    }
  }
  const nnz = vals.length;
  const I = Int32Array.from(rowsI);
  const J = Int32Array.from(rowsJ);
  const X = Float32Array.from(vals);

  // Randomized symmetric eigendecomposition: Q = orth(M^q Ω), T = Qᵀ M Q, eig(T).
  const k = Math.min(dims + 16, Math.max(1, V));
  const rand = rng(options.seed ?? 42);
  let Y: Float64Array = new Float64Array(V * k);
  for (let i = 0; i < Y.length; i++) Y[i] = rand();
  const mult = (Min: Float64Array): Float64Array => {
    const out = new Float64Array(V * k);
    for (let e = 0; e < nnz; e++) {
      const oi = I[e] * k;
      const mj = J[e] * k;
      const x = X[e];
      for (let c = 0; c < k; c++) out[oi + c] += x * Min[mj + c];
    }
    return out;
  };
  for (let it = 0; it < 3; it++) Y = orthonormalize(mult(Y), V, k);
  const MQ = mult(Y);
  const T = new Float64Array(k * k);
  for (let r = 0; r < V; r++) {
    for (let a = 0; a < k; a++) {
      const qa = Y[r * k + a];
      if (qa === 0) continue;
      for (let b = 0; b < k; b++) T[a * k + b] += qa * MQ[r * k + b];
    }
  }
  const { values, vectors: W } = jacobiEigen(T, k);
  const order = [...values.keys()].sort((a, b) => values[b] - values[a]).slice(0, Math.min(dims, k));
  const d = order.length;
  // The chosen eigenvectors as contiguous rows: the loop below then reads both operands in order.
  const basis = new Float64Array(d * k);
  for (let c = 0; c < d; c++) for (let a = 0; a < k; a++) basis[c * k + a] = W[a * k + order[c]];
  const vectors = new Float32Array(V * d);
  for (let r = 0; r < V; r++) {
    const y = Y.subarray(r * k, (r + 1) * k);
    for (let c = 0; c < d; c++) {
      const b = basis.subarray(c * k, (c + 1) * k);
      let s = 0;
      for (let a = 0; a < k; a++) s += y[a] * b[a];
      vectors[r * d + c] = s * Math.sqrt(Math.max(0, values[order[c]]));
    }
    const row = l2normalize(vectors.subarray(r * d, (r + 1) * d));
    vectors.set(row, r * d);
  }
  const id = createHash('sha1').update(vocab.join('\n')).update(new Uint8Array(vectors.buffer)).digest('hex').slice(0, 12);
  return { vocab, idf, dims: d, vectors, id: `codevec-${d}-${id}` };
}
