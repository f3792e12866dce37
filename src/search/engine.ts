import picomatch from 'picomatch';
import { isDocLanguage, isExamplePath, isTestPath } from '../indexer/languages.js';
import { isIdentifierLike, queryTerms } from '../indexer/tokens.js';
import type { Embedder } from '../embeddings/embedder.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { IndexedChunk, IndexFilter, Store, VectorMatrix } from '../store/index.js';
import { RANKING_PARAMS, type RankingParams } from './rankingParams.js';
import { literalAlternatives } from './regexLiterals.js';
import { type LoadedVectorIndex, loadVectorIndex } from './vectorIndex.js';

export type SearchMode = 'hybrid' | 'lexical' | 'semantic' | 'symbol' | 'regex';
export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'lexical', 'semantic', 'symbol', 'regex'];

/** One result, as `gitlore search --json` prints it. */
export interface SearchHit {
  repo: string;
  path: string;
  startLine: number;
  endLine: number;
  language: string;
  symbol: string | null;
  kind: string;
  score: number;
  snippet: string;
  url: string | null;
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
  path?: string;
  mode: SearchMode;
  limit: number;
}

export interface SearchDeps {
  store: Store;
  /** Lazily created; null when embeddings are off. */
  embedder?: () => Promise<Embedder | null>;
  params?: RankingParams;
  /** Folder of the approximate-nearest-neighbour graphs (see vectorIndex.ts); exact vector search when absent. */
  vectorIndexPath?: string;
}

interface Candidate {
  chunkId: number;
  /** Rank per retriever (0-based). */
  ranks: Partial<Record<'lexical' | 'semantic' | 'symbol', number>>;
  symbolScore?: number;
}

export const MAX_QUERY_BYTES = 10 * 1024;

const LANGUAGE_ALIASES: Record<string, string[]> = {
  ts: ['typescript', 'tsx'],
  typescript: ['typescript', 'tsx'],
  tsx: ['tsx'],
  js: ['javascript'],
  javascript: ['javascript'],
  jsx: ['javascript'],
  py: ['python'],
  python: ['python'],
  go: ['go'],
  golang: ['go'],
  java: ['java'],
  rs: ['rust'],
  rust: ['rust'],
  rb: ['ruby'],
  ruby: ['ruby'],
  c: ['c'],
  'c++': ['cpp'],
  cpp: ['cpp'],
  cs: ['csharp'],
  'c#': ['csharp'],
  csharp: ['csharp'],
  php: ['php'],
  sh: ['bash'],
  bash: ['bash'],
  shell: ['bash'],
  md: ['markdown'],
  markdown: ['markdown'],
};

export function languagesFor(language: string): string[] {
  const key = language.trim().toLowerCase();
  return LANGUAGE_ALIASES[key] ?? [key];
}

