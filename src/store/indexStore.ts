/** Code index storage (files keyed by git blob id, chunks, symbols, lexical index, vectors). Written by src/indexer. */

export interface IndexRepoState {
  repoId: number;
  /** Commit the index fully reflects; null until a run completes. */
  commit: string | null;
  /** Commit the current (possibly interrupted) run is indexing. */
  pendingCommit: string | null;
  indexedAt: string | null;
  durationMs: number | null;
  /** `cancelled`: the last run was stopped (Ctrl-C, shutdown); the next one resumes. */
  status: 'pending' | 'indexing' | 'ok' | 'failed' | 'cancelled';
  /** Per-file or whole-run errors of the last run (at most a few dozen). */
  errors: string[];
  skipped: number;
  /** INDEX_FORMAT_VERSION of the chunker/tokenizer that built this repo's rows (0 = unknown, older build). */
  formatVersion: number;
  /** The folders the last completed run found to hold vendored copies of other projects (see indexer/vendored.ts). */
  vendoredRoots: string[];
}

export interface IndexChunkInput {
  startLine: number;
  endLine: number;
  kind: string;
  symbol: string | null;
  doc: string | null;
  context: string | null;
  /** Content hash of the embedded text; identical chunks share one vector. */
  hash: string;
  /** Pre-tokenized FTS columns (space-separated code tokens). */
  fts: { symbol: string; path: string; doc: string; body: string };
}

export interface IndexSymbolInput {
  name: string;
  qualified: string;
  kind: string;
  signature: string;
  startLine: number;
  endLine: number;
}

export interface IndexFileInput {
  path: string;
  blob: string;
  language: string;
  size: number;
  /** UTF-8 bytes (as read from git); stored as text. */
  content: Uint8Array;
  /** The content as the store's regex prefilter indexes it (`indexCodec.prefilterTerms`), computed by the indexer's parser threads. */
  grams: Uint8Array;
  chunks: IndexChunkInput[];
  symbols: IndexSymbolInput[];
  /** A copy of another project's code kept in the repository (see indexer/vendored.ts), demoted in search; default false. */
  vendored?: boolean;
}

export interface IndexedChunk {
  id: number;
  repoId: number;
  fileId: number;
  path: string;
  language: string;
  startLine: number;
  endLine: number;
  kind: string;
  symbol: string | null;
  doc: string | null;
  context: string | null;
  hash: string;
  /** The chunk's file is a vendored copy of another project's code. */
  vendored: boolean;
}

export interface IndexedSymbol {
  id: number;
  repoId: number;
  fileId: number;
  path: string;
  language: string;
  name: string;
  qualified: string;
  kind: string;
  signature: string;
  startLine: number;
  endLine: number;
}

export interface IndexFilter {
  repoIds?: number[];
  languages?: string[];
}

/** A lexical query: the terms (any may match) and how much a hit in each field counts. */
export interface LexicalQuery {
  terms: string[];
  fieldWeights: { symbol: number; path: number; doc: number; body: number };
}

export interface IndexStats {
  files: number;
  chunks: number;
  symbols: number;
  embedded: number;
  bytes: number;
}

export interface VectorMatrix {
  dims: number;
  /** Ascending. */
  chunkIds: Int32Array;
  repoIds: Int32Array;
  /** Row-major, one L2-normalised row per chunk. */
  data: Float32Array;
}

/** What bringing a store's approximate-nearest-neighbour index of a model up to date did. */
export interface VectorIndexUpdate {
  /** Vectors the index holds after the update (0: below the threshold, no index kept). */
  vectors: number;
  added: number;
  removed: number;
  /** Built from scratch rather than updated in place. */
  rebuilt: boolean;
  ms: number;
}

/**
 * How `nearest` finds neighbours of a model: `exact` scans every vector; `approximate` asks an index of
 * `graphVectors` vectors, `graphCurrent` false when vectors changed since its last update (those are scanned exactly).
 */
export interface VectorSearchInfo {
  mode: 'exact' | 'approximate';
  graphVectors: number;
  graphCurrent: boolean;
}

export interface IndexStore {
  getState(repoId: number): Promise<IndexRepoState | null>;
  listStates(): Promise<IndexRepoState[]>;
  setState(repoId: number, update: Partial<Omit<IndexRepoState, 'repoId'>>): Promise<void>;
  /** path → blob id of every indexed file of the repo (of its live rows, or of `generation`). */
  fileBlobs(repoId: number, generation?: number): Promise<Map<string, string>>;
  /**
   * Removes the paths and writes the files (replacing same paths) in one transaction, into the repo's live
   * rows or, during a rebuild, into the `generation` beginRebuild returned (invisible to queries until committed).
   */
  applyBatch(repoId: number, batch: { remove: string[]; add: IndexFileInput[]; generation?: number }): Promise<void>;
  /**
   * Starts rebuilding a repo beside its live rows (`index --full`): removes rows an earlier run left outside
   * the live generation and returns the new generation to write. Queries keep seeing the live rows.
   */
  beginRebuild(repoId: number): Promise<number>;
  /**
   * Makes the rebuilt `generation` the live one, with the state update, in one transaction; the previous rows
   * become invisible at once and are deleted by removeStaleRows.
   */
  commitRebuild(repoId: number, generation: number, state: Partial<Omit<IndexRepoState, 'repoId'>>): Promise<void>;
  /**
   * Deletes, a few hundred files per transaction, the repo's rows outside its live generation: the previous
   * rows after a rebuild, or those of a rebuild that was killed. Returns the files deleted.
   */
  removeStaleRows(repoId: number): Promise<number>;
  /**
   * Announces a run of many `applyBatch` calls (an index pass) and returns what ends it, so the
   * store can move its housekeeping off the writer meanwhile (SQLite: WAL checkpoints).
   */
  beginBulkWrites(): Promise<() => Promise<void>>;
  stats(repoId: number, model: string | null): Promise<IndexStats>;

