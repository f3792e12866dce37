import type { SourceConfig } from '../config/index.js';
import type { Logger } from '../shared/logger.js';

/** What a job asks for: every repository, one by name, or one extra source (POST /api/ingest) for one run. */
export type JobScope = { kind: 'all' } | { kind: 'repo'; name: string } | { kind: 'source'; label: string; sources: SourceConfig[] };
export type JobReason = 'startup' | 'interval' | 'api' | 'webhook' | 'ingest';
/** `dead`: failed on every attempt a worker gave it (dead-lettered); only the shared queue of PostgreSQL has it. */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'dead';

export interface JobInfo {
  id: number;
  scope: 'all' | string;
  reason: JobReason;
  state: JobState;
  phase: 'sync' | 'index' | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Where the running phase is: repositories done of total, and files of the current repository while indexing. */
  progress: JobProgress | null;
  /** Repositories the sync changed (cloned or updated), when it ran. */
  changed: string[] | null;
  error: string | null;
  /** Shared queue (PostgreSQL) only: what the job does, attempts so far and allowed, when a retry may start, who runs it. */
  kind?: string;
  attempts?: number;
  maxAttempts?: number;
  runAfter?: string;
  worker?: string | null;
}

export interface JobProgress {
  repo: string | null;
  reposDone: number;
  reposTotal: number | null;
  filesDone: number | null;
  filesTotal: number | null;
}

/** Progress events from the sync and index use cases (their `onEvent`), read loosely. */
export type JobEvent = { type: string } & Record<string, unknown>;

/** The work a job does; injected so the scheduler knows nothing of git or the index. */
export interface JobRunner {
  /** Syncs the named repositories (all when undefined); returns the names whose clone changed. */
  sync(
    names: string[] | undefined,
    signal: AbortSignal,
    sources?: SourceConfig[],
    onEvent?: (event: JobEvent) => void,
  ): Promise<{ changed: string[]; failed: string[]; errors?: string[] }>;
  /** Indexes the named repositories incrementally (all when undefined), history included. */
  index(names: string[] | undefined, signal: AbortSignal, onEvent?: (event: JobEvent) => void): Promise<void>;
}

export interface SchedulerOptions {
  runner: JobRunner;
  log: Logger;
  /** SKIP_CLONE: jobs skip the sync step (index what is on disk). */
  skipSync: boolean;
  /** SKIP_AUTO_INDEX: jobs stop after the sync. */
  skipIndex: boolean;
  /** GITLORE_SYNC_INTERVAL in seconds; 0 turns the periodic run off. */
  intervalSec: number;
  /** Called with every job state change (for logs, tests). */
  onJob?: (job: JobInfo) => void;
}

const HISTORY_SIZE = 50;

/**
 * Background sync + index jobs for `serve`. Jobs run one at a time, so one
 * repository is never synced or indexed by two jobs at once; a request for
 * work already queued (same repo, or everything) joins the queued job instead
 * of adding another. Queries keep reading the last complete index meanwhile:
 * the indexer commits per repository.
 */
export class JobScheduler {
  private readonly options: SchedulerOptions;
  private readonly queue: { info: JobInfo; scope: JobScope }[] = [];
  private readonly history: JobInfo[] = [];
  private current: { info: JobInfo; controller: AbortController; done: Promise<void> } | null = null;
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private pumping = false;

  constructor(options: SchedulerOptions) {
    this.options = options;
  }

  /** Queues the startup job and arms the interval. */
  start(): JobInfo {
    const job = this.enqueue({ kind: 'all' }, 'startup');
    if (this.options.intervalSec > 0) {
      this.timer = setInterval(() => this.enqueue({ kind: 'all' }, 'interval'), this.options.intervalSec * 1000);
      this.timer.unref();
    }
    return job;
  }

  /** Schedules a job unless an equal or wider one is already waiting; returns the job that will do the work. */
  enqueue(scope: JobScope, reason: JobReason): JobInfo {
    const waiting =
      scope.kind === 'source'
        ? undefined
        : this.queue.find(
            (q) => q.scope.kind === 'all' || (scope.kind === 'repo' && q.scope.kind === 'repo' && q.scope.name === scope.name),
          );
    if (waiting) return waiting.info;
    const info: JobInfo = {
      id: this.nextId++,
      scope: scope.kind === 'all' ? 'all' : scope.kind === 'repo' ? scope.name : scope.label,
      reason,
      state: this.stopped ? 'cancelled' : 'queued',
      phase: null,
      queuedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      progress: null,
      changed: null,
      error: null,
    };
    if (this.stopped) return info;
    // An ingest always runs (its sources differ); a request for everything replaces the single-repo jobs still waiting.
    if (scope.kind === 'all') {
      const superseded = this.queue.filter((q) => q.scope.kind === 'repo');
      this.queue.splice(0, this.queue.length, ...this.queue.filter((q) => q.scope.kind !== 'repo'));
      for (const q of superseded) this.finish(q.info, 'cancelled', 'superseded by a job for all repositories');
    }
    this.queue.push({ info, scope });
    this.options.onJob?.(info);
    queueMicrotask(() => void this.pump());
    return info;
  }

