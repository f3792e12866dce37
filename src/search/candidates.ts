import type { Embedder } from '../embeddings/embedder.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { SearchMode } from '../shared/searchLimits.js';
import type { IndexedChunk, IndexFilter } from '../store/index.js';
import { type FusedCandidate, fuseRanks, type RetrieverKind } from './fusion.js';
import type { IssueEvidence, RetrieverQueries } from './issueText.js';
import { lexicalList } from './lexicalRetriever.js';
import type { RetrieverEvidence } from './rankFeatures.js';
import type { RankingParams } from './rankingParams.js';
import { cosines, nameCosines, type SemanticList, semanticList } from './semanticRetriever.js';
import { symbolList } from './symbolRetriever.js';
import type { SearchDeps } from './types.js';

/** Every candidate the mode's retrievers found, with what each retriever said of it. */
export interface Candidates {
  /** Fused ranks by chunk id, in first-seen order. */
  fused: Map<number, FusedCandidate>;
  /** The candidates' chunks, in the order of `fused`. */
  chunks: IndexedChunk[];
  evidence: RetrieverEvidence;
  semantic?: SemanticList;
}

export interface CandidateOptions {
  mode: Exclude<SearchMode, 'regex'>;
  /** Each retriever's usual list length is multiplied by this (post-filters and pages of files need more). */
  overfetch: number;
  /** Also the query's cosine with every candidate that has a vector (the learned ranker's feature). */
  forRanker: boolean;
}

/**
 * Runs the mode's retrievers (lexical, symbol, semantic) over what each is asked, fuses their ranks, and loads
 * the candidates. The one place the engine and the ranker's training gather candidates, so both see the same ones.
 */
export async function gatherCandidates(
  deps: SearchDeps,
  asked: RetrieverQueries & { evidence: IssueEvidence | null },
  filter: IndexFilter,
  params: RankingParams,
  options: CandidateOptions,
): Promise<Candidates> {
  const { mode, overfetch } = options;
  // The retrievers are independent: on PostgreSQL their round trips overlap (one pooled connection each).
  const [lexical, symbol, semantic] = await Promise.all([
    mode === 'hybrid' || mode === 'lexical'
      ? lexicalList(deps.store, asked.lexical, filter, params, params.candidates.lexical * overfetch)
      : undefined,
    mode === 'hybrid' || mode === 'symbol'
      ? symbolList(deps.store, asked.symbol, filter, params, params.candidates.symbol * overfetch)
      : undefined,
    mode === 'hybrid' || mode === 'semantic'
      ? semanticCandidates(deps, asked.semantic, filter, mode, params.candidates.semantic * overfetch)
      : undefined,
  ]);
  const list = semantic?.list;
  const lists: Partial<Record<RetrieverKind, number[]>> = {};
  if (lexical) lists.lexical = lexical.map((r) => r.chunkId);
  if (symbol) lists.symbol = symbol.map((r) => r.chunkId);
  if (list) lists.semantic = list.ids;
  const fused = fuseRanks(lists);
  const ids = [...fused.keys()];
  const [chunks, cosine] = await Promise.all([
    ids.length > 0 ? deps.store.index.chunks(ids) : [],
    options.forRanker && list && ids.length > 0 ? cosines(deps.store, list, ids) : undefined,
  ]);
  // Only where embedding costs microseconds: a remote model would take a request per query for the names.
  const nameCosine = options.forRanker && list && semantic?.embedder.cheap ? await nameCosines(semantic.embedder, list, chunks) : undefined;
  return { fused, chunks, evidence: { lexical, symbol, semantic: list?.ids, cosine, nameCosine }, semantic: list };
}

/** The semantic list, or undefined when hybrid search runs without embeddings (semantic mode then refuses). */
async function semanticCandidates(
  deps: SearchDeps,
  query: string,
  filter: IndexFilter,
  mode: SearchMode,
  count: number,
): Promise<{ list: SemanticList; embedder: Embedder } | undefined> {
  let embedder: Embedder | null = null;
  try {
    embedder = deps.embedder ? await deps.embedder() : null;
  } catch (error) {
    if (mode === 'semantic') throw error;
  }
  if (!embedder && mode === 'semantic') {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Semantic search needs embeddings, and GITLORE_EMBEDDINGS is none.', {
      hint: 'Set GITLORE_EMBEDDINGS=local (the default) and run `gitlore index`, or use --mode lexical.',
    });
  }
  const list = embedder ? await semanticList(deps.store, embedder, query, filter, count) : null;
  return list && embedder ? { list, embedder } : undefined;
}
