/** Code index storage (files, chunks, symbols, embeddings). Owned by the indexer; see src/indexer. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the indexer work
export interface IndexStore {}
