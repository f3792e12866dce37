import { trigramTerms } from './sqlite/trigramTerms.js';

/**
 * What the indexer computes for the store while it parses, in its worker threads (for throughput:
 * the store's single writer then only inserts). The encoding belongs to the store: SQLite's regex
 * prefilter indexes each file's distinct trigrams as words (sqlite/trigramTerms.ts).
 */
export interface IndexCodec {
  /** The content as `IndexFileInput.grams`, the store's regex-prefilter terms. */
  prefilterTerms(content: string): Uint8Array;
}

export const indexCodec: IndexCodec = { prefilterTerms: trigramTerms };
