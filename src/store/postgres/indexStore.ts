import type { IndexStore } from '../indexStore.js';
import type { PgDb } from './database.js';
import { createPgIndexReads } from './indexReads.js';
import { createPgIndexWrites } from './indexWrites.js';
import { createPgVectorIndexing } from './vectorIndex.js';
import { createPgVectorSearch } from './vectorSearch.js';

/** The code index on PostgreSQL (see migrations/codeIndex.ts for the tables). */
export function createPgIndexStore(db: PgDb): IndexStore {
  const reads = createPgIndexReads(db);
  return {
    ...createPgIndexWrites(db),
    ...reads,
    ...createPgVectorSearch(db, reads.chunks),
    ...createPgVectorIndexing(db, () => reads.chunkCount()),
  };
}
