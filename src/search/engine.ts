import { isIdentifierLike } from '../shared/codeTokens.js';
import type { SearchMode } from '../shared/searchLimits.js';
import type { IndexedChunk, IndexFilter, Store } from '../store/index.js';
import { gatherCandidates } from './candidates.js';
import { type FusedCandidate, rrfMaxScore, rrfScore } from './fusion.js';
import { chunkHit, withChunks } from './hits.js';
import { extractedQuery, retrieverQueries } from './issueText.js';
import { modelFits, type RankerModel, type RankerTree, rankerScore, treeScore } from './learnedRanker.js';
import { pathMatcher } from './pathMatch.js';
import { applyPriors, type QueryWants, queryWants, refersElsewhere } from './priors.js';
import { clampLimit, languagesFor, validateQuery } from './query.js';
import { type QueryShape, queryShape, type RetrieverEvidence, rankFeatures } from './rankFeatures.js';
import { RANKING_PARAMS, type RankingParams } from './rankingParams.js';
import { regexSearch } from './regexRetriever.js';
import { IN_THREAD_SCANNER } from './regexScanner.js';
import { repositoryTrees } from './repositoryRanker/storedTrees.js';
import { candidateScale, selectHits } from './selectHits.js';
import type { SearchDeps, SearchHit, SearchOutcome, SearchRequest } from './types.js';

export {
  DEFAULT_SEARCH_MODE,
  MAX_QUERY_BYTES,
  MAX_TEXT_QUERY_BYTES,
  PER_FILE,
  SEARCH_GROUPS,
  SEARCH_LIMIT,
  SEARCH_MODES,
  type SearchGroup,
  type SearchMode,
} from '../shared/searchLimits.js';
export { hitUrl } from './hits.js';
export { languagesFor, queryByteLimit, validateLimit, validateMode, validateQuery, validateQueryText } from './query.js';
export { type HitRefinement, pathCondition, queryRegex, repoPatternTest, textCondition } from './queryMatch.js';
export { createRegexScanner, type RegexScanner } from './regexScanner.js';
export type { ExtractedQuery, SearchDeps, SearchHit, SearchOutcome, SearchRepo, SearchRequest } from './types.js';

/**
 * Runs one search over the index: query → retrievers (lexical, semantic, symbol; or regex alone)
 * → in hybrid mode the learned ranker over the candidates' features (rankFeatures.ts), else reciprocal rank
 * fusion with path priors → overlap removal → hits. See rankingParams.ts for every constant.
 */
export async function search(deps: SearchDeps, request: SearchRequest): Promise<SearchHit[]> {
  return (await searchWithOutcome(deps, request)).hits;
}

/** search, telling also whether the hits may be incomplete (a regex scan that ran out of its time budget). */
export async function searchWithOutcome(deps: SearchDeps, request: SearchRequest): Promise<SearchOutcome> {
  validateQuery(request.query, request.mode);
  const params = deps.params ?? RANKING_PARAMS;
  const filter: IndexFilter = {
    repoIds: request.repoIds,
    languages: request.languages ?? (request.language ? languagesFor(request.language) : undefined),
  };
  if (filter.repoIds?.length === 0 || filter.languages?.length === 0) return { hits: [], partialReason: null };
  const matchPath = bothPaths(pathMatcher(request.path), request.refine?.path ?? null);
  const matchText = request.refine?.text ?? null;
  const limit = clampLimit(request.limit);
  const repoById = new Map(request.repos.map((r) => [r.id, r]));
  if (request.mode === 'regex') {
    return regexSearch(deps.store, request.query, filter, matchPath, {
      limit,
      repos: repoById,
      scanner: deps.regexScanner ?? IN_THREAD_SCANNER,
      budgetMs: request.timeBudgetMs ?? Number.POSITIVE_INFINITY,
      signal: request.signal,
      matchText,
    });
  }

  // Path and text conditions run after retrieval, so each retriever is asked for more; so is a page of files.
  const overfetch = (matchPath || matchText ? 10 : 1) * candidateScale(limit, request.group, params.candidates.lexical);
  // A pasted text (an issue, a stack trace) gives each retriever what it can use of it (issueText.ts).
  const asked = retrieverQueries(request.query, request.text);
  const learned = request.mode === 'hybrid' && params.ranker && modelFits(params.ranker) ? params.ranker : null;
  const { fused, chunks, evidence } = await gatherCandidates(deps, asked, filter, params, {
    mode: request.mode,
    overfetch,
    forRanker: learned !== null,
  });
  if (fused.size === 0) return { hits: [], partialReason: null };
  const wants = queryWants(request.query);
  // Each repository's own trees (learned at index time from its documented code) on top of the fixed model.
  const trees =
    learned && params.repositoryTrees
      ? await repositoryTrees(
          deps.store,
          chunks.map((c) => c.repoId),
          learned,
        )
      : null;
  const scores = learned
    ? learnedScores(
        learned,
        trees,
        chunks,
        evidence,
        queryShape(shapeText(request.query, asked.lexical), wants, asked.evidence !== null),
        params,
      )
    : fusedScores(chunks, fused, request.query, request.mode, wants, params);
  const scored: { chunk: IndexedChunk; score: number }[] = [];
  chunks.forEach((chunk, i) => {
    if (!matchPath || matchPath(chunk.path)) scored.push({ chunk, score: scores[i]! });
  });
  scored.sort((a, b) => b.score - a.score);
  const kept = matchText ? await withText(deps.store, scored, matchText) : scored;
  const picked = selectHits(kept, { limit, group: request.group, perFile: request.perFile, evidence: asked.evidence });
  // One query for the snippets' files (PostgreSQL would otherwise take a round trip per hit).
  const contents = await deps.store.index.fileContents(picked.map(({ chunk }) => chunk.fileId));
  const hits = picked.map(({ chunk, score, chunks }) => {
    const content = contents.get(chunk.fileId) ?? '';
    return withChunks(chunkHit(content, chunk, score, repoById, params.snippetLines), chunks, content, params.snippetLines);
  });
  return { hits, partialReason: null, ...(asked.evidence ? { extracted: extractedQuery(asked) } : {}) };
}

