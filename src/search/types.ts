import type { Embedder } from '../embeddings/embedder.js';
import type { SearchGroup, SearchMode } from '../shared/searchLimits.js';
import type { ViewHit } from '../shared/searchView.js';
import type { Store } from '../store/index.js';
import type { HitRefinement } from './queryMatch.js';
import type { RankingParams } from './rankingParams.js';
import type { RegexScanner } from './regexScanner.js';

/** One result of the engine: what the web app shows of a hit, plus rank and link (core adds the last change). */
export interface SearchHit extends Omit<ViewHit, 'lastChange'> {
  score: number;
  url: string | null;
  /** Grouped by file: the file's best chunks, this hit's first. */
  chunks?: FileChunk[];
}

/** A chunk listed with its file's result when results are grouped by file. */
export interface FileChunk {
  startLine: number;
  endLine: number;
  symbol: string | null;
  score: number;
  /** Its first lines, as a hit's snippet. */
  snippet: string;
}

export interface SearchRepo {
  id: number;
  name: string;
  /** `https://github.com/owner/name` for GitHub repos, else null. */
  htmlUrl: string | null;
  /** Commit the index reflects (for stable URLs). */
  commit: string | null;
}

export interface SearchRequest {
  query: string;
  repos: SearchRepo[];
  /** Restrict to these repos (ids); all when absent. */
  repoIds?: number[];
  language?: string;
  /** Indexed language ids to search (instead of `language`); none match when empty. */
  languages?: string[];
  path?: string;
  /** Path and text conditions from the query language, checked on every candidate. */
  refine?: HitRefinement;
  mode: SearchMode;
  limit: number;
  /** The pasted text the query was read from (an issue, a stack trace), newlines and all: its evidence is extracted. */
  text?: string;
  /** `file`: one result per file. */
  group?: SearchGroup;
  /** Ungrouped: at most this many chunks of one file before the other files' next ones; absent, a softer spread (selectHits.ts). */
  perFile?: number;
  /** Milliseconds a regex scan may take before it returns partial results; no limit when absent. */
  timeBudgetMs?: number;
  /** Stops a regex scan when the caller goes away. */
  signal?: AbortSignal;
}

/** Hits, and why they may be incomplete (a regex scan that ran out of time), else null. */
export interface SearchOutcome {
  hits: SearchHit[];
  partialReason: string | null;
  /** For a pasted text: what was read from it and ranked by (issueText.ts). */
  extracted?: ExtractedQuery;
}

/** What a pasted text was read as: the lexical terms, the identifiers and the files it names (`path:line`). */
export interface ExtractedQuery {
  terms: string[];
  identifiers: string[];
  files: string[];
}

export interface SearchDeps {
  store: Store;
  /** Lazily created; null when embeddings are off. */
  embedder?: () => Promise<Embedder | null>;
  params?: RankingParams;
  /** Runs regex scans off the calling thread (the process's worker pool); the calling thread when absent. */
  regexScanner?: RegexScanner;
}
