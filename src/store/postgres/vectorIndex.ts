import { createHash } from 'node:crypto';
import type { IndexStore, VectorIndexUpdate, VectorSearchInfo } from '../indexStore.js';
import type { PgDb, PgQueryable } from './database.js';
import { vectorIndexPredicate } from './vectorSearch.js';

/** Every change to the HNSW indexes takes this lock, so processes refreshing at once build each index once. */
const LOCK = `pg_advisory_xact_lock(hashtext('gitlore.vector-index'))`;

/** Memory for building an HNSW index: 256 MB hold the graph of about 200,000 vectors of 256 dimensions. */
const BUILD_MEMORY = '256MB';

function indexName(model: string, dims: number): string {
  return `index_vectors_hnsw_${createHash('sha1').update(model).digest('hex').slice(0, 12)}_${dims}`;
}

/** Drops the HNSW indexes of every model but `keep` (all when null). */
async function dropIndexes(client: PgQueryable, keep: string | null): Promise<void> {
  const { rows } = await client.query<{ model: string; name: string }>(
    'DELETE FROM index_vector_indexes WHERE model IS DISTINCT FROM $1 RETURNING model, name',
    [keep],
  );
  for (const row of rows) await client.query(`DROP INDEX IF EXISTS ${row.name}`);
}

/** The size most of a model's vectors have (a model keeps one size; another is an older run's). */
async function modelDims(client: PgQueryable, model: string): Promise<{ dims: number; vectors: number } | null> {
  const { rows } = await client.query<{ dims: number; vectors: number }>(
    `SELECT vector_dims(embedding) AS dims, count(*) AS vectors FROM index_vectors WHERE model = $1
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    [model],
  );
  return rows[0] ?? null;
}

/** `db.tx`, cancelled on the server when the signal fires (then rejected with the signal's reason). */
async function cancellable<T>(db: PgDb, signal: AbortSignal | undefined, work: (client: PgQueryable) => Promise<T>): Promise<T> {
  try {
    return await db.tx(async (client) => {
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const cancel = () => void db.pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        return await work(client);
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
    });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}

type VectorIndexing = Pick<IndexStore, 'refreshVectorIndex' | 'vectorSearchInfo'>;

/**
 * The approximate index of the vectors on PostgreSQL: one partial HNSW index (pgvector, cosine) over the vectors of
 * the model in use, `(embedding::vector(D))` since the column holds vectors of any size, listed in
 * index_vector_indexes. pgvector keeps it up to date on every insert, so once built there is nothing to refresh;
 * below `minVectors` chunks (or with 0) it is dropped and search is exact.
 */
export function createPgVectorIndexing(db: PgDb, chunkCount: () => Promise<number>): VectorIndexing {
  return {
    async refreshVectorIndex(model, { minVectors, signal, onBuild }): Promise<VectorIndexUpdate | null> {
      const started = performance.now();
      if (minVectors <= 0 || (await chunkCount()) < minVectors) {
        await db.tx(async (client) => {
          await client.query(`SELECT ${LOCK}`);
          await dropIndexes(client, null);
        });
        return null;
      }
      const current = await db.row<{ dims: number }>('SELECT dims FROM index_vector_indexes WHERE model = $1', [model]);
      const size = await modelDims(db.pool, model);
      const others = await db.row('SELECT 1 FROM index_vector_indexes WHERE model <> $1 LIMIT 1', [model]);
      if (current && size && current.dims === size.dims && !others) return null;
      signal?.throwIfAborted();
      if (size) onBuild?.();
      return cancellable(db, signal, async (client) => {
        await client.query(`SELECT ${LOCK}`);
        await dropIndexes(client, model);
        const latest = await modelDims(client, model);
        const built = (await client.query<{ dims: number }>('SELECT dims FROM index_vector_indexes WHERE model = $1', [model])).rows[0];
        if (built && latest && built.dims === latest.dims) return null;
        if (built) await dropIndexes(client, null);
        if (!latest) return null;
        if (latest.vectors < minVectors) return { vectors: 0, added: 0, removed: 0, rebuilt: false, ms: performance.now() - started };
        const name = indexName(model, latest.dims);
        // pgvector builds far faster while the graph fits in maintenance_work_mem (64 MB by default).
        await client.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
        await client.query(
          `CREATE INDEX ${name} ON index_vectors USING hnsw ((embedding::vector(${latest.dims})) vector_cosine_ops)
           WHERE ${vectorIndexPredicate(model, latest.dims)}`,
        );
        await client.query('INSERT INTO index_vector_indexes (model, dims, name, vectors) VALUES ($1, $2, $3, $4)', [
          model,
          latest.dims,
          name,
          latest.vectors,
        ]);
        return { vectors: latest.vectors, added: latest.vectors, removed: 0, rebuilt: true, ms: performance.now() - started };
      });
    },
    async vectorSearchInfo(model): Promise<VectorSearchInfo> {
      const index = await db.row<{ dims: number }>('SELECT dims FROM index_vector_indexes WHERE model = $1', [model]);
      if (!index) return { mode: 'exact', graphVectors: 0, graphCurrent: false };
      const { n } = (await db.row<{ n: number }>(
        'SELECT count(*) AS n FROM index_vectors WHERE model = $1 AND vector_dims(embedding) = $2',
        [model, index.dims],
      ))!;
      return { mode: 'approximate', graphVectors: n, graphCurrent: true };
    },
  };
}
