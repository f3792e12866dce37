import pg from 'pg';
import type { IndexFilter, IndexStore, VectorMatrix } from '../indexStore.js';
import { nearestInMatrix } from '../vectorSearch.js';
import type { PgDb } from './database.js';
import { filterSql, liveRowsSql, SqlParams } from './indexShared.js';

/** Below this share of all chunks, a repo filter is answered by an exact scan of its chunks rather than the HNSW index. */
const INDEX_MIN_FILTER_SHARE = 0.1;
/** Index candidates per wanted result (as SQLite's graph search), more for a language filter, which the index cannot see. */
const INDEX_OVERSAMPLE = 4;
const LANGUAGE_OVERSAMPLE = 5;
/** hnsw.ef_search is at most 1000; relaxed iterative scans go on past it until the LIMIT is met. */
const MAX_EF_SEARCH = 1000;

/** A vector as pgvector's text input; `String` of a float32 value reads back as the same float32. */
export function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** The partial HNSW index of one model and size; its predicate is repeated by every query that means to use it. */
export function vectorIndexPredicate(model: string, dims: number): string {
  return `model = ${pg.escapeLiteral(model)} AND vector_dims(embedding) = ${Math.trunc(dims)}`;
}

/** The chunks a filter allows, as a join and conditions over `c` (index_chunks); the file is joined only when needed. */
async function chunkScope(db: PgDb, filter: IndexFilter, params: SqlParams): Promise<{ join: string; where: string }> {
  const where = filterSql({ repoIds: filter.repoIds }, 'c.repo_id', '', params);
  const byFile = filterSql({ languages: filter.languages }, '', 'f.language', params) + (await liveRowsSql(db.pool, 'f', params));
  return { join: byFile ? ' JOIN index_files f ON f.id = c.file_id' : '', where: where + byFile };
}

type Nearest = Pick<IndexStore, 'nearest' | 'vectorMatrix' | 'vectorsOf'>;

/**
 * `IndexStore.nearest` on PostgreSQL. With an HNSW index of the model (refreshVectorIndex, from minVectors on),
 * pgvector proposes candidates (oversampled for filters, with its relaxed iterative scan) ranked by their exact
 * cosine distance; a filter too narrow for the index, or one that leaves fewer than k, falls back to the exact scan.
 * The exact scan is SQLite's: the model's live vectors in one matrix in memory (../vectorSearch.ts), reloaded when
 * the index_version sequence moved (writers advance it after each commit). Scanning them in SQL was measured
 * first: 204 ms at p50 for 32,000 vectors of 256 dimensions (the join to the chunks by hash cost three quarters),
 * against 27 ms in memory.
 */