  /**
   * Chunks matching any of the terms (code-aware tokens, as `queryTerms` makes them), ranked by BM25
   * with each field weighted; lower score is better, returned best first.
   */
  lexical(query: LexicalQuery, filter: IndexFilter, limit: number): Promise<{ chunkId: number; score: number }[]>;
  /** Symbols whose lower-cased name is one of `names` (or starts with one, when prefix). */
  symbols(
    query: { names: string[]; qualified?: string[]; prefix?: boolean; kind?: string },
    filter: IndexFilter,
    limit: number,
  ): Promise<IndexedSymbol[]>;
  /** The symbols defined in one indexed file, by line. */
  fileSymbols(fileId: number): Promise<IndexedSymbol[]>;
  chunks(ids: number[]): Promise<IndexedChunk[]>;
  /** Chunks of a file that overlap a line range. */
  chunksAt(fileId: number, startLine: number, endLine: number): Promise<IndexedChunk[]>;
  /** For each point, the chunks of its file containing its line, smallest first (one query for all points). */
  chunksAtLines(points: { fileId: number; line: number }[]): Promise<IndexedChunk[][]>;
  fileContent(fileId: number): Promise<string | null>;
  /** The contents of several files by id, in one query (those not found are absent). */
  fileContents(fileIds: number[]): Promise<Map<number, string>>;
  fileId(repoId: number, path: string): Promise<number | null>;
  /**
   * Files whose content contains every literal of at least one group (an index-backed prefilter; case-insensitive,
   * a superset), or all files when there is no group; paged by id.
   */
  regexCandidates(
    literals: string[][],
    filter: IndexFilter,
    afterId: number,
    limit: number,
  ): Promise<{ id: number; repoId: number; path: string; language: string; content: string }[]>;

  /** Chunks whose hash has no vector for the model yet, with what is needed to rebuild their text. */
  missingVectors(
    model: string,
    limit: number,
    repoIds?: number[],
    /** Chunk id cursor: only chunks with a larger id (keeps each call an index range scan). */
    afterChunkId?: number,
  ): Promise<{ id: number; hash: string; fileId: number; content: string; startLine: number; endLine: number; context: string | null }[]>;
  putVectors(model: string, rows: { hash: string; vector: Float32Array }[]): Promise<void>;
  vectorMatrix(model: string): Promise<VectorMatrix | null>;
  /**
   * Up to k chunk ids whose vectors of `model` are nearest to `vector` (cosine; vectors are
   * L2-normalised), nearest first, within the filter. Empty when the model has no vectors of this
   * size. The store decides whether its approximate index (see refreshVectorIndex) or an exact scan answers.
   */
  nearest(model: string, vector: Float32Array, k: number, filter: IndexFilter): Promise<number[]>;
  /** The vectors of `model` of these chunks (those without one are absent), for rescoring candidates. */
  vectorsOf(model: string, chunkIds: number[]): Promise<Map<number, Float32Array>>;
  /**
   * Brings the store's approximate-nearest-neighbour index of `model` up to date with its vectors, dropping
   * those of other models; below `minVectors` chunks (or with 0) exact search is fast enough and no index is
   * kept. Null when there was nothing to do; `onBuild` is called before work that may take long. Honours
   * the signal (the work stops, the last complete index stays).
   */
  refreshVectorIndex(
    model: string,
    options: { minVectors: number; signal?: AbortSignal; onBuild?: () => void },
  ): Promise<VectorIndexUpdate | null>;
  /** How `nearest` searches the vectors of `model` now. */
  vectorSearchInfo(model: string): Promise<VectorSearchInfo>;
  /** Small key/value settings of the index (e.g. the embedding model last used). */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /** Files after `afterFileId` (by id) with their content and chunk ranges, for rebuilding every chunk's text. */
  fileChunks(
    afterFileId: number,
    limit: number,
  ): Promise<{ fileId: number; content: string; chunks: { startLine: number; endLine: number; context: string | null }[] }[]>;
  /** Chunks in the whole index. */
  chunkCount(): Promise<number>;
  /**
   * Deletes vectors of other models when `keepModel` is given, and vectors no chunk refers to any
   * more once enough chunks were deleted to be worth a scan (always with `all`). Returns how many.
   */
  pruneVectors(options?: { keepModel?: string; all?: boolean }): Promise<number>;
}
