/**
 * How search hits are shown, as pure functions shared by the server-rendered page and the
 * search-as-you-type island (web/src/search.ts), so both draw the same groups and marks.
 */
import { SEARCH_LIMIT } from './searchLimits.js';

export interface ViewHit {
  repo: string;
  path: string;
  startLine: number;
  endLine: number;
  language: string;
  symbol: string | null;
  kind: string;
  snippet: string;
  /** The last commit that changed the hit's lines, when the search had it in time. */
  lastChange?: ViewLastChange;
  score?: number;
  /** Grouped by file (`group=file`): the file's best chunks, this hit's first. */
  chunks?: ViewChunk[];
}

/** A chunk listed under its file when results are grouped by file. */
export interface ViewChunk {
  startLine: number;
  endLine: number;
  symbol: string | null;
  snippet: string;
}

/** Grouped by file: chunks shown under a file before the rest fold away behind "N more in this file". */
export const OPEN_FILE_CHUNKS = 1;

/** A chunk's line above its snippet: the kind and symbol (the kind known for the file's best chunk only), and its lines. */
export function chunkMeta(hit: Pick<ViewHit, 'kind' | 'startLine' | 'endLine'>, chunk: ViewChunk): string {
  const best = chunk.startLine === hit.startLine && chunk.endLine === hit.endLine;
  const symbol = chunk.symbol ? `${best ? `${hit.kind} ` : ''}${chunk.symbol} · ` : '';
  return `${symbol}lines ${chunk.startLine}–${chunk.endLine}`;
}

/** A search answer's results as the web shows them: grouped by file (one row per file) when the server grouped them. */
export function isFileGrouped(results: readonly ViewHit[]): boolean {
  return results.length > 0 && results.every((hit) => hit.chunks !== undefined);
}

/** The line above the results: how many, in how many files, how long it took. */
export function summaryText(answer: {
  tookMs: number;
  results: readonly ViewHit[];
  commits?: readonly unknown[];
  diffs?: readonly unknown[];
  partialReason?: string;
}): string {
  const commits = answer.commits ?? answer.diffs;
  if (commits) return `${commits.length} ${commits.length === 1 ? 'commit' : 'commits'} · ${answer.tookMs} ms`;
  const partial = answer.partialReason ? ` (partial: ${answer.partialReason})` : '';
  const files = groupHits(answer.results).length;
  const ofFiles = `${files} ${files === 1 ? 'file' : 'files'}`;
  if (isFileGrouped(answer.results)) return `${ofFiles}, best first · ${answer.tookMs} ms${partial}`;
  const n = answer.results.length;
  return `${n} ${n === 1 ? 'result' : 'results'} in ${ofFiles} · ${answer.tookMs} ms${partial}`;
}

/** What a hit shows of its last change. */
export interface ViewLastChange {
  hash: string;
  author: string;
  /** ISO 8601. */
  date: string;
  subject: string;
}

