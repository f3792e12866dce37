import type { IndexStore } from '../indexStore.js';
import type { Db } from './database.js';
import { createIndexReads } from './indexReads.js';
import { createIndexWrites } from './indexWrites.js';
import type { VectorGraphPlace } from './vectorIndexUpkeep.js';

export { ftsAnyTerm } from './indexReads.js';

export interface SqliteIndexStoreOptions {
  /** Folder of the HNSW graphs of the vectors (see vectorIndex.ts); null: vector search is always exact. */
  vectorIndexDir?: string | null;
  /** The database file, which the graph worker thread opens read-only; graphs need it. */
  dbPath?: string;
}

export function createSqliteIndexStore(db: Db, options: SqliteIndexStoreOptions = {}): IndexStore {
  const graphs: VectorGraphPlace | null =
    options.vectorIndexDir && options.dbPath ? { dir: options.vectorIndexDir, dbPath: options.dbPath } : null;
  return { ...createIndexWrites(db), ...createIndexReads(db, graphs) };
}
