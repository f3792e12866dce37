import type { RepoRecord } from '../store/index.js';

export type RepoSyncStatus = 'cloned' | 'updated' | 'unchanged' | 'failed' | 'gone' | 'pruned';

export interface RepoSyncResult {
  name: string;
  status: RepoSyncStatus;
  headCommit: string | null;
  durationMs: number;
  error?: string;
}

export interface SyncTotals {
  total: number;
  cloned: number;
  updated: number;
  unchanged: number;
  failed: number;
  gone: number;
  pruned: number;
}

export interface SyncReport {
  repos: RepoSyncResult[];
  totals: SyncTotals;
  durationMs: number;
  /** Repositories the configured sources listed (after filters); null when sources were not listed. */
  discovered: number | null;
}

export type SyncEvent =
  | { type: 'discovered'; repos: number; filtered: number }
  | { type: 'start'; total: number }
  | { type: 'repo-start'; name: string }
  /** git's transfer progress for one repository (clone or fetch): `Receiving objects` 45% (9/20). */
  | { type: 'repo-progress'; name: string; phase: string; percent: number | null; done: number | null; total: number | null }
  | { type: 'repo-done'; result: RepoSyncResult }
  | { type: 'warning'; message: string }
  | { type: 'done'; report: SyncReport };

export function totalsOf(results: RepoSyncResult[]): SyncTotals {
  const totals: SyncTotals = { total: results.length, cloned: 0, updated: 0, unchanged: 0, failed: 0, gone: 0, pruned: 0 };
  for (const r of results) totals[r.status] += 1;
  return totals;
}

export type { RepoRecord };
