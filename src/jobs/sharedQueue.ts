import type { SourceConfig } from '../config/index.js';
import type { Logger } from '../shared/logger.js';
import type { JobList, JobRecord, JobStore, NewJob } from '../store/index.js';
import type { JobQueue, JobQueueStatus } from './jobQueue.js';
import type { JobInfo, JobProgress, JobReason, JobScope } from './scheduler.js';

/** What a job of the shared queue does; a `gitlore worker` has one handler per kind. */
export type SharedJobKind = 'repo' | 'resync' | 'source' | 'permissions';

/** Attempts a job gets before it is dead-lettered. */
export const MAX_ATTEMPTS = 4;

/** The job row for a request: one lane per repository, one for the resync of everything, one per ingest source. */
export function newJob(kind: SharedJobKind, scope: string, reason: JobReason, payload?: unknown): NewJob {
  const lane = kind === 'repo' ? `repo:${scope}` : kind === 'source' ? `source:${scope}` : kind;
  return { kind, scope, lane, reason, ...(payload !== undefined ? { payload } : {}), maxAttempts: MAX_ATTEMPTS };
}

/** A stored job as the status pages and the API show it. */
export function toJobInfo(job: JobRecord): JobInfo {
  const start = job.startedAt ? Date.parse(job.startedAt) : null;
  return {
    id: job.id,
    scope: job.scope,
    reason: job.reason as JobReason,
    state: job.state,
    phase: job.phase === 'sync' || job.phase === 'index' ? job.phase : null,
    queuedAt: job.queuedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    durationMs: start !== null && job.finishedAt ? Date.parse(job.finishedAt) - start : null,
    progress: (job.progress as JobProgress | null) ?? null,
    changed: job.changed,
    error: job.error,
    kind: job.kind,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAfter: job.runAfter,
    worker: job.worker,
  };
}

/** The queue's lists as JobQueueStatus (what `/api/sync/status`, `/status` and `gitlore status` show). */
export function queueStatus(list: JobList, intervalSec: number, stopped: boolean): JobQueueStatus {
  const running = list.running.map(toJobInfo);
  return {
    running: running[0] ?? null,
    runningJobs: running,
    queued: list.queued.map(toJobInfo),
    recent: list.recent.map(toJobInfo),
    intervalSec,
    stopped,
    backend: 'postgres',
  };
}

export interface SharedQueueOptions {
  store: JobStore;
  log: Logger;
  /** Resync everything every this many seconds; 0: never. */
  intervalSec: number;
  /** Mirror GitHub permissions every this many seconds once startPermissionSync is called. */
  permissionIntervalSec: number;
  /** Turns an ingest's sources into what its job carries (tokens sealed, never stored in the clear). */
  encodeSources(sources: SourceConfig[]): unknown;
  onJob?: (job: JobInfo) => void;
}

/**
 * The job queue of `serve` on a PostgreSQL store: it only queues (startup, interval, webhooks, the API) and reads the
 * queue for the status pages; `gitlore worker` processes run the jobs. Several servers may share one database: a
 * request joins the job of its lane already waiting, and an interval run is skipped when another server queued it
 * within the interval.
 */
export function createSharedJobQueue(options: SharedQueueOptions): JobQueue {
  const { store, log } = options;
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const add = async (job: NewJob): Promise<JobInfo> => {
    const result = await store.enqueue(job);
    if (!result) throw new Error(`the job queue refused a ${job.kind} job`);
    const info = toJobInfo(result.job);
    if (result.created) options.onJob?.(info);
    return info;
  };
  const every = (sec: number, job: () => NewJob) => {
    const run = () =>
      void add({ ...job(), unlessQueuedWithinMs: sec * 900 }).catch((error) =>
        log.warn(`could not queue the ${job().kind} job`, { error: (error as Error).message }),
      );
    const timer = setInterval(run, sec * 1000);
    timer.unref();
    timers.push(timer);
    return run;
  };

  const queue: JobQueue = {
    async start() {
      if (options.intervalSec > 0) every(options.intervalSec, () => newJob('resync', 'all', 'interval'));
      // Servers started together (a rolling deploy) ask for one startup resync between them.
      return add({ ...newJob('resync', 'all', 'startup'), unlessQueuedWithinMs: 60_000 });
    },
    async startPermissionSync() {
      if (options.permissionIntervalSec <= 0) return;
      every(options.permissionIntervalSec, () => newJob('permissions', 'permissions', 'interval'))();
    },
    async enqueue(scope: JobScope, reason: JobReason) {
      if (stopped) throw new Error('the server is shutting down');
      if (scope.kind === 'all') return add(newJob('resync', 'all', reason));
      if (scope.kind === 'repo') return add(newJob('repo', scope.name, reason));
      return add(newJob('source', scope.label, reason, options.encodeSources(scope.sources)));
    },
    async status(): Promise<JobQueueStatus> {
      return queueStatus(await store.list(), options.intervalSec, stopped);
    },
    async idle() {
      for (;;) {
        const list = await store.list({ recent: 0 });
        if (list.running.length === 0 && list.queued.length === 0) return;
        await store.waitForWork(100);
      }
    },
    async stop() {
      stopped = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
  };
  return queue;
}