const AGE_UNITS: [string, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** `3 days ago`, `1 year ago`, `just now`: how long before `now` an ISO time was. */
export function relativeAge(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  for (const [unit, size] of AGE_UNITS) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

export interface HitGroup<H extends ViewHit = ViewHit> {
  repo: string;
  path: string;
  language: string;
  hits: H[];
}

/** A commit a `type:commit` search found, as the web app lists it. */
export interface ViewCommit {
  repo: string;
  hash: string;
  date: string;
  author: string;
  subject: string;
}

/** A `type:diff` answer: a commit and its matching changed lines. */
export interface ViewDiff extends ViewCommit {
  files: { path: string; lines: { kind: '+' | '-'; line: number; text: string }[] }[];
}

/** How the server read the query (`parsed` of the search answer): what to mark in snippets. */
export interface ViewParsed {
  mode: string;
  text: string;
}

/** The words to mark for an answer: what the server ranked by when it says, else the query as typed. */
export function answerTerms(answer: { query: string; parsed?: ViewParsed }, mode?: string): string[] {
  return answer.parsed ? markTerms(answer.parsed.text, answer.parsed.mode) : markTerms(answer.query, mode);
}

/** `/r/<repo>/commit/<hash>`: the commit view. */
export function commitViewHref(repo: string, hash: string): string {
  return `/r/${encodeURIComponent(repo)}/commit/${encodeURIComponent(hash)}`;
}

/** Context lines shown per hit. */
export const CONTEXT_LINES = 6;

/** Hits grouped by file, files in the order of their best hit, hits within a file in rank order (the best first). */
export function groupHits<H extends ViewHit>(hits: readonly H[]): HitGroup<H>[] {
  const groups = new Map<string, HitGroup<H>>();
  for (const hit of hits) {
    const key = `${hit.repo}\0${hit.path}`;
    let group = groups.get(key);
    if (!group) {
      group = { repo: hit.repo, path: hit.path, language: hit.language, hits: [] };
      groups.set(key, group);
    }
    group.hits.push(hit);
  }
  return [...groups.values()];
}

/**
 * The words to mark in snippets. For a regex only its literal runs of 3+ word characters: running
 * the user's pattern in a backtracking engine could hang (the server searches with RE2 for that reason).
 */
export function markTerms(query: string, mode?: string): string[] {
  const words =
    mode === 'regex'
      ? (query.replace(/\\./g, ' ').match(/[A-Za-z0-9_]{3,}/g) ?? [])
      : (query.match(/[\p{L}\p{N}_$]+/gu) ?? []).filter((w) => w.length >= 2);
  const unique = [...new Set(words.map((w) => w.toLowerCase()))];
  return unique.sort((a, b) => b.length - a.length).slice(0, 20);
}

/** Non-overlapping [start, end) ranges of `terms` in `line`, case-insensitive, left to right. */
export function markRanges(line: string, terms: readonly string[]): [number, number][] {
  if (terms.length === 0 || line.length === 0) return [];
  const lower = line.toLowerCase();
  const found: [number, number][] = [];
  for (const term of terms) {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) found.push([at, at + term.length]);
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const ranges: [number, number][] = [];
  for (const range of found) {
    const last = ranges[ranges.length - 1];
    if (last && range[0] < last[1]) continue;
    ranges.push(range);
  }
  return ranges;
}

/** Splits a line into plain and marked pieces. */
export function markPieces(line: string, terms: readonly string[]): { text: string; marked: boolean }[] {
  const pieces: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const [start, end] of markRanges(line, terms)) {
    if (start > at) pieces.push({ text: line.slice(at, start), marked: false });
    pieces.push({ text: line.slice(start, end), marked: true });
    at = end;
  }
  if (at < line.length || pieces.length === 0) pieces.push({ text: line.slice(at), marked: false });
  return pieces;
}

/**
 * The snippet lines to show: up to CONTEXT_LINES, starting a line above the first marked line when
 * the snippet is longer, each with its 1-based line number.
 */
export function contextLines(hit: Pick<ViewHit, 'snippet' | 'startLine'>, terms: readonly string[]): { n: number; text: string }[] {
  const lines = hit.snippet.split('\n');
  let from = 0;
  if (lines.length > CONTEXT_LINES) {
    const first = lines.findIndex((l) => markRanges(l, terms).length > 0);
    from = Math.max(0, Math.min(first - 1, lines.length - CONTEXT_LINES));
  }
  return lines.slice(from, from + CONTEXT_LINES).map((text, i) => ({ n: hit.startLine + from + i, text }));
}

/** The web path of a file, each segment URL-encoded but the slashes kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `/r/<repo>/blob/<path>#L<a>-L<b>`: the file view at a range. */
export function blobHref(repo: string, path: string, startLine?: number, endLine?: number): string {
  const base = `/r/${encodeURIComponent(repo)}/blob/${encodePath(path)}`;
  if (!startLine) return base;
  return endLine && endLine !== startLine ? `${base}#L${startLine}-L${endLine}` : `${base}#L${startLine}`;
}

/** The query string of a search page URL, empty values left out. */
export function searchHref(params: {
  q?: string;
  repo?: string;
  lang?: string;
  path?: string;
  mode?: string;
  group?: string;
  limit?: string;
}): string {
  const qs = new URLSearchParams();
  for (const key of ['q', 'repo', 'lang', 'path', 'mode', 'group', 'limit'] as const) {
    const value = params[key]?.trim();
    if (value) qs.set(key, value);
  }
  const s = qs.toString();
  return s ? `/search?${s}` : '/';
}

/**
 * "Show more": the same search with SEARCH_LIMIT.default more results (files, when grouped), when the page was full
 * and the limit is not at its maximum; null otherwise.
 */
export function moreHref(params: Parameters<typeof searchHref>[0], shown: number, limit: number): string | null {
  if (shown < limit || limit >= SEARCH_LIMIT.max) return null;
  return searchHref({ ...params, limit: String(Math.min(limit + SEARCH_LIMIT.default, SEARCH_LIMIT.max)) });
}