/** What the ranker reads as the query's words: a pasted text's extracted terms (issueText.ts), else the query. */
function shapeText(query: string, lexical: string | readonly string[]): string {
  return typeof lexical === 'string' ? query : lexical.join(' ');
}

/**
 * Scores in (0, 1] from the learned ranker (src/search/learnedRanker.ts): exp of each candidate's score minus the
 * best over the model's temperature, so the first hit scores 1 and the rest say how far behind they are.
 */
function learnedScores(
  model: RankerModel,
  trees: Map<number, RankerTree[]> | null,
  chunks: IndexedChunk[],
  evidence: RetrieverEvidence,
  shape: QueryShape,
  params: RankingParams,
): number[] {
  const temperature = model.temperature ?? 1;
  // The model has no feature for it (training sentences rarely point elsewhere), so it is a prior on its scale.
  const otherPenalty = temperature * Math.log(params.priors.other);
  const raw = rankFeatures(chunks, evidence, shape).map((x, i) => {
    const chunk = chunks[i]!;
    const own = trees?.get(chunk.repoId);
    let s = rankerScore(model, x);
    if (own) for (const tree of own) s += treeScore(tree, x);
    if (refersElsewhere(chunk, shape.wants)) s += otherPenalty;
    return s;
  });
  const best = Math.max(...raw);
  return raw.map((s) => Math.exp((s - best) / temperature));
}

/** Scores in (0, 1] by reciprocal rank fusion with the path priors (single-retriever modes, or no ranker model). */
function fusedScores(
  chunks: IndexedChunk[],
  fused: Map<number, FusedCandidate>,
  query: string,
  mode: SearchMode,
  wants: QueryWants,
  params: RankingParams,
): number[] {
  const weights =
    mode === 'hybrid' ? (isIdentifierLike(query) ? params.identifierWeights : params.weights) : { lexical: 1, semantic: 1, symbol: 1 };
  const maxScore = rrfMaxScore(weights, params.rrfK);
  return chunks.map((chunk) => applyPriors(rrfScore(fused.get(chunk.id)!, weights, params.rrfK), chunk, wants, params.priors) / maxScore);
}

/** Both path tests (either may be absent), or null when there is none. */
function bothPaths(a: ((path: string) => boolean) | null, b: ((path: string) => boolean) | null): ((path: string) => boolean) | null {
  if (!a || !b) return a ?? b;
  return (path) => a(path) && b(path);
}

/** The candidates whose lines pass the text condition, in their order; each file read once. */
async function withText<T extends { chunk: IndexedChunk }>(store: Store, scored: T[], matchText: (text: string) => boolean): Promise<T[]> {
  const files = new Map<number, string[]>();
  const kept: T[] = [];
  for (const item of scored) {
    const { fileId, startLine, endLine } = item.chunk;
    let lines = files.get(fileId);
    if (!lines) {
      lines = ((await store.index.fileContent(fileId)) ?? '').split('\n');
      files.set(fileId, lines);
    }
    if (matchText(lines.slice(startLine - 1, endLine).join('\n'))) kept.push(item);
  }
  return kept;
}
