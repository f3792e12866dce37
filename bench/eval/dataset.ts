/** Reads the evaluation set (/work/shared/eval or EVAL_DATA_DIR) and knows where prepared trees live. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const EVAL_DATA_DIR = resolve(process.env.EVAL_DATA_DIR ?? '/work/shared/eval');
/** Clones, stripped trees, worktrees and caches: gitignored. */
export const EVAL_WORK_DIR = resolve(process.env.EVAL_WORK_DIR ?? join(import.meta.dirname, '../../.eval'));

export interface RepoRow {
  name: string;
  upstream: string;
  commit: string;
  language: string;
  used_for: string;
}
export interface QueryRow {
  id: string;
  repo: string;
  query: string;
  gold_path: string;
  gold_symbol: string;
  start_line: number;
  end_line: number;
  lang: string;
  kind: string;
  mentions_symbol: boolean;
}
export interface StripRow {
  id: string;
  repo: string;
  gold_path: string;
  delete: [number, number, number][];
}
export interface LocalizationRow {
  repo: string;
  instance_id: string;
  base_commit: string;
  problem_statement: string;
  gold_files: string[];
}

/** A git-history question (history.jsonl): the answer was computed with git at `head`. */
export interface HistoryRow {
  id: string;
  repo: string;
  head: string;
  qtype: string;
  question: string;
  answer: Record<string, unknown>;
}

function jsonl<T>(file: string): T[] {
  return readFileSync(join(EVAL_DATA_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export const loadRepos = (): RepoRow[] => JSON.parse(readFileSync(join(EVAL_DATA_DIR, 'repos.json'), 'utf8'));
export const loadQueries = (): QueryRow[] => jsonl<QueryRow>('queries.jsonl');
export const loadStrips = (): StripRow[] => jsonl<StripRow>('strip_spans.jsonl');
export const loadLocalization = (): LocalizationRow[] => jsonl<LocalizationRow>('localization.jsonl');
export const loadHistory = (): HistoryRow[] => jsonl<HistoryRow>('history.jsonl');

/** `koajs/koa` → `koa` (the name in repos.json). */
export function repoName(upstream: string): string {
  const row = loadRepos().find((r) => r.upstream === upstream);
  if (!row) throw new Error(`unknown repo ${upstream}`);
  return row.name;
}

export type Variant = 'with-docs' | 'stripped';
export const treeDir = (variant: Variant, name: string) => join(EVAL_WORK_DIR, variant === 'stripped' ? 'stripped' : 'repos', name);
export const locDir = (instanceId: string) => join(EVAL_WORK_DIR, 'loc', instanceId);
