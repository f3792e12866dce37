import type { IndexFilter, IndexStore, VectorMatrix } from './indexStore.js';
import type { LoadedVectorIndex } from './sqlite/vectorIndex.js';

/**
 * Vector search over one in-memory matrix per model (`IndexStore.nearest`): scanned exactly, or, for SQLite,
 * through the HNSW graph beside the database (sqlite/vectorIndex.ts) when it holds them. PostgreSQL scans the
 * same way below its HNSW threshold (postgres/vectorSearch.ts).
 */
export async function nearestInMatrix(
  index: Pick<IndexStore, 'vectorMatrix' | 'chunks'>,
  graphDir: string | null,
  model: string,
  q: Float32Array,
  k: number,
  filter: IndexFilter,
): Promise<number[]> {
  const matrix = await index.vectorMatrix(model);
  if (!matrix || q.length !== matrix.dims) return [];
  // Languages are not in the matrix: oversample, then keep the chunks of these languages.
  const languages = filter.languages ? new Set(filter.languages) : null;
  const wanted = languages ? k * 5 : k;
  const repoFilter = filter.repoIds && filter.repoIds.length > 0 ? filter.repoIds : null;
  // The graph code loads usearch's native library: only when a search may use it.
  const graph = graphDir ? (await import('./sqlite/vectorIndex.js')).loadVectorIndex(matrix, graphDir, model) : null;
  const topIds = nearestChunks(matrix, q, wanted, repoFilter, graph);
  if (!languages) return topIds;
  const chunks = await index.chunks(topIds);
  return chunks
    .filter((c) => languages.has(c.language))
    .map((c) => c.id)
    .slice(0, k);
}

/** The k chunk ids nearest to q (of these repos): through the HNSW graph when there is one that fits, else exact. */
export function nearestChunks(
  matrix: VectorMatrix,
  q: Float32Array,
  k: number,
  repoFilter: number[] | null,
  graph: LoadedVectorIndex | null,
): number[] {
  return (graph && approximateTopK(matrix, graph, q, k, repoFilter)) ?? exactTopK(matrix, q, k, repoFilter);
}

/**
 * Exact cosine (vectors are L2-normalised) with a bounded top-k. Rows are scored on their first
 * `head` dimensions, and the rest only when head score + |q_tail|·|row_tail| (Cauchy-Schwarz, an upper
 * bound of the full dot product) can still enter the top-k: the same results as a full scan, with
 * most rows skipped, because learned dimensions come ordered by variance.
 */
function exactTopK(matrix: VectorMatrix, q: Float32Array, k: number, repoFilter: number[] | null): number[] {
  return scoreRows(matrix, q, k, repoFilter ? rowsOfRepos(matrix, repoFilter) : null);
}

/** Below this share of all rows, a repo filter scans its rows exactly instead of oversampling the graph. */
const GRAPH_MIN_FILTER_SHARE = 0.1;
/** Graph candidates per wanted result (measured recall: bench/annBench.ts). */
const GRAPH_OVERSAMPLE = 4;

/**
 * Top-k from the HNSW graph: its candidates (oversampled for a repo filter) plus the rows it does not
 * hold yet, all scored exactly. Null when the filter is too narrow for the graph or the graph ran out
 * of allowed candidates; the caller then scans exactly.
 */
function approximateTopK(
  matrix: VectorMatrix,
  graph: LoadedVectorIndex,
  q: Float32Array,
  k: number,
  repoFilter: number[] | null,
): number[] | null {
  const n = matrix.chunkIds.length;
  const allowed = repoFilter ? new Set(repoFilter) : null;
  const share = repoFilter ? rowsOfRepos(matrix, repoFilter).length / n : 1;
  if (share < GRAPH_MIN_FILTER_SHARE) return null;
  const wanted = Math.ceil((k * GRAPH_OVERSAMPLE) / share);
  const ids = graph.search(q, wanted);
  const rows: number[] = [];
  for (const id of ids) {
    const row = rowOfChunk(matrix.chunkIds, id);
    if (row >= 0 && graph.covered[row] === 1 && (allowed === null || allowed.has(matrix.repoIds[row]!))) rows.push(row);
  }
  if (rows.length < k && ids.length >= wanted) return null;
  for (const row of graph.uncoveredRows) if (allowed === null || allowed.has(matrix.repoIds[row]!)) rows.push(row);
  // Ascending rows, as in the full scan: equal scores then keep the same order either way.
  return scoreRows(matrix, q, k, Int32Array.from(rows).sort());
}

function scoreRows(matrix: VectorMatrix, q: Float32Array, k: number, rows: Int32Array | null): number[] {
  const head = Math.min(matrix.dims, PRUNE_HEAD_DIMS);
  const { heads, tails } = pruneData(matrix, head);
  return scanTopK(matrix, heads, tails, head, q, k, rows);
}

