import { parentPort, workerData } from 'node:worker_threads';
import type { Store } from '../types.js';
import { openSqliteStore } from './sqliteStore.js';
import { type UpdateVectorIndexJob, updateVectorIndex } from './vectorIndex.js';

/** Worker thread: loads the vectors from the store and brings the HNSW graph up to date (see updateVectorIndexOffThread). */
const job = workerData as UpdateVectorIndexJob;
let store: Store | null = null;
try {
  store = openSqliteStore(job.dbPath, { readonly: true });
  const generation = await store.index.getMeta('generation');
  const matrix = await store.index.vectorMatrix(job.model);
  parentPort?.postMessage({ update: updateVectorIndex(matrix, job.dir, job.model, job.minVectors, generation) });
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message ?? String(error) });
} finally {
  await store?.close();
}
