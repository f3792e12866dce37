/**
 * The last step of a ranked search: from the scored candidates (best first) to the page of results. Lifts the files
 * and functions a pasted text names, keeps the best of overlapping windows, then either groups by file or lets each
 * file show only a few chunks before the others' next ones.
 */
import { FILE_GROUP_CHUNKS, PER_FILE, type SearchGroup } from '../shared/searchLimits.js';
import { dedupeOverlaps } from './fusion.js';
import { evidenceBoost, ISSUE_TEXT_PARAMS, type IssueEvidence } from './issueText.js';

interface ChunkLike {
  fileId: number;
  path: string;
  symbol: string | null;
  startLine: number;
  endLine: number;
}

export interface Scored<C extends ChunkLike> {
  chunk: C;
  score: number;
}

/** One result: a chunk, and with grouping by file the file's best few chunks (this one first). */
export interface Selected<C extends ChunkLike> extends Scored<C> {
  chunks?: Scored<C>[];
}

export interface SelectOptions {
  limit: number;
  group?: SearchGroup;
  /**
   * Ungrouped: at most this many chunks of one file before the other files' next ones. Absent: past PER_FILE.default
   * chunks, each further one of a file ranks a little lower (SPREAD_DECAY).
   */
  perFile?: number;
  /** What a pasted text names (issueText.ts), or null. */
  evidence?: Pick<IssueEvidence, 'paths' | 'frames'> | null;
}

/**
 * Grouped by file, a file ranks by its best chunk plus this share of its next two chunks' scores: several good chunks
 * are some evidence that the file is the one. Dev set localization, hybrid (bench/README.md): 0.1 lifts R@10 0.877 →
 * 0.890 and MRR@10 0.687 → 0.696; 0.3 trades R@5 for R@1.
 */
export const FILE_SUPPORT = 0.1;

/** The results, best first: at most `limit` chunks, or `limit` files when grouped. */
export function selectHits<C extends ChunkLike>(scored: readonly Scored<C>[], options: SelectOptions): Selected<C>[] {
  const boosted = options.evidence ? boost(scored, options.evidence) : [...scored];
  const distinct = dedupeOverlaps(boosted);
  if (options.group === 'file') return byFile(distinct, options.limit);
  const spread = options.perFile === undefined ? spreadOverFiles(distinct, PER_FILE.default) : capPerFile(distinct, options.perFile);
  return spread.slice(0, options.limit);
}

/**
 * How many times its usual candidates each retriever fetches: a page of files, or of chunks spread over files,
 * needs more chunks than the page has rows.
 */
export function candidateScale(limit: number, group: SearchGroup | undefined, usual: number): number {
  const wanted = group === 'file' ? limit * FILE_GROUP_CHUNKS : limit * 2;
  return Math.max(1, Math.ceil(wanted / usual));
}

/** Scores lifted by what the text names, still in (0, 1], re-sorted (ties keep their order). */
function boost<C extends ChunkLike>(scored: readonly Scored<C>[], evidence: Pick<IssueEvidence, 'paths' | 'frames'>): Scored<C>[] {
  if (evidence.paths.length === 0 && evidence.frames.length === 0) return [...scored];
  const most = 1 + ISSUE_TEXT_PARAMS.boost.path + ISSUE_TEXT_PARAMS.boost.frameFunction;
  return scored
    .map((item) => ({ ...item, score: (item.score * (1 + evidenceBoost(item.chunk, evidence))) / most }))
    .sort((a, b) => b.score - a.score);
}

/**
 * Without an explicit per-file cap, each chunk of a file past its PER_FILE.default best ranks as if its score were
 * multiplied by this, once more for each further one: the first page spans more files without burying a function
 * that is the 4th hit of the right file. Dev set, function-level queries at limit 10 (bench/README.md), none / 0.95 /
 * 0.9: distinct files on the first page 3.36 / 3.73 / 4.05; stripped hybrid MRR@10 0.650 / 0.648 / 0.647 and Hit@10
 * 0.896 / 0.878 / 0.878; with-docs lexical Hit@10 1.000 / 1.000 / 0.993. A hard cap of 3 gives 5.5 files but Hit@10
 * 0.793 (earlier ranker).
 */
export const SPREAD_DECAY = 0.95;

/** Each file's chunks past its first `perFile` ranked lower by SPREAD_DECAY per further chunk (ties keep their order). */
export function spreadOverFiles<T extends Scored<ChunkLike>>(items: readonly T[], perFile: number, decay = SPREAD_DECAY): T[] {
  const shown = new Map<number, number>();
  const keyed = items.map((item, i) => {
    const n = shown.get(item.chunk.fileId) ?? 0;
    shown.set(item.chunk.fileId, n + 1);
    return { item, i, rank: n < perFile ? item.score : item.score * decay ** (n - perFile + 1) };
  });
  return keyed.sort((a, b) => b.rank - a.rank || a.i - b.i).map((k) => k.item);
}

/** Each file's first `perFile` chunks in their order, then the rest in theirs. */
export function capPerFile<T extends { chunk: { fileId: number } }>(items: readonly T[], perFile: number): T[] {
  const shown = new Map<number, number>();
  const first: T[] = [];
  const later: T[] = [];
  for (const item of items) {
    const n = shown.get(item.chunk.fileId) ?? 0;
    shown.set(item.chunk.fileId, n + 1);
    (n < perFile ? first : later).push(item);
  }
  return [...first, ...later];
}

/** One row per file, ranked by its best chunk (plus FILE_SUPPORT of the next ones), with its best few chunks. */
function byFile<C extends ChunkLike>(items: readonly Scored<C>[], limit: number): Selected<C>[] {
  const files = new Map<number, Scored<C>[]>();
  for (const item of items) {
    const list = files.get(item.chunk.fileId);
    if (list) list.push(item);
    else files.set(item.chunk.fileId, [item]);
  }
  const rows = [...files.values()].map((chunks) => {
    const [best, ...rest] = chunks as [Scored<C>, ...Scored<C>[]];
    const support = rest.slice(0, FILE_GROUP_CHUNKS - 1).reduce((sum, c) => sum + c.score, 0);
    return { ...best, rank: best.score + FILE_SUPPORT * support, chunks: chunks.slice(0, FILE_GROUP_CHUNKS) };
  });
  rows.sort((a, b) => b.rank - a.rank);
  return rows.slice(0, limit).map(({ chunk, score, chunks }) => ({ chunk, score, chunks }));
}