/** Throws QUERY_INVALID for empty or oversized queries and invalid regexes. */
export function validateQuery(query: string, mode: SearchMode): void {
  if (typeof query !== 'string' || query.trim().length === 0) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, 'The search query is empty.', { hint: 'Pass some words, an identifier or a regex.' });
  }
  if (Buffer.byteLength(query) > MAX_QUERY_BYTES) {
    throw new GitloreError(
      ERROR_CODES.QUERY_INVALID,
      `The search query is ${Buffer.byteLength(query)} bytes; the limit is ${MAX_QUERY_BYTES}.`,
      {
        hint: 'Shorten the query to the words or identifier you are looking for.',
      },
    );
  }
  if (mode === 'regex') {
    try {
      new RegExp(query);
    } catch (error) {
      throw new GitloreError(
        ERROR_CODES.QUERY_INVALID,
        `Invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}.`,
        {
          hint: 'Use JavaScript regex syntax, and escape special characters such as ( [ { with a backslash.',
        },
      );
    }
  }
  if (!SEARCH_MODES.includes(mode)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Unknown search mode "${mode}".`, { hint: `Use one of ${SEARCH_MODES.join(', ')}.` });
  }
}

function pathMatcher(glob: string | undefined): ((path: string) => boolean) | null {
  if (!glob) return null;
  if (!/[*?[\]{}]/.test(glob)) {
    const prefix = glob.replace(/^\.\//, '');
    return (path) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || path.includes(prefix);
  }
  const isMatch = picomatch(glob, { dot: true });
  const base = picomatch(glob, { dot: true, basename: true });
  return (path) => isMatch(path) || (!glob.includes('/') && base(path));
}

/** Runs one search over the index; see rankingParams.ts for every constant. */
export async function search(deps: SearchDeps, request: SearchRequest): Promise<SearchHit[]> {
  validateQuery(request.query, request.mode);
  const params = deps.params ?? RANKING_PARAMS;
  const filter: IndexFilter = {
    repoIds: request.repoIds,
    languages: request.language ? languagesFor(request.language) : undefined,
  };
  const matchPath = pathMatcher(request.path);
  const limit = Math.max(1, Math.min(request.limit, 200));
  const repoById = new Map(request.repos.map((r) => [r.id, r]));
  if (request.mode === 'regex') return regexSearch(deps.store, request.query, filter, matchPath, limit, repoById);

  const overfetch = matchPath ? 10 : 1;
  const lists: { lexical?: number[]; semantic?: number[]; symbol?: { chunkId: number; score: number }[] } = {};
  const mode = request.mode;
  if (mode === 'hybrid' || mode === 'lexical') {
    lists.lexical = await lexicalList(deps.store, request.query, filter, params, params.candidates.lexical * overfetch);
  }
  if (mode === 'hybrid' || mode === 'symbol') {
    lists.symbol = await symbolList(deps.store, request.query, filter, params, params.candidates.symbol * overfetch);
  }
  if (mode === 'hybrid' || mode === 'semantic') {
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
    if (embedder) lists.semantic = await semanticList(deps, embedder, request.query, filter, params.candidates.semantic * overfetch);
  }

  const identifier = isIdentifierLike(request.query);
  const weights = mode === 'hybrid' ? (identifier ? params.identifierWeights : params.weights) : { lexical: 1, semantic: 1, symbol: 1 };
  const fused = new Map<number, Candidate>();
  const add = (kind: 'lexical' | 'semantic' | 'symbol', ids: number[]) => {
    ids.forEach((id, rank) => {
      const c = fused.get(id) ?? { chunkId: id, ranks: {} };
      if (c.ranks[kind] === undefined) c.ranks[kind] = rank;
      fused.set(id, c);
    });
  };
  if (lists.lexical) add('lexical', lists.lexical);
  if (lists.semantic) add('semantic', lists.semantic);
  if (lists.symbol)
    add(
      'symbol',
      lists.symbol.map((s) => s.chunkId),
    );
  if (fused.size === 0) return [];

  const chunks = await deps.store.index.chunks([...fused.keys()]);
  const wantsTests = /\b(tests?|spec|specs|testing|fixtures?|mocks?)\b/i.test(request.query);
  const wantsExamples = /\b(examples?|samples?|demo|benchmarks?)\b/i.test(request.query);
  const wantsDocs = /\b(docs?|documentation|readme|guide)\b/i.test(request.query);
  const maxScore = (weights.lexical + weights.semantic + weights.symbol) / (params.rrfK + 1);
  const scored: { chunk: IndexedChunk; score: number }[] = [];
  for (const chunk of chunks) {
    if (matchPath && !matchPath(chunk.path)) continue;
    const c = fused.get(chunk.id)!;
    let score = 0;
    for (const kind of ['lexical', 'semantic', 'symbol'] as const) {
      const rank = c.ranks[kind];
      if (rank !== undefined) score += weights[kind] / (params.rrfK + rank + 1);
    }
    if (!wantsTests && isTestPath(chunk.path)) score *= params.priors.test;
    if (!wantsExamples && isExamplePath(chunk.path)) score *= params.priors.example;
    if (!wantsDocs && isDocLanguage(chunk.language)) score *= params.priors.docs;
    scored.push({ chunk, score: score / maxScore });
  }
  scored.sort((a, b) => b.score - a.score);
  const picked = dedupeOverlaps(scored).slice(0, limit);
  return Promise.all(picked.map(({ chunk, score }) => toHit(deps.store, chunk, score, repoById)));
}

/** Keeps the best of overlapping results in the same file (windows of one long function). */
function dedupeOverlaps<T extends { chunk: IndexedChunk }>(items: T[]): T[] {
  const kept: T[] = [];
  for (const item of items) {
    const overlaps = kept.some(
      (k) => k.chunk.fileId === item.chunk.fileId && k.chunk.startLine <= item.chunk.endLine && item.chunk.startLine <= k.chunk.endLine,
    );
    if (!overlaps) kept.push(item);
  }
  return kept;
}

async function lexicalList(store: Store, query: string, filter: IndexFilter, params: RankingParams, limit: number): Promise<number[]> {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const match = terms.map((t) => `"${t.replaceAll('"', '')}"`).join(' OR ');
  const rows = await store.index.lexical(match, filter, params.bm25, limit);
  return rows.map((r) => r.chunkId);
}

