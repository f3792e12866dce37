import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Usearch from 'usearch';
import { newModuleWorker, siblingModule } from '../../shared/moduleWorker.js';
import type { VectorIndexUpdate, VectorMatrix } from '../indexStore.js';

/**
 * Approximate nearest neighbours (HNSW, usearch) over an index's vectors, kept in two files per model
 * beside the database: `<model>.usearch` (the graph, keyed by chunk id) and `<model>.keys` (which chunk
 * id with which vector each key holds, plus the graph file's SHA-256). The graph only proposes
 * candidates: search scores them exactly from the loaded matrix, and scans exactly the rows the graph
 * does not hold yet (chunks embedded since it was last brought up to date), so a stale graph costs
 * speed, never wrong scores.
 */

// The CommonJS build: the ES module build finds its native binary by walking stack traces, which never
// ends under loaders that rewrite them (tsx, so `npm run gitlore` and tests); the CommonJS one uses __dirname.
const { Index, MetricKind, ScalarKind } = createRequire(import.meta.url)('usearch') as typeof Usearch;
type UsearchIndex = InstanceType<typeof Index>;

/** Graph parameters: 16 links per node, 128 candidates while inserting (usearch's defaults, measured in bench/annBench.ts). */
const CONNECTIVITY = 16;
const EXPANSION_ADD = 128;
const EXPANSION_SEARCH = 64;
/** Half-precision graph vectors: half the file and memory, and candidates are rescored exactly anyway. */
const QUANTIZATION = ScalarKind.F16;
/** The graph is rebuilt from scratch once this share of its keys were removed (removed nodes still cost hops). */
const REBUILD_REMOVED_SHARE = 0.25;
const KEYS_FORMAT = 1;

export interface VectorIndexFiles {
  graph: string;
  keys: string;
}

export function vectorIndexFiles(dir: string, model: string): VectorIndexFiles {
  const base = join(dir, model.replace(/[^A-Za-z0-9._-]/g, '_'));
  return { graph: `${base}.usearch`, keys: `${base}.keys` };
}

interface KeysHeader {
  format: number;
  model: string;
  dims: number;
  count: number;
  /** Keys removed from the graph since it was built (tombstones). */
  removed: number;
  /** The index generation (index_meta) whose vectors the graph holds. */
  generation: string | null;
  graphBytes: number;
  graphSha256: string;
}

interface StoredKeys {
  header: KeysHeader;
  /** Ascending. */
  chunkIds: Int32Array;
  fingerprints: Uint32Array;
}

/**
 * Brings the graph of `model` up to date with `matrix`: removes keys whose chunk is gone or whose vector
 * changed, adds the rows it lacks, and rebuilds when there is no valid graph or too many removals piled
 * up. Below `minVectors` rows (or with `minVectors` 0) exact search is fast enough, and the files are
 * deleted. The graph file is written first and the keys file (which names the graph's checksum) last,
 * each by rename, so a crash leaves either the old pair or a pair that is rejected and rebuilt.
 */
export function updateVectorIndex(
  matrix: VectorMatrix | null,
  dir: string,
  model: string,
  minVectors: number,
  generation: string | null = null,
): VectorIndexUpdate {
  const started = performance.now();
  const files = vectorIndexFiles(dir, model);
  const n = matrix?.chunkIds.length ?? 0;
  if (!matrix || minVectors <= 0 || n < minVectors) {
    removeVectorIndexes(dir);
    return { vectors: 0, added: 0, removed: 0, rebuilt: false, ms: performance.now() - started };
  }
  const fingerprints = rowFingerprints(matrix);
  const stored = readKeys(files, model, matrix.dims);
  const diff = stored ? diffKeys(matrix.chunkIds, fingerprints, stored) : null;
  const rebuilt = !stored || !diff || stored.header.removed + diff.stale.length > REBUILD_REMOVED_SHARE * n;
  const toAdd = rebuilt ? Int32Array.from({ length: n }, (_, row) => row) : diff.uncoveredRows;
  const toRemove = rebuilt ? [] : diff.stale;
  const removed = rebuilt ? 0 : stored.header.removed + toRemove.length;
  mkdirSync(dir, { recursive: true });
  let graphFile = { bytes: stored?.header.graphBytes ?? 0, sha256: stored?.header.graphSha256 ?? '' };
  if (rebuilt || toAdd.length > 0 || toRemove.length > 0) {
    const graph = newGraph(matrix.dims);
    if (!rebuilt) graph.load(files.graph);
    if (toRemove.length > 0) graph.remove(BigUint64Array.from(toRemove, BigInt));
    addRows(graph, matrix, toAdd);
    const tmpGraph = `${files.graph}.tmp`;
    graph.save(tmpGraph);
    graphFile = { bytes: statSync(tmpGraph).size, sha256: sha256File(tmpGraph) };
    renameSync(tmpGraph, files.graph);
  }
  const header: KeysHeader = {
    format: KEYS_FORMAT,
    model,
    dims: matrix.dims,
    count: n,
    removed,
    generation,
    graphBytes: graphFile.bytes,
    graphSha256: graphFile.sha256,
  };
  // Unchanged graphs get a new keys file too: it records the generation they are now known to match.
  const tmpKeys = `${files.keys}.tmp`;
  writeFileSync(tmpKeys, encodeKeys(header, matrix.chunkIds, fingerprints));
  renameSync(tmpKeys, files.keys);
  return { vectors: n, added: toAdd.length, removed: toRemove.length, rebuilt, ms: performance.now() - started };
}