export function createPgVectorSearch(db: PgDb, chunks: IndexStore['chunks']): Nearest {
  const loadMatrix = matrixLoader(db);
  let cache: { model: string; version: string; matrix: VectorMatrix | null } | null = null;
  const approximate = async (model: string, q: Float32Array, k: number, filter: IndexFilter): Promise<number[] | null> => {
    let share = 1;
    if (filter.repoIds && filter.repoIds.length > 0) {
      const counts = (await db.row<{ part: number; total: number }>(
        'SELECT coalesce(sum(chunks) FILTER (WHERE repo_id = ANY($1::int[])), 0) AS part, coalesce(sum(chunks), 0) AS total FROM index_lexicon',
        [filter.repoIds],
      ))!;
      share = counts.total > 0 ? counts.part / counts.total : 0;
      if (share < INDEX_MIN_FILTER_SHARE) return null;
    }
    const oversample = filter.languages && filter.languages.length > 0 ? INDEX_OVERSAMPLE * LANGUAGE_OVERSAMPLE : INDEX_OVERSAMPLE;
    const wanted = Math.ceil((k * oversample) / share);
    const dims = q.length;
    const literal = vectorLiteral(q);
    const near = await db.tx(async (client) => {
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.min(MAX_EF_SEARCH, Math.max(40, wanted))}`);
      await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
      const { rows } = await client.query<{ hash: string; d: number }>(
        `SELECT hash, embedding <=> $1::vector AS d FROM index_vectors WHERE ${vectorIndexPredicate(model, dims)}
         ORDER BY (embedding::vector(${dims})) <=> $1::vector(${dims}) LIMIT $2`,
        [literal, wanted],
      );
      return rows;
    });
    const distance = new Map(near.map((r) => [r.hash, r.d]));
    const params = new SqlParams();
    const hashes = params.add([...distance.keys()]);
    const scope = await chunkScope(db, filter, params);
    const chunks = await db.rows<{ id: number; hash: string }>(
      `SELECT c.id, c.hash FROM index_chunks c${scope.join} WHERE c.hash = ANY(${hashes}::text[])${scope.where}`,
      params.values,
    );
    chunks.sort((a, b) => distance.get(a.hash)! - distance.get(b.hash)! || a.id - b.id);
    if (chunks.length < k && near.length >= wanted) return null;
    return chunks.slice(0, k).map((c) => c.id);
  };

  return {
    async nearest(model, q, k, filter) {
      // One round trip says both whether the model has an HNSW index and whether a cached matrix is current.
      const state = (await db.row<{ version: string; indexed: boolean }>(
        `SELECT (SELECT last_value::text FROM index_version) AS version,
           EXISTS (SELECT 1 FROM index_vector_indexes WHERE model = $1 AND dims = $2) AS indexed`,
        [model, q.length],
      ))!;
      const matrix = (m: string) =>
        cache?.model === m && cache.version === state.version ? Promise.resolve(cache.matrix) : this.vectorMatrix(m);
      return (
        (state.indexed ? await approximate(model, q, k, filter) : null) ??
        nearestInMatrix({ vectorMatrix: matrix, chunks }, null, model, q, k, filter)
      );
    },
    async vectorsOf(model, chunkIds) {
      const out = new Map<number, Float32Array>();
      if (chunkIds.length === 0) return out;
      const rows = await db.rows<{ id: number; v: Buffer }>(
        `SELECT c.id, vector_send(v.embedding) AS v FROM index_chunks c JOIN index_vectors v ON v.hash = c.hash AND v.model = $1
          WHERE c.id = ANY($2::int[])`,
        [model, chunkIds],
      );
      for (const r of rows) out.set(r.id, decodeVector(r.v));
      return out;
    },
    async vectorMatrix(model): Promise<VectorMatrix | null> {
      // Read before the rows: a change committed meanwhile then shows as a newer version at the next call.
      const version = (await db.row<{ v: string }>('SELECT last_value::text AS v FROM index_version'))!.v;
      if (cache?.model === model && cache.version === version) return cache.matrix;
      const matrix = await loadMatrix(model);
      cache = { model, version, matrix };
      return matrix;
    },
  };
}

/** A vector from pgvector's binary form: dimensions (uint16), a reserved uint16, then big-endian float32s. */
function decodeVector(bytes: Buffer): Float32Array {
  const dims = bytes.readUInt16BE(0);
  const out = new Float32Array(dims);
  for (let d = 0; d < dims; d += 1) out[d] = bytes.readFloatBE(4 + d * 4);
  return out;
}

/** Every live chunk's vector of the model, by chunk id. */
function matrixLoader(db: PgDb) {
  return async (model: string): Promise<VectorMatrix | null> => {
    const params = new SqlParams();
    const modelParam = params.add(model);
    const live = await liveRowsSql(db.pool, 'f', params);
    const rows = await db.rows<{ id: number; repo_id: number; v: Buffer }>(
      `SELECT c.id, c.repo_id, vector_send(v.embedding) AS v FROM index_chunks c JOIN index_files f ON f.id = c.file_id
         JOIN index_vectors v ON v.hash = c.hash AND v.model = ${modelParam} WHERE true${live} ORDER BY c.id`,
      params.values,
    );
    if (rows.length === 0) return null;
    const dims = rows[0]!.v.readUInt16BE(0);
    const usable = rows.filter((r) => r.v.readUInt16BE(0) === dims);
    const data = new Float32Array(usable.length * dims);
    for (const [i, r] of usable.entries()) data.set(decodeVector(r.v), i * dims);
    return {
      dims,
      chunkIds: Int32Array.from(usable, (r) => r.id),
      repoIds: Int32Array.from(usable, (r) => r.repo_id),
      data,
    };
  };
}
