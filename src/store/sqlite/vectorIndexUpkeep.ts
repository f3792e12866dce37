import type { IndexStore, VectorIndexUpdate, VectorSearchInfo } from '../indexStore.js';

/** Where the SQLite store keeps its HNSW graphs, and the database file the graph worker reads the vectors from. */
export interface VectorGraphPlace {
  dir: string;
  dbPath: string;
}

/**
 * `IndexStore.refreshVectorIndex` for SQLite: nothing below `minVectors` chunks (old graphs are deleted) or when
 * the graph already matches this index generation; otherwise updateVectorIndex on a worker thread.
 */
export async function refreshVectorGraph(
  index: Pick<IndexStore, 'chunkCount' | 'getMeta'>,
  place: VectorGraphPlace | null,
  model: string,
  options: { minVectors: number; signal?: AbortSignal; onBuild?: () => void },
): Promise<VectorIndexUpdate | null> {
  if (!place) return null;
  const { dir, dbPath } = place;
  // The graph code loads usearch's native library: only when indexing reaches this phase.
  const graphs = await import('./vectorIndex.js');
  const { minVectors, signal } = options;
  if (minVectors <= 0 || (await index.chunkCount()) < minVectors) {
    graphs.removeVectorIndexes(dir);
    return null;
  }
  graphs.removeVectorIndexes(dir, model);
  if (graphs.vectorIndexIsCurrent(dir, model, await index.getMeta('generation'))) return null;
  options.onBuild?.();
  return graphs.updateVectorIndexOffThread({ dbPath, dir, model, minVectors }, signal);
}

/** `IndexStore.vectorSearchInfo` for SQLite: from the graph's keys file header. */
export async function vectorGraphInfo(
  index: Pick<IndexStore, 'getMeta'>,
  place: VectorGraphPlace | null,
  model: string,
): Promise<VectorSearchInfo> {
  const graph = place ? (await import('./vectorIndex.js')).vectorIndexInfo(place.dir, model) : null;
  if (!graph) return { mode: 'exact', graphVectors: 0, graphCurrent: false };
  return { mode: 'approximate', graphVectors: graph.vectors, graphCurrent: graph.generation === (await index.getMeta('generation')) };
}
