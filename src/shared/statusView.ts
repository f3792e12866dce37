/**
 * Words for sync, index and job state, shared by the server-rendered status and overview pages and the status
 * page's script (plain functions, no Node or DOM), so a refreshed table reads like the first one.
 */

export type Tone = 'ok' | 'busy' | 'warn' | 'error' | 'idle';

export interface StateView {
  label: string;
  tone: Tone;
}

/** `2024-01-01 12:00 UTC`, or `never`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 850 ms, 12.3 s, 4 min 05 s. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A repository's sync state: ok, failed, never (not synced yet), syncing, skipped (SKIP_CLONE), gone upstream. */
export function syncView(repo: { syncStatus: string; lastSyncAt: string | null }): StateView {
  switch (repo.syncStatus) {
    case 'ok':
      return { label: 'ok', tone: 'ok' };
    case 'failed':
      return { label: 'failed', tone: 'error' };
    case 'syncing':
      return { label: 'syncing', tone: 'busy' };
    case 'skipped':
      return { label: 'skipped', tone: 'idle' };
    case 'gone':
      return { label: 'gone upstream', tone: 'warn' };
    default:
      return repo.lastSyncAt ? { label: repo.syncStatus, tone: 'idle' } : { label: 'never', tone: 'idle' };
  }
}

/** The index state of a repository as GET /api/index/status gives it. */
export interface IndexViewInput {
  status: string;
  commit: string | null;
  headCommit: string | null;
  upToDate: boolean;
}

/** up to date, stale (the clone moved past the indexed commit), indexing, failed, not indexed. */
export function indexView(index: IndexViewInput | null | undefined): StateView {
  if (!index || index.status === 'not indexed') return { label: 'not indexed', tone: 'idle' };
  if (index.status === 'failed') return { label: 'failed', tone: 'error' };
  if (index.status === 'indexing' || index.status === 'pending') return { label: 'indexing', tone: 'busy' };
  if (index.status === 'cancelled') return { label: 'cancelled', tone: 'warn' };
  if (index.upToDate) return { label: 'up to date', tone: 'ok' };
  return { label: index.commit ? 'stale' : 'not indexed', tone: 'warn' };
}

/** A background job as GET /api/sync/status lists it. */
export interface JobViewInput {
  id: number;
  scope: string;
  reason: string;
  state: string;
  phase: string | null;
  progress: {
    repo: string | null;
    reposDone: number;
    reposTotal: number | null;
    filesDone: number | null;
    filesTotal: number | null;
  } | null;
  error: string | null;
  /** Shared queue (PostgreSQL) only: `repo`, `resync`, `source`, `permissions`. */
  kind?: string;
}

/** `sync all repositories`, `sync widgets`, `ingest github:org/acme`. */
export function jobTitle(job: Pick<JobViewInput, 'scope' | 'reason' | 'kind'>): string {
  if (job.kind === 'permissions') return 'sync GitHub permissions';
  if (job.scope === 'all') return job.kind === 'resync' ? 'list sources and queue every repository' : 'sync all repositories';
  return job.reason === 'ingest' ? `ingest ${job.scope}` : `sync ${job.scope}`;
}

export const REASONS: Record<string, string> = {
  startup: 'at startup',
  interval: 'periodic',
  api: 'requested',
  webhook: 'webhook',
  ingest: 'requested',
};

/** Where a running job is: `indexing widgets · 1 of 3 repositories · 120 of 400 files`. */
export function jobProgress(job: Pick<JobViewInput, 'state' | 'phase' | 'progress'>): string {
  if (job.state !== 'running') return job.state;
  const parts: string[] = [job.phase === 'index' ? 'indexing' : 'syncing'];
  const p = job.progress;
  if (p?.repo) parts[0] = `${parts[0]} ${p.repo}`;
  if (p?.reposTotal) parts.push(`${p.reposDone} of ${p.reposTotal} repositories`);
  if (p?.filesTotal) parts.push(`${p.filesDone ?? 0} of ${p.filesTotal} files`);
  return parts.join(' · ');
}

export function jobStateTone(state: string): Tone {
  return state === 'done' ? 'ok' : state === 'failed' || state === 'dead' ? 'error' : state === 'cancelled' ? 'warn' : 'busy';
}