/** Identifiers in a query: whole words like fooBar / foo_bar / Foo.bar, lower-cased. */
function queryIdentifiers(query: string): { whole: string[]; qualified: string[]; identifierish: string[] } {
  const words = query.match(/[A-Za-z_$][\w$]*(?:(?:\.|::|#|->)[A-Za-z_$][\w$]*)*/g) ?? [];
  const qualified = words.filter((w) => /\.|::|#|->/.test(w)).map((w) => w.replace(/::|#|->/g, '.').toLowerCase());
  const whole = new Set<string>();
  for (const w of words) {
    const parts = w.split(/\.|::|#|->/);
    const last = parts[parts.length - 1];
    if (last) whole.add(last.toLowerCase());
  }
  const identifierish = words
    .filter((w) => /[a-z][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]|\.|::|#|->|^[A-Z]{2,}[a-z]/.test(w))
    .map((w) => (w.split(/\.|::|#|->/).pop() ?? w).toLowerCase());
  return { whole: [...whole].filter((w) => w.length >= 2), qualified, identifierish: [...new Set(identifierish)] };
}

async function symbolList(
  store: Store,
  query: string,
  filter: IndexFilter,
  params: RankingParams,
  limit: number,
): Promise<{ chunkId: number; score: number }[]> {
  const ids = queryIdentifiers(query);
  const identifier = isIdentifierLike(query);
  // Prose: only words written like identifiers (getUser, user_id, Foo.bar) count; plain English
  // words matching symbol names ("request", "header") are noise that drowns the lexical ranking.
  const names = identifier ? ids.whole : ids.identifierish;
  const exact = await store.index.symbols({ names, qualified: ids.qualified }, filter, limit * 4);
  const prefix = identifier && ids.whole.length > 0 ? await store.index.symbols({ names: ids.whole, prefix: true }, filter, limit * 2) : [];
  const wholeSet = new Set(ids.whole);
  const qualifiedSet = new Set(ids.qualified);
  const scored = new Map<number, { sym: (typeof exact)[number]; score: number }>();
  for (const sym of [...exact, ...prefix]) {
    const lower = sym.name.toLowerCase();
    let score = params.symbolMatch.prefix;
    if (qualifiedSet.has(sym.qualified.toLowerCase())) score = params.symbolMatch.qualified;
    else if (identifier && wholeSet.has(lower)) score = params.symbolMatch.exactWhole;
    else if (lower === names.find((n) => n === lower)) score = params.symbolMatch.exactToken;
    if (isTestPath(sym.path)) score *= params.priors.test;
    const prev = scored.get(sym.id);
    if (!prev || prev.score < score) scored.set(sym.id, { sym, score });
  }
  const ranked = [...scored.values()].sort((a, b) => b.score - a.score || a.sym.path.length - b.sym.path.length).slice(0, limit);
  const out: { chunkId: number; score: number }[] = [];
  const seen = new Set<number>();
  const containing = await store.index.chunksAtLines(ranked.map(({ sym }) => ({ fileId: sym.fileId, line: sym.startLine })));
  for (const [i, { sym, score }] of ranked.entries()) {
    const chunks = containing[i]!;
    const best = chunks.find((c) => c.symbol === sym.qualified) ?? chunks[0];
    if (best && !seen.has(best.id)) {
      seen.add(best.id);
      out.push({ chunkId: best.id, score });
    }
  }
  return out;
}

async function semanticList(deps: SearchDeps, embedder: Embedder, query: string, filter: IndexFilter, limit: number): Promise<number[]> {
  const matrix = await deps.store.index.vectorMatrix(embedder.id);
  if (!matrix) return [];
  const [q] = await embedder.embed([query]);
  if (!q || q.length !== matrix.dims) return [];
  const languages = filter.languages ? new Set(filter.languages) : null;
  const k = languages ? limit * 5 : limit;
  const repoFilter = filter.repoIds && filter.repoIds.length > 0 ? filter.repoIds : null;
  const graph = deps.vectorIndexPath ? loadVectorIndex(matrix, deps.vectorIndexPath, embedder.id) : null;
  const topIds = nearestChunks(matrix, q, k, repoFilter, graph);
  if (!languages) return topIds;
  const chunks = await deps.store.index.chunks(topIds);
  return chunks
    .filter((c) => languages.has(c.language))
    .map((c) => c.id)
    .slice(0, limit);
}

/** The k chunk ids nearest to q (of these repos): through the HNSW graph when there is one that fits, else exact. */
export function nearestChunks(
  matrix: VectorMatrix,
  q: Float32Array,
  k: number,
  repoFilter: number[] | null,
  graph: LoadedVectorIndex | null,
): number[] {
  return (graph && approximateTopK(matrix, graph, q, k, repoFilter)) ?? exactTopK(matrix, q, k, repoFilter);
}

/**
 * Exact cosine (vectors are L2-normalised) with a bounded top-k. Rows are scored on their first
 * `head` dimensions, and the rest only when head score + |q_tail|·|row_tail| (Cauchy-Schwarz, an upper
 * bound of the full dot product) can still enter the top-k: the same results as a full scan, with
 * most rows skipped, because learned dimensions come ordered by variance.
 */
function exactTopK(matrix: VectorMatrix, q: Float32Array, k: number, repoFilter: number[] | null): number[] {
  return scoreRows(matrix, q, k, repoFilter ? rowsOfRepos(matrix, repoFilter) : null);
}

/** Below this share of all rows, a repo filter scans its rows exactly instead of oversampling the graph. */
const GRAPH_MIN_FILTER_SHARE = 0.1;
/** Graph candidates per wanted result (measured recall: bench/annBench.ts). */
const GRAPH_OVERSAMPLE = 4;

/**
 * Top-k from the HNSW graph: its candidates (oversampled for a repo filter) plus the rows it does not
 * hold yet, all scored exactly. Null when the filter is too narrow for the graph or the graph ran out
 * of allowed candidates; the caller then scans exactly.
 */
function approximateTopK(
  matrix: VectorMatrix,
  graph: LoadedVectorIndex,
  q: Float32Array,
  k: number,
  repoFilter: number[] | null,
): number[] | null {
  const n = matrix.chunkIds.length;
  const allowed = repoFilter ? new Set(repoFilter) : null;
  const share = repoFilter ? rowsOfRepos(matrix, repoFilter).length / n : 1;
  if (share < GRAPH_MIN_FILTER_SHARE) return null;
  const wanted = Math.ceil((k * GRAPH_OVERSAMPLE) / share);
  const ids = graph.search(q, wanted);
  const rows: number[] = [];
  for (const id of ids) {
    const row = rowOfChunk(matrix.chunkIds, id);
    if (row >= 0 && graph.covered[row] === 1 && (allowed === null || allowed.has(matrix.repoIds[row]!))) rows.push(row);
  }
  if (rows.length < k && ids.length >= wanted) return null;
  for (const row of graph.uncoveredRows) if (allowed === null || allowed.has(matrix.repoIds[row]!)) rows.push(row);
  // Ascending rows, as in the full scan: equal scores then keep the same order either way.
  return scoreRows(matrix, q, k, Int32Array.from(rows).sort());
}

function scoreRows(matrix: VectorMatrix, q: Float32Array, k: number, rows: Int32Array | null): number[] {
  const head = Math.min(matrix.dims, PRUNE_HEAD_DIMS);
  const { heads, tails } = pruneData(matrix, head);
  return scanTopK(matrix, heads, tails, head, q, k, rows);
}

/** Row of a chunk id in the matrix (ids ascend), or -1. */
function rowOfChunk(chunkIds: Int32Array, id: number): number {
  let lo = 0;
  let hi = chunkIds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = chunkIds[mid]!;
    if (value === id) return mid;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const repoRowsCache = new WeakMap<VectorMatrix, Map<number, Int32Array>>();

/** The matrix rows of these repos, ascending (rows grouped by repo once per loaded matrix). */
function rowsOfRepos(matrix: VectorMatrix, repoIds: number[]): Int32Array {
  let byRepo = repoRowsCache.get(matrix);
  if (!byRepo) {
    const lists = new Map<number, number[]>();
    matrix.repoIds.forEach((repoId, row) => {
      const list = lists.get(repoId);
      if (list) list.push(row);
      else lists.set(repoId, [row]);
    });
    byRepo = new Map([...lists].map(([repoId, list]) => [repoId, Int32Array.from(list)]));
    repoRowsCache.set(matrix, byRepo);
  }
  const parts = [...new Set(repoIds)].map((id) => byRepo.get(id) ?? new Int32Array(0));
  if (parts.length === 1) return parts[0]!;
  const out = new Int32Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out.sort();
}

/**
 * Top-k chunk ids by dot product over `rows` (every row when null). A sync function of its own: V8
 * optimizes the hot loop on its own.
 */
export function scanTopK(
  matrix: { dims: number; data: Float32Array; chunkIds: Int32Array },
  heads: Float32Array,
  tails: Float32Array,
  head: number,
  q: Float32Array,
  k: number,
  rows: Int32Array | null,
): number[] {
  const { dims, data, chunkIds } = matrix;
  const n = rows === null ? chunkIds.length : rows.length;
  let qTail = 0;
  for (let d = head; d < dims; d += 1) qTail += q[d]! * q[d]!;
  qTail = Math.sqrt(qTail);
  const topScores = new Float64Array(k + 1);
  const topRows = new Int32Array(k + 1);
  let size = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i += 1) {
    const row = rows === null ? i : rows[i]!;
    let dot = dotRange(heads, row * head, q, 0, head);
    if (head < dims) {
      if (dot + qTail * tails[row]! + 1e-6 <= threshold) continue;
      dot += dotRange(data, row * dims, q, head, dims);
    }
    if (size < k || dot > threshold) {
      let slot = size;
      while (slot > 0 && topScores[slot - 1]! < dot) {
        topScores[slot] = topScores[slot - 1]!;
        topRows[slot] = topRows[slot - 1]!;
        slot -= 1;
      }
      topScores[slot] = dot;
      topRows[slot] = row;
      if (size < k) size += 1;
      if (size === k) threshold = topScores[k - 1]!;
    }
  }
  const ids: number[] = [];
  for (let i = 0; i < size; i += 1) ids.push(chunkIds[topRows[i]!]!);
  return ids;
}

/** Dimensions scored before the pruning test of the semantic scan. */
export const PRUNE_HEAD_DIMS = 32;
const pruneCache = new WeakMap<object, { head: number; heads: Float32Array; tails: Float32Array }>();

/**
 * Per loaded matrix, once: the first `head` dimensions of every row as their own dense matrix (the
 * scan is memory-bound, so the pruning pass reads a quarter of the bytes), and the L2 norm of the rest.
 */
export function pruneData(matrix: { dims: number; data: Float32Array; chunkIds: Int32Array }, head: number) {
  const cached = pruneCache.get(matrix);
  if (cached && cached.head === head) return cached;
  const { dims, data } = matrix;
  const n = matrix.chunkIds.length;
  const heads = new Float32Array(n * head);
  const tails = new Float32Array(n);
  for (let row = 0; row < n; row += 1) {
    heads.set(data.subarray(row * dims, row * dims + head), row * head);
    let sum = 0;
    for (let d = row * dims + head, end = row * dims + dims; d < end; d += 1) sum += data[d]! * data[d]!;
    tails[row] = Math.sqrt(sum);
  }
  const value = { head, heads, tails };
  pruneCache.set(matrix, value);
  return value;
}

/** Dot product of q[from..to) with the same range of the row at base; four accumulators (about 1.7x faster than the plain loop in V8). */
function dotRange(data: Float32Array, base: number, q: Float32Array, from: number, to: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  let d = from;
  for (; d + 3 < to; d += 4) {
    a += data[base + d]! * q[d]!;
    b += data[base + d + 1]! * q[d + 1]!;
    c += data[base + d + 2]! * q[d + 2]!;
    e += data[base + d + 3]! * q[d + 3]!;
  }
  for (; d < to; d += 1) a += data[base + d]! * q[d]!;
  return a + b + c + e;
}

async function toHit(store: Store, chunk: IndexedChunk, score: number, repos: Map<number, SearchRepo>): Promise<SearchHit> {
  const content = (await store.index.fileContent(chunk.fileId)) ?? '';
  const lines = content.split('\n');
  const snippet = lines
    .slice(chunk.startLine - 1, Math.min(chunk.endLine, chunk.startLine - 1 + RANKING_PARAMS.snippetLines))
    .join('\n')
    .slice(0, 1500);
  const repo = repos.get(chunk.repoId);
  return {
    repo: repo?.name ?? String(chunk.repoId),
    path: chunk.path,
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    language: chunk.language,
    symbol: chunk.symbol,
    kind: chunk.kind,
    score: Math.round(score * 1000) / 1000,
    snippet,
    url: hitUrl(repo, chunk.path, chunk.startLine, chunk.endLine),
  };
}

export function hitUrl(repo: SearchRepo | undefined, path: string, start: number, end: number): string | null {
  if (!repo?.htmlUrl || !repo.commit) return null;
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${repo.htmlUrl.replace(/\/$/, '')}/blob/${repo.commit}/${encoded}#L${start}-L${end}`;
}

async function regexSearch(
  store: Store,
  pattern: string,
  filter: IndexFilter,
  matchPath: ((path: string) => boolean) | null,
  limit: number,
  repos: Map<number, SearchRepo>,
): Promise<SearchHit[]> {
  const regex = new RegExp(pattern, 'gm');
  const literals = literalAlternatives(pattern);
  const hits: SearchHit[] = [];
  let afterId = 0;
  for (;;) {
    const files = await store.index.regexCandidates(literals, filter, afterId, 200);
    if (files.length === 0) break;
    for (const file of files) {
      afterId = file.id;
      if (matchPath && !matchPath(file.path)) continue;
      regex.lastIndex = 0;
      let lineStarts: number[] | null = null;
      let lastLine = -1;
      for (let m = regex.exec(file.content); m !== null; m = regex.exec(file.content)) {
        if (m[0].length === 0) regex.lastIndex += 1;
        lineStarts ??= computeLineStarts(file.content);
        const startLine = lineOf(lineStarts, m.index);
        const endLine = lineOf(lineStarts, m.index + Math.max(0, m[0].length - 1));
        if (startLine === lastLine) continue;
        lastLine = endLine;
        const lines = file.content.split('\n', endLine).slice(startLine - 1);
        const repo = repos.get(file.repoId);
        hits.push({
          repo: repo?.name ?? String(file.repoId),
          path: file.path,
          startLine,
          endLine,
          language: file.language,
          symbol: null,
          kind: 'match',
          score: 1,
          snippet: lines.join('\n').slice(0, 1500),
          url: hitUrl(repo, file.path, startLine, endLine),
        });
        if (hits.length >= limit) return hits;
      }
    }
  }
  return hits;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
