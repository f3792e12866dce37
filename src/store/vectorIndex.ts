/** Upkeep of the stores' approximate-nearest-neighbour graphs, for the indexer's last phase and index status. */
export {
  removeVectorIndexes,
  type UpdateVectorIndexJob,
  updateVectorIndexOffThread,
  type VectorIndexUpdate,
  vectorIndexInfo,
  vectorIndexIsCurrent,
} from './sqlite/vectorIndex.js';