/** The size of the graph of `model` and the index generation it was last brought up to date at (reads the header only). */
export function vectorIndexInfo(dir: string, model: string): { vectors: number; generation: string | null } | null {
  const header = readKeysHeader(vectorIndexFiles(dir, model).keys);
  return isHeaderOf(header, model) ? { vectors: header.count, generation: header.generation } : null;
}

/** True when the graph of `model` was last brought up to date at this index generation. */
export function vectorIndexIsCurrent(dir: string, model: string, generation: string | null): boolean {
  const info = vectorIndexInfo(dir, model);
  return info !== null && info.generation === generation;
}

/** Deletes the graphs of every model but `keep`. */
export function removeVectorIndexes(dir: string, keep?: string): void {
  const kept = keep ? vectorIndexFiles(dir, keep) : null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (path !== kept?.graph && path !== kept?.keys) rmSync(path, { force: true });
  }
}

export interface UpdateVectorIndexJob {
  dbPath: string;
  dir: string;
  model: string;
  minVectors: number;
}

/**
 * updateVectorIndex on a worker thread that reads the vectors from the database itself: building a
 * graph of a few hundred thousand vectors takes tens of seconds of native code, which would stall
 * `gitlore serve`'s event loop. Aborting terminates the worker; the files it had not renamed yet are
 * left as temporaries that the next update overwrites.
 */
