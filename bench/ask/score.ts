/**
 * Scores an answer of `gitlore ask` against the dev set, from what a user would read: the facts in
 * the answer text, and the citations gitlore checked and kept.
 *
 * - Hashes: a hex run of at least 7 characters in the answer that is a prefix of the gold hash
 *   (sets: exact when every gold hash is found and no other hash is named; precision and recall too).
 * - Authors: the mailmapped name, case-insensitive, as a phrase in the answer.
 * - Dates: the gold author date's day (YYYY-MM-DD) appears in the answer.
 * - Counts: the number before "commit(s)", else the only number in the answer; exact.
 * - Files (files_in_commit): paths in backticks or list items, as a set against the gold files.
 * - Citation precision (docstring questions): the fraction of kept file citations that overlap the gold
 *   function's range (the dev set's hit rule) and that contain it whole; hit: any cited range overlaps.
 */
import type { FileCitation } from '../../src/core/ask/citations.js';

export interface HistoryGold {
  qtype: string;
  answer: Record<string, unknown>;
}

export interface FactScore {
  /** The question's answer is right on every fact it is scored on. */
  exact: boolean;
  /** Each fact scored, by name (hash, author, date, count, hashes, files). */
  facts: Record<string, boolean>;
  /** For set answers. */
  precision?: number;
  recall?: number;
}

const HEX = /\b[0-9a-f]{7,40}\b/g;

function hashesIn(text: string): string[] {
  // All-digit prefixes are hashes too (7791653039…); dates and counts are shorter or hyphenated.
  return [...new Set(text.match(HEX) ?? [])];
}

const hashMatches = (named: string, gold: string) => gold.startsWith(named);

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mentions(text: string, phrase: string): boolean {
  return new RegExp(`(^|[^\\w])${escapeRegex(phrase)}($|[^\\w])`, 'i').test(text);
}

/** The count an answer states: the number before "commit(s)", else its only standalone number. */
export function statedCount(text: string): number | null {
  const before = /(\d[\d,]*)\s+(?:non-merge\s+)?commits?\b/i.exec(text)?.[1];
  if (before) return Number(before.replaceAll(',', ''));
  const numbers = text.replace(HEX, ' ').match(/(?<![\w.:/-])\d+(?![\w.:/-])/g) ?? [];
  return numbers.length === 1 ? Number(numbers[0]) : null;
}

/** Paths an answer lists: in backticks, or as list items. */
export function listedPaths(text: string): string[] {
  const ticked = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] ?? '');
  const items = [...text.matchAll(/^\s*[-*]\s+`?([^`\s]+)`?\s*$/gm)].map((m) => m[1] ?? '');
  return [...new Set([...ticked, ...items])];
}

function setScore(named: string[], gold: string[], same: (n: string, g: string) => boolean) {
  const found = gold.filter((g) => named.some((n) => same(n, g)));
  const right = named.filter((n) => gold.some((g) => same(n, g)));
  const precision = named.length ? right.length / named.length : gold.length === 0 ? 1 : 0;
  const recall = gold.length ? found.length / gold.length : 1;
  return { exact: found.length === gold.length && right.length === named.length, precision, recall };
}

export function scoreHistory(gold: HistoryGold, answer: string): FactScore {
  const a = gold.answer;
  const facts: Record<string, boolean> = {};
  const named = hashesIn(answer);
  const hash = () => named.some((h) => hashMatches(h, String(a.hash)));
  switch (gold.qtype) {
    case 'first_commit':
      facts.hash = hash();
      facts.date = answer.includes(String(a.date).slice(0, 10));
      break;
    case 'last_author':
      facts.hash = hash();
      facts.author = mentions(answer, String(a.author));
      break;
    case 'file_added':
      facts.hash = hash();
      break;
    case 'top_author_dir':
      facts.author = mentions(answer, String(a.author));
      break;
    case 'commit_count':
      facts.count = statedCount(answer) === Number(a.count);
      break;
    case 'commits_in_month': {
      const s = setScore(named, a.hashes as string[], hashMatches);
      facts.hashes = s.exact;
      return { exact: s.exact, facts, precision: s.precision, recall: s.recall };
    }
    case 'files_in_commit': {
      const s = setScore(listedPaths(answer), a.files as string[], (n, g) => n === g);
      facts.files = s.exact;
      return { exact: s.exact, facts, precision: s.precision, recall: s.recall };
    }
  }
  return { exact: Object.values(facts).length > 0 && Object.values(facts).every(Boolean), facts };
}

export interface DocGold {
  repo: string;
  path: string;
  startLine: number;
  endLine: number;
}

export interface CitationScore {
  cited: number;
  /** Kept citations overlapping the gold range / all kept citations (null when none were kept). */
  precisionOverlap: number | null;
  /** Kept citations containing the whole gold range / all kept citations. */
  precisionContain: number | null;
  /** Any kept citation overlaps the gold range. */
  hit: boolean;
}

export function scoreCitations(gold: DocGold, citations: FileCitation[]): CitationScore {
  const same = citations.filter((c) => c.repo === gold.repo && c.path === gold.path);
  const overlap = same.filter((c) => c.startLine <= gold.endLine && c.endLine >= gold.startLine).length;
  const contain = same.filter((c) => c.startLine <= gold.startLine && c.endLine >= gold.endLine).length;
  const n = citations.length;
  return {
    cited: n,
    precisionOverlap: n ? overlap / n : null,
    precisionContain: n ? contain / n : null,
    hit: overlap > 0,
  };
}
