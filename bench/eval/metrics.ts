/** The metrics of /work/shared/eval/README.md, as pure functions over ranked results. */
import { isTestPath } from '../../src/shared/languages.js';
import type { LocalizationRow, QueryRow } from './dataset.js';

export interface RankedHit {
  path: string;
  startLine: number;
  endLine: number;
}

export const K = 10;

/** Distinct files in ranked order (first occurrence kept). */
export function distinctFiles(hits: readonly RankedHit[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const h of hits)
    if (!seen.has(h.path)) {
      seen.add(h.path);
      out.push(h.path);
    }
  return out;
}

export interface QueryScore {
  id: string;
  repo: string;
  lang: string;
  /** The gold symbol's kind (function, method, getter, class, type, …). */
  kind: string;
  mentionsSymbol: boolean;
  /** 1-based rank of the first function-level hit within the top K, or null. */
  rank: number | null;
  fileRank: number | null;
}

export function scoreQuery(row: QueryRow, hits: readonly RankedHit[]): QueryScore {
  const top = hits.slice(0, K);
  const idx = top.findIndex((h) => h.path === row.gold_path && h.startLine <= row.end_line && h.endLine >= row.start_line);
  const files = distinctFiles(top);
  const fileIdx = files.indexOf(row.gold_path);
  return {
    id: row.id,
    repo: row.repo,
    lang: row.lang,
    kind: row.kind,
    mentionsSymbol: row.mentions_symbol,
    rank: idx < 0 ? null : idx + 1,
    fileRank: fileIdx < 0 ? null : fileIdx + 1,
  };
}

export interface FunctionMetrics {
  n: number;
  mrr10: number;
  hit1: number;
  hit10: number;
  fileR1: number;
  fileR5: number;
  fileR10: number;
}

export function aggregate(scores: readonly QueryScore[]): FunctionMetrics {
  const n = scores.length;
  const mean = (f: (s: QueryScore) => number) => (n === 0 ? 0 : scores.reduce((a, s) => a + f(s), 0) / n);
  return {
    n,
    mrr10: mean((s) => (s.rank ? 1 / s.rank : 0)),
    hit1: mean((s) => (s.rank === 1 ? 1 : 0)),
    hit10: mean((s) => (s.rank ? 1 : 0)),
    fileR1: mean((s) => (s.fileRank !== null && s.fileRank <= 1 ? 1 : 0)),
    fileR5: mean((s) => (s.fileRank !== null && s.fileRank <= 5 ? 1 : 0)),
    fileR10: mean((s) => (s.fileRank !== null && s.fileRank <= 10 ? 1 : 0)),
  };
}

function macro(groups: FunctionMetrics[]): FunctionMetrics {
  const keys = ['mrr10', 'hit1', 'hit10', 'fileR1', 'fileR5', 'fileR10'] as const;
  const out = { n: groups.reduce((a, g) => a + g.n, 0) } as FunctionMetrics;
  for (const k of keys) out[k] = groups.reduce((a, g) => a + g[k], 0) / Math.max(1, groups.length);
  return out;
}

const groupBy = <T>(items: readonly T[], key: (t: T) => string) => {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return m;
};

export interface FunctionReport {
  micro: FunctionMetrics;
  macro: FunctionMetrics;
  noMention: FunctionMetrics;
  perRepo: Record<string, FunctionMetrics>;
  perLang: Record<string, FunctionMetrics>;
  perKind: Record<string, FunctionMetrics>;
}

export function functionReport(scores: readonly QueryScore[]): FunctionReport {
  const perRepo: Record<string, FunctionMetrics> = {};
  for (const [k, v] of groupBy(scores, (s) => s.repo)) perRepo[k] = aggregate(v);
  const perLang: Record<string, FunctionMetrics> = {};
  for (const [k, v] of groupBy(scores, (s) => s.lang)) perLang[k] = aggregate(v);
  const perKind: Record<string, FunctionMetrics> = {};
  for (const [k, v] of groupBy(scores, (s) => s.kind)) perKind[k] = aggregate(v);
  return {
    micro: aggregate(scores),
    macro: macro(Object.values(perRepo)),
    noMention: aggregate(scores.filter((s) => !s.mentionsSymbol)),
    perRepo,
    perLang,
    perKind,
  };
}

export interface LocalizationScore {
  id: string;
  recall: Record<1 | 5 | 10, number>;
  all: Record<1 | 5 | 10, number>;
  rr: number;
  /** Share of test files (isTestPath) among the top-10 distinct files; 0 when there is none. */
  testShare: number;
  /** The top-10 distinct files, kept so shares can be recomputed under another definition. */
  top10: string[];
}

export function scoreLocalization(row: LocalizationRow, hits: readonly RankedHit[]): LocalizationScore {
  const files = distinctFiles(hits);
  const gold = new Set(row.gold_files);
  const recall = {} as Record<1 | 5 | 10, number>;
  const all = {} as Record<1 | 5 | 10, number>;
  for (const k of [1, 5, 10] as const) {
    const found = files.slice(0, k).filter((f) => gold.has(f)).length;
    recall[k] = found / gold.size;
    all[k] = found === gold.size ? 1 : 0;
  }
  const first = files.slice(0, K).findIndex((f) => gold.has(f));
  const top10 = files.slice(0, K);
  const testShare = top10.length === 0 ? 0 : top10.filter((f) => isTestPath(f)).length / top10.length;
  return { id: row.instance_id, recall, all, rr: first < 0 ? 0 : 1 / (first + 1), testShare, top10 };
}

export interface LocalizationMetrics {
  n: number;
  r1: number;
  r5: number;
  r10: number;
  all1: number;
  all5: number;
  all10: number;
  mrr10: number;
  /** Mean share of test files among each instance's top-10 files (plain BM25 had 12.6% in issue 20). */
  testShare: number;
}

export function localizationReport(scores: readonly LocalizationScore[]): LocalizationMetrics {
  const n = scores.length;
  const mean = (f: (s: LocalizationScore) => number) => (n === 0 ? 0 : scores.reduce((a, s) => a + f(s), 0) / n);
  return {
    n,
    r1: mean((s) => s.recall[1]),
    r5: mean((s) => s.recall[5]),
    r10: mean((s) => s.recall[10]),
    all1: mean((s) => s.all[1]),
    all5: mean((s) => s.all[5]),
    all10: mean((s) => s.all[10]),
    mrr10: mean((s) => s.rr),
    testShare: mean((s) => s.testShare),
  };
}