export function updateVectorIndexOffThread(job: UpdateVectorIndexJob, signal?: AbortSignal): Promise<VectorIndexUpdate> {
  signal?.throwIfAborted();
  const worker = newModuleWorker(siblingModule(import.meta.url, 'vectorIndexWorker'), job);
  return new Promise((resolve, reject) => {
    const abort = () => void worker.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    const settle = () => {
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
    };
    worker.once('message', (message: { update?: VectorIndexUpdate; error?: string }) => {
      settle();
      if (message.update) resolve(message.update);
      else reject(new Error(`building the vector index failed: ${message.error}`));
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    worker.once('exit', () => {
      settle();
      reject(signal?.aborted ? signal.reason : new Error('the vector index worker stopped before it finished'));
    });
  });
}

/** A graph opened for search, with which rows of the matrix it answers for. */
export interface LoadedVectorIndex {
  /** Up to k chunk ids, nearest first. */
  search(q: Float32Array, k: number): number[];
  /** 1 where the graph holds this matrix row's current vector. */
  covered: Uint8Array;
  /** Rows the graph lacks (to be scanned exactly). */
  uncoveredRows: Int32Array;
}

const loaded = new WeakMap<VectorMatrix, { stamp: string; index: LoadedVectorIndex | null }>();

/**
 * The graph of `model` for this matrix, memory-mapped, or null when there is none or it does not
 * match (wrong model or dimensions, checksum mismatch, or it lacks more than half the rows). Checks
 * the keys file's identity on every call, so a graph rewritten by `gitlore index` in another process
 * is picked up by the next query.
 */
export function loadVectorIndex(matrix: VectorMatrix, dir: string, model: string): LoadedVectorIndex | null {
  const files = vectorIndexFiles(dir, model);
  let stamp: string;
  try {
    const stat = statSync(files.keys);
    stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return null;
  }
  const cached = loaded.get(matrix);
  if (cached?.stamp === stamp) return cached.index;
  let index: LoadedVectorIndex | null = null;
  const stored = readKeys(files, model, matrix.dims);
  if (stored) {
    const diff = diffKeys(matrix.chunkIds, rowFingerprints(matrix), stored);
    if (diff.uncoveredRows.length <= matrix.chunkIds.length / 2) {
      const graph = newGraph(matrix.dims);
      graph.view(files.graph);
      index = {
        search: (q, k) => Array.from(graph.search(q, k, 1).keys, Number),
        covered: diff.covered,
        uncoveredRows: diff.uncoveredRows,
      };
    }
  }
  loaded.set(matrix, { stamp, index });
  return index;
}

function newGraph(dims: number): UsearchIndex {
  return new Index({
    metric: MetricKind.IP,
    dimensions: dims,
    quantization: QUANTIZATION,
    connectivity: CONNECTIVITY,
    expansion_add: EXPANSION_ADD,
    expansion_search: EXPANSION_SEARCH,
    multi: false,
  });
}

/**
 * Fewer rows than this are added on one thread, in order: a multi-threaded build of a 300-vector graph on a loaded
 * 2-core machine once lost a query's own vector from its neighbours (CI). Graphs start at GITLORE_ANN_MIN_VECTORS
 * (150,000 by default), so this covers small increments and small configured graphs: 9,999 × 128-d rows took 2.0 s
 * on one thread and 2.7 s on all threads of this machine under load (.eval scratch measurement, 2026-12-05).
 */
const ONE_THREAD_BELOW = 10_000;

/** Adds matrix rows in slices, so the copy of their vectors stays small. */
function addRows(graph: UsearchIndex, matrix: VectorMatrix, rows: Int32Array): void {
  const { dims, data, chunkIds } = matrix;
  const SLICE = 16_384;
  const threads = rows.length < ONE_THREAD_BELOW ? 1 : 0;
  for (let from = 0; from < rows.length; from += SLICE) {
    const slice = rows.subarray(from, from + SLICE);
    const keys = new BigUint64Array(slice.length);
    const vectors = new Float32Array(slice.length * dims);
    slice.forEach((row, i) => {
      keys[i] = BigInt(chunkIds[row]!);
      vectors.set(data.subarray(row * dims, row * dims + dims), i * dims);
    });
    graph.add(keys, vectors, threads);
  }
}

const fingerprintCache = new WeakMap<VectorMatrix, Uint32Array>();

/** FNV-1a of each row's bytes: tells a chunk id whose vector changed (ids are reused by SQLite) from one that did not. */
export function rowFingerprints(matrix: VectorMatrix): Uint32Array {
  const cached = fingerprintCache.get(matrix);
  if (cached) return cached;
  const { dims, data, chunkIds } = matrix;
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
  const out = new Uint32Array(chunkIds.length);
  for (let row = 0; row < chunkIds.length; row += 1) {
    let h = 0x811c9dc5;
    for (let d = row * dims, end = d + dims; d < end; d += 1) h = Math.imul(h ^ words[d]!, 0x01000193);
    out[row] = h >>> 0;
  }
  fingerprintCache.set(matrix, out);
  return out;
}

/** Walks the matrix rows and the stored keys (both ascending by chunk id) side by side. */
function diffKeys(chunkIds: Int32Array, fingerprints: Uint32Array, stored: StoredKeys) {
  const covered = new Uint8Array(chunkIds.length);
  const uncovered: number[] = [];
  const stale: number[] = [];
  const keys = stored.chunkIds;
  let j = 0;
  for (let row = 0; row < chunkIds.length; row += 1) {
    const id = chunkIds[row]!;
    while (j < keys.length && keys[j]! < id) stale.push(keys[j++]!);
    if (j < keys.length && keys[j] === id) {
      if (stored.fingerprints[j] === fingerprints[row]) covered[row] = 1;
      else {
        stale.push(id);
        uncovered.push(row);
      }
      j += 1;
    } else uncovered.push(row);
  }
  while (j < keys.length) stale.push(keys[j++]!);
  return { covered, uncoveredRows: Int32Array.from(uncovered), stale };
}

/** Layout: u32 header length, the JSON header, padding to 4 bytes, then count chunk ids (i32) and count fingerprints (u32). */
function encodeKeys(header: KeysHeader, chunkIds: Int32Array, fingerprints: Uint32Array): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const start = (4 + json.length + 3) & ~3;
  const out = Buffer.alloc(start + chunkIds.byteLength + fingerprints.byteLength);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  Buffer.from(chunkIds.buffer, chunkIds.byteOffset, chunkIds.byteLength).copy(out, start);
  Buffer.from(fingerprints.buffer, fingerprints.byteOffset, fingerprints.byteLength).copy(out, start + chunkIds.byteLength);
  return out;
}

/**
 * The keys of a graph that is safe to open: a damaged or foreign graph file would crash the native
 * library, so it is only opened when its size and SHA-256 match what the keys file recorded.
 */
function readKeys(files: VectorIndexFiles, model: string, dims: number): StoredKeys | null {
  try {
    const raw = readFileSync(files.keys);
    const { header, bodyStart } = decodeHeader(raw);
    if (!isHeaderOf(header, model) || header.dims !== dims) return null;
    if (raw.length !== bodyStart + header.count * 8) return null;
    if (statSync(files.graph).size !== header.graphBytes || sha256File(files.graph) !== header.graphSha256) return null;
    const body = new Uint8Array(raw.subarray(bodyStart)).buffer;
    return {
      header,
      chunkIds: new Int32Array(body, 0, header.count),
      fingerprints: new Uint32Array(body, header.count * 4, header.count),
    };
  } catch {
    return null;
  }
}

/** The header of a keys file (see encodeKeys) and where its arrays start. */
function decodeHeader(raw: Buffer): { header: KeysHeader; bodyStart: number } {
  const length = raw.readUInt32LE(0);
  const header = JSON.parse(raw.subarray(4, 4 + length).toString('utf8')) as KeysHeader;
  return { header, bodyStart: (4 + length + 3) & ~3 };
}

function isHeaderOf(header: KeysHeader | null, model: string): header is KeysHeader {
  return header !== null && header.format === KEYS_FORMAT && header.model === model;
}

/** The header alone, without reading the arrays. */
function readKeysHeader(path: string): KeysHeader | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(4);
    if (readSync(fd, head, 0, 4, 0) !== 4) return null;
    const raw = Buffer.alloc(4 + Math.min(head.readUInt32LE(0), 64 * 1024));
    readSync(fd, raw, 0, raw.length, 0);
    return decodeHeader(raw).header;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