/** Row of a chunk id in the matrix (ids ascend), or -1. */
function rowOfChunk(chunkIds: Int32Array, id: number): number {
  let lo = 0;
  let hi = chunkIds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = chunkIds[mid]!;
    if (value === id) return mid;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const repoRowsCache = new WeakMap<VectorMatrix, Map<number, Int32Array>>();

/** The matrix rows of these repos, ascending (rows grouped by repo once per loaded matrix). */
function rowsOfRepos(matrix: VectorMatrix, repoIds: number[]): Int32Array {
  let byRepo = repoRowsCache.get(matrix);
  if (!byRepo) {
    const lists = new Map<number, number[]>();
    matrix.repoIds.forEach((repoId, row) => {
      const list = lists.get(repoId);
      if (list) list.push(row);
      else lists.set(repoId, [row]);
    });
    byRepo = new Map([...lists].map(([repoId, list]) => [repoId, Int32Array.from(list)]));
    repoRowsCache.set(matrix, byRepo);
  }
  const parts = [...new Set(repoIds)].map((id) => byRepo.get(id) ?? new Int32Array(0));
  if (parts.length === 1) return parts[0]!;
  const out = new Int32Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out.sort();
}

/**
 * Top-k chunk ids by dot product over `rows` (every row when null). A sync function of its own: V8
 * optimizes the hot loop on its own.
 */
export function scanTopK(
  matrix: { dims: number; data: Float32Array; chunkIds: Int32Array },
  heads: Float32Array,
  tails: Float32Array,
  head: number,
  q: Float32Array,
  k: number,
  rows: Int32Array | null,
): number[] {
  const { dims, data, chunkIds } = matrix;
  const n = rows === null ? chunkIds.length : rows.length;
  let qTail = 0;
  for (let d = head; d < dims; d += 1) qTail += q[d]! * q[d]!;
  qTail = Math.sqrt(qTail);
  const topScores = new Float64Array(k + 1);
  const topRows = new Int32Array(k + 1);
  let size = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i += 1) {
    const row = rows === null ? i : rows[i]!;
    let dot = dotRange(heads, row * head, q, 0, head);
    if (head < dims) {
      if (dot + qTail * tails[row]! + 1e-6 <= threshold) continue;
      dot += dotRange(data, row * dims, q, head, dims);
    }
    if (size < k || dot > threshold) {
      let slot = size;
      while (slot > 0 && topScores[slot - 1]! < dot) {
        topScores[slot] = topScores[slot - 1]!;
        topRows[slot] = topRows[slot - 1]!;
        slot -= 1;
      }
      topScores[slot] = dot;
      topRows[slot] = row;
      if (size < k) size += 1;
      if (size === k) threshold = topScores[k - 1]!;
    }
  }
  const ids: number[] = [];
  for (let i = 0; i < size; i += 1) ids.push(chunkIds[topRows[i]!]!);
  return ids;
}

/** Dimensions scored before the pruning test of the semantic scan. */
export const PRUNE_HEAD_DIMS = 32;
const pruneCache = new WeakMap<object, { head: number; heads: Float32Array; tails: Float32Array }>();

/**
 * Per loaded matrix, once: the first `head` dimensions of every row as their own dense matrix (the
 * scan is memory-bound, so the pruning pass reads a quarter of the bytes), and the L2 norm of the rest.
 */
export function pruneData(matrix: { dims: number; data: Float32Array; chunkIds: Int32Array }, head: number) {
  const cached = pruneCache.get(matrix);
  if (cached && cached.head === head) return cached;
  const { dims, data } = matrix;
  const n = matrix.chunkIds.length;
  const heads = new Float32Array(n * head);
  const tails = new Float32Array(n);
  for (let row = 0; row < n; row += 1) {
    heads.set(data.subarray(row * dims, row * dims + head), row * head);
    let sum = 0;
    for (let d = row * dims + head, end = row * dims + dims; d < end; d += 1) sum += data[d]! * data[d]!;
    tails[row] = Math.sqrt(sum);
  }
  const value = { head, heads, tails };
  pruneCache.set(matrix, value);
  return value;
}

/** Dot product of q[from..to) with the same range of the row at base; four accumulators (about 1.7x faster than the plain loop in V8). */
function dotRange(data: Float32Array, base: number, q: Float32Array, from: number, to: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  let d = from;
  for (; d + 3 < to; d += 4) {
    a += data[base + d]! * q[d]!;
    b += data[base + d + 1]! * q[d + 1]!;
    c += data[base + d + 2]! * q[d + 2]!;
    e += data[base + d + 3]! * q[d + 3]!;
  }
  for (; d < to; d += 1) a += data[base + d]! * q[d]!;
  return a + b + c + e;
}

/** The rows of these chunk ids in a matrix (its ids are ascending: a binary search each). */
export function vectorsInMatrix(matrix: VectorMatrix | null, chunkIds: number[]): Map<number, Float32Array> {
  const out = new Map<number, Float32Array>();
  if (!matrix) return out;
  const ids = matrix.chunkIds;
  for (const id of chunkIds) {
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = ids[mid]!;
      if (at === id) {
        out.set(id, matrix.data.subarray(mid * matrix.dims, (mid + 1) * matrix.dims));
        break;
      }
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}
