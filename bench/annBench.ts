/**
 * Exact scan versus the HNSW graph for semantic search, at growing index sizes: query latency p50/p95,
 * recall of the graph path against the exact top-k, graph build and in-place update time, graph file
 * size and peak RSS. Picks the evidence for GITLORE_ANN_MIN_VECTORS.
 *
 *   npx tsx bench/annBench.ts [--db bench/.data/indexBench/data/index/gitlore.db] [--sizes 95000,300000,1000000] [--queries 300]
 *
 * Vectors: the real codevec vectors of the index benchmark's corpus (run bench/indexBench.ts first);
 * sizes above the corpus repeat its vectors with small noise (forks and near-copies, as organizations
 * have). Queries: rows of the matrix with noise, normalised, so each has real neighbours.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { VectorMatrix } from '../src/store/index.js';
import { loadVectorIndex, updateVectorIndex, vectorIndexFiles } from '../src/store/sqlite/vectorIndex.js';
import { nearestChunks } from '../src/store/vectorSearch.js';
import { rng } from '../test/helpers/random.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const dbPath = opt('db', join(import.meta.dirname, '.data/indexBench/data/index/gitlore.db'));
const sizes = opt('sizes', '95000,300000,1000000').split(',').map(Number);
const nQueries = Number(opt('queries', '300'));
/** Semantic candidates per query in hybrid search (RANKING_PARAMS.candidates.semantic). */
const K = 100;

const print = (label: string, value: number | string) =>
  console.log(`${label.padEnd(52)} ${typeof value === 'number' ? Number(value.toFixed(value < 10 ? 3 : 1)) : value}`);

function loadRealVectors(): { dims: number; rows: Float32Array; count: number; model: string } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const model = db.prepare('SELECT model FROM index_vectors GROUP BY model ORDER BY count(*) DESC LIMIT 1').pluck().get() as string;
  const blobs = db
    .prepare('SELECT v.vector FROM index_chunks c JOIN index_vectors v ON v.hash = c.hash AND v.model = ? ORDER BY c.id')
    .pluck()
    .all(model) as Buffer[];
  db.close();
  const dims = blobs[0]!.byteLength / 4;
  const rows = new Float32Array(blobs.length * dims);
  for (const [i, blob] of blobs.entries()) new Uint8Array(rows.buffer, i * dims * 4, dims * 4).set(blob);
  return { dims, rows, count: blobs.length, model };
}

const random = rng(42);

function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < v.length; i += 1) v[i]! /= norm;
  return v;
}

function matrixOfSize(real: { dims: number; rows: Float32Array; count: number }, n: number): VectorMatrix {
  const { dims } = real;
  const data = new Float32Array(n * dims);
  for (let row = 0; row < n; row += 1) {
    const source = real.rows.subarray((row % real.count) * dims, (row % real.count) * dims + dims);
    const v = data.subarray(row * dims, row * dims + dims);
    v.set(source);
    if (row >= real.count) {
      for (let d = 0; d < dims; d += 1) v[d]! += random() * 0.05;
      normalize(v);
    }
  }
  return {
    dims,
    data,
    chunkIds: Int32Array.from({ length: n }, (_, row) => row + 1),
    repoIds: Int32Array.from({ length: n }, (_, row) => (row % 20) + 1),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const real = loadRealVectors();
print('real vectors (model)', `${real.count} x ${real.dims} (${real.model})`);
for (const size of sizes) {
  const n = Math.max(1, size);
  const matrix = matrixOfSize(real, n);
  const queries = Array.from({ length: nQueries }, () => {
    const row = Math.floor((random() + 0.5) * n);
    const q = matrix.data.slice(row * matrix.dims, row * matrix.dims + matrix.dims);
    for (let d = 0; d < q.length; d += 1) q[d]! += random() * 0.3;
    return normalize(q);
  });
  console.log(`\n## ${n} vectors`);
  const exactMs: number[] = [];
  const exact = queries.map((q) => {
    const t = performance.now();
    const ids = nearestChunks(matrix, q, K, null, null);
    exactMs.push(performance.now() - t);
    return ids;
  });
  print('exact scan p50 / p95, ms', `${percentile(exactMs, 0.5).toFixed(1)} / ${percentile(exactMs, 0.95).toFixed(1)}`);

  const dir = mkdtempSync(join(tmpdir(), 'gitlore-annbench-'));
  let t = performance.now();
  updateVectorIndex(matrix, dir, 'bench', 1, '1');
  print('graph build, s', (performance.now() - t) / 1000);
  print(
    'graph files, MB',
    (statSync(vectorIndexFiles(dir, 'bench').graph).size + statSync(vectorIndexFiles(dir, 'bench').keys).size) / 1e6,
  );
  t = performance.now();
  const graph = loadVectorIndex(matrix, dir, 'bench')!;
  print('graph open (checksum, mmap, key diff), ms', performance.now() - t);
  const graphMs: number[] = [];
  let recall10 = 0;
  let recallK = 0;
  queries.forEach((q, i) => {
    const start = performance.now();
    const ids = nearestChunks(matrix, q, K, null, graph);
    graphMs.push(performance.now() - start);
    const truth = exact[i]!;
    const got = new Set(ids);
    recallK += truth.filter((id) => got.has(id)).length / truth.length / queries.length;
    const got10 = new Set(ids.slice(0, 10));
    recall10 += truth.slice(0, 10).filter((id) => got10.has(id)).length / 10 / queries.length;
  });
  print('graph p50 / p95, ms', `${percentile(graphMs, 0.5).toFixed(1)} / ${percentile(graphMs, 0.95).toFixed(1)}`);
  print(`graph recall@10 / recall@${K} vs exact`, `${recall10.toFixed(3)} / ${recallK.toFixed(3)}`);
  const filteredMs: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    nearestChunks(matrix, q, K, [3, 4], graph);
    filteredMs.push(performance.now() - start);
  }
  print(
    'graph, filter to 10% of rows, p50 / p95, ms',
    `${percentile(filteredMs, 0.5).toFixed(1)} / ${percentile(filteredMs, 0.95).toFixed(1)}`,
  );

  // 10 changed chunks: 10 rows removed, 10 new ones (new ids) added.
  const changed: VectorMatrix = {
    ...matrix,
    chunkIds: Int32Array.from(matrix.chunkIds, (id, row) => (row < 10 ? n + 1000 + row : id)),
  };
  const reordered = [...changed.chunkIds.keys()].sort((a, b) => changed.chunkIds[a]! - changed.chunkIds[b]!);
  const sorted: VectorMatrix = {
    dims: matrix.dims,
    chunkIds: Int32Array.from(reordered, (row) => changed.chunkIds[row]!),
    repoIds: Int32Array.from(reordered, (row) => changed.repoIds[row]!),
    data: new Float32Array(matrix.data.length),
  };
  for (const [i, row] of reordered.entries())
    sorted.data.set(matrix.data.subarray(row * matrix.dims, (row + 1) * matrix.dims), i * matrix.dims);
  t = performance.now();
  const update = updateVectorIndex(sorted, dir, 'bench', 1, '2');
  print('update after 10 changed chunks, s', (performance.now() - t) / 1000);
  print('  (added / removed / rebuilt)', `${update.added} / ${update.removed} / ${update.rebuilt}`);
  print('peak RSS so far, MB', process.resourceUsage().maxRSS / 1024);
  rmSync(dir, { recursive: true, force: true });
}