  status(): { running: JobInfo | null; queued: JobInfo[]; recent: JobInfo[]; intervalSec: number; stopped: boolean } {
    return {
      running: this.current ? { ...this.current.info } : null,
      queued: this.queue.map((q) => ({ ...q.info })),
      recent: this.history.slice(-10).reverse(),
      intervalSec: this.options.intervalSec,
      stopped: this.stopped,
    };
  }

  /** Resolves when nothing is running or queued (tests, `--once`). */
  async idle(): Promise<void> {
    while (this.current || this.queue.length > 0) {
      await (this.current?.done ?? new Promise((r) => setTimeout(r, 10)));
    }
  }

  /**
   * Stops taking work. With `abort` the running job is cancelled (the indexer
   * keeps the previous index of the repo it was on); otherwise it is awaited.
   */
  async stop(options: { abort?: boolean } = {}): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const q of this.queue.splice(0)) this.finish(q.info, 'cancelled', 'server shutting down');
    if (this.current) {
      if (options.abort) this.current.controller.abort();
      await this.current.done;
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.stopped && this.queue.length > 0) {
        const next = this.queue.shift() as { info: JobInfo; scope: JobScope };
        const controller = new AbortController();
        const done = this.run(next.info, next.scope, controller.signal);
        this.current = { info: next.info, controller, done };
        await done;
        this.current = null;
      }
    } finally {
      this.pumping = false;
    }
  }

  private async run(info: JobInfo, scope: JobScope, signal: AbortSignal): Promise<void> {
    info.state = 'running';
    info.startedAt = new Date().toISOString();
    this.options.onJob?.(info);
    try {
      await performJob(info, scope, { ...this.options, syncFailures: 'warn' }, signal, () => this.options.onJob?.(info));
      this.finish(info, signal.aborted ? 'cancelled' : 'done', null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (signal.aborted) this.finish(info, 'cancelled', message);
      else {
        this.options.log.error(`job ${info.id} (${info.scope}) failed`, { error: message });
        this.finish(info, 'failed', message);
      }
    }
  }

  private finish(info: JobInfo, state: JobState, error: string | null): void {
    info.state = state;
    info.error = error;
    info.finishedAt = new Date().toISOString();
    info.durationMs = info.startedAt ? Date.parse(info.finishedAt) - Date.parse(info.startedAt) : null;
    this.history.push(info);
    if (this.history.length > HISTORY_SIZE) this.history.shift();
    this.options.onJob?.(info);
  }
}

/** How a job syncs and indexes, wherever it runs (this scheduler, a `gitlore worker`). */
export interface JobWork {
  runner: JobRunner;
  log: Logger;
  skipSync: boolean;
  skipIndex: boolean;
  /** A repository that failed to sync: a warning (the job goes on), or the job's failure (a worker retries it). */
  syncFailures: 'warn' | 'fail';
}

/**
 * The sync and then the index of one job, recording its phase, progress and changes on `info` (`onPhase` is told
 * when the phase changes); throws when the job fails. The startup job indexes everything it synced (an earlier run may
 * have stopped mid-way); later jobs index only what the sync changed.
 */
export async function performJob(info: JobInfo, scope: JobScope, work: JobWork, signal: AbortSignal, onPhase?: () => void): Promise<void> {
  const { runner, log } = work;
  const names = scope.kind === 'repo' ? [scope.name] : undefined;
  const sources = scope.kind === 'source' ? scope.sources : undefined;
  // A source job exists only to clone that source; with SKIP_CLONE it would index nothing new and report done.
  if (sources && work.skipSync) throw new Error('SKIP_CLONE is set: this server clones nothing, so the source was not synced.');
  let toIndex: string[] | undefined = names;
  if (!work.skipSync) {
    info.phase = 'sync';
    info.progress = { repo: null, reposDone: 0, reposTotal: null, filesDone: null, filesTotal: null };
    const result = await runner.sync(names, signal, sources, (event) => trackProgress(info, event));
    info.changed = result.changed;
    toIndex = info.reason === 'startup' ? names : result.changed;
    if (result.failed.length > 0 && !signal.aborted) {
      const why = result.errors && result.errors.length > 0 ? `: ${result.errors.join('; ')}` : '';
      if (work.syncFailures === 'fail') throw new Error(`sync failed for ${result.failed.join(', ')}${why}`);
      log.warn('sync failed for some repositories', { repos: result.failed.join(',') });
    }
  }
  if (!work.skipIndex && (toIndex === undefined || toIndex.length > 0) && !signal.aborted) {
    info.phase = 'index';
    info.progress = { repo: null, reposDone: 0, reposTotal: toIndex?.length ?? null, filesDone: null, filesTotal: null };
    onPhase?.();
    await runner.index(toIndex, signal, (event) => trackProgress(info, event));
  }
}

/** Folds a sync or index event into the job's progress. */
export function trackProgress(info: JobInfo, event: JobEvent): void {
  const p = info.progress;
  if (!p) return;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  switch (event.type) {
    case 'start':
      p.reposTotal = num(event.total);
      break;
    case 'repo-start':
      p.repo = typeof event.name === 'string' ? event.name : typeof event.repo === 'string' ? event.repo : null;
      if (num(event.total) !== null) p.reposTotal = num(event.total);
      p.filesDone = null;
      p.filesTotal = null;
      break;
    case 'file':
      p.filesDone = num(event.done);
      p.filesTotal = num(event.total);
      break;
    case 'repo-done':
    case 'repo-failed':
      p.reposDone += 1;
      break;
  }
}
