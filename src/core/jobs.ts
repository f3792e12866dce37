import type { SourceConfig } from '../config/index.js';
import { createInProcessJobQueue, type JobQueue, type JobQueueStatus } from '../jobs/jobQueue.js';
import { createJobWorker, type JobHandler, type JobWorker } from '../jobs/jobWorker.js';
import { type JobInfo, type JobReason, type JobScope, type JobWork, performJob } from '../jobs/scheduler.js';
import { createSharedJobQueue, newJob, queueStatus } from '../jobs/sharedQueue.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { MetricsSink } from '../shared/metrics.js';
import type { App } from './app.js';
import { syncAllPermissions } from './auth/permissionSync.js';
import { open, seal } from './auth/secretBox.js';
import { createContext } from './context.js';
import { indexRepos } from './indexRepos.js';
import { createCoreRunner } from './jobRunner.js';
import { visibleRepos } from './repoGate.js';
import { registerListedRepos, syncRepos } from './syncRepos.js';

export type { JobInfo, JobQueue, JobQueueStatus, JobReason, JobScope, JobWorker };

export interface JobQueueOptions {
  /** Resync every GITLORE_SYNC_INTERVAL seconds (false with `serve --no-sync`). */
  background: boolean;
  /** Every job state change (logs, tests). */
  onJob?: (job: JobInfo) => void;
  /** First retry delay of a failed sync (tests shorten it). */
  retryBaseMs?: number;
}

/** A job's kind as metrics label it: the shared queue's own kind; in-process, from its scope and reason. */
export function jobKind(job: JobInfo): string {
  if (job.kind) return job.kind;
  return job.scope === 'all' ? 'resync' : job.reason === 'ingest' ? 'source' : 'repo';
}

const logJob = (log: Logger, onJob?: (job: JobInfo) => void, metrics?: MetricsSink) => (job: JobInfo) => {
  if ((job.state === 'done' || job.state === 'failed' || job.state === 'dead') && job.durationMs !== null) {
    metrics?.record({ type: 'job', kind: jobKind(job), outcome: job.state, seconds: job.durationMs / 1000 });
  }
  // A failed attempt of the shared queue that goes back to wait for a retry (jobWorker.ts gives it its run time).
  if (job.state === 'queued' && job.error !== null && job.durationMs !== null) {
    metrics?.record({ type: 'job', kind: jobKind(job), outcome: 'retried', seconds: job.durationMs / 1000 });
  }
  const what = `${job.kind ? `${job.kind} ` : ''}${job.scope}`;
  if (job.state === 'running' && job.phase !== 'index') log.info(`job ${job.id} started: ${job.reason} ${what}`);
  if (job.state === 'done' || job.state === 'failed' || job.state === 'dead')
    log.info(`job ${job.id} ${job.state} in ${job.durationMs}ms${job.error ? `: ${job.error}` : ''}`);
  onJob?.(job);
};

/**
 * The queue that syncs and indexes in the background of `serve`. On SQLite the jobs run here, one at a time; on
 * PostgreSQL `serve` only queues them and `gitlore worker` processes run them, so several servers can share a database.
 */
export function createJobQueue(app: App, options: JobQueueOptions): JobQueue {
  const log = app.log.child('jobs');
  if (app.store.jobs) {
    return createSharedJobQueue({
      store: app.store.jobs,
      log,
      intervalSec: options.background ? app.config.syncIntervalSec : 0,
      permissionIntervalSec: app.config.permissionSyncIntervalSec,
      encodeSources: (sources) => sealSources(app, sources),
      onJob: logJob(log, options.onJob, app.metrics),
    });
  }
  return createInProcessJobQueue({
    runner: createCoreRunner(app, { syncRepos, indexRepos }, { retryBaseMs: options.retryBaseMs }),
    log,
    skipSync: app.config.skipClone,
    skipIndex: app.config.skipAutoIndex,
    intervalSec: options.background ? app.config.syncIntervalSec : 0,
    onJob: logJob(log, options.onJob, app.metrics),
  });
}

/** The shared queue's jobs as the status surfaces show them (null on SQLite, where only a running `serve` knows). */
export async function readJobStatus(app: App): Promise<JobQueueStatus | null> {
  if (!app.store.jobs) return null;
  return queueStatus(await app.store.jobs.list(), app.config.syncIntervalSec, false);
}

export interface WorkerOptions {
  concurrency: number;
  /** Lease, poll and retry timings (tests shorten them); see JobWorkerOptions. */
  leaseMs?: number;
  pollMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** First retry delay of a failing clone or fetch inside one sync (tests shorten it). */
  syncRetryBaseMs?: number;
  onJob?: (job: JobInfo) => void;
}

/**
 * A `gitlore worker`: takes jobs from the PostgreSQL queue and runs them with the core use cases. A repository job
 * syncs its repository, then indexes it and ingests its history (writer lock of that repository only, so workers
 * index different repositories at once); a resync lists the sources and queues a job per repository.
 */
export function createWorker(app: App, options: WorkerOptions): JobWorker {
  const jobs = app.store.jobs;
  if (!jobs) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'gitlore worker takes its jobs from PostgreSQL, and DATABASE_URL is not set.', {
      hint: 'Set DATABASE_URL=postgres://… (the one `gitlore serve` uses); with the embedded store `serve` runs its own jobs.',
    });
  }
  const log = app.log.child('worker');
  const work: JobWork = {
    runner: createCoreRunner(app, { syncRepos, indexRepos }, { retryBaseMs: options.syncRetryBaseMs }),
    log,
    skipSync: app.config.skipClone,
    skipIndex: app.config.skipAutoIndex,
    syncFailures: 'fail',
  };
  const handlers: Record<string, JobHandler> = {
    repo: (job, run) => performJob(run.info, { kind: 'repo', name: job.scope }, work, run.signal, run.report),
    source: (job, run) =>
      performJob(run.info, { kind: 'source', label: job.scope, sources: openSources(app, job.payload) }, work, run.signal, run.report),
    resync: async (job, run) => {
      const ctx = createContext(app, { signal: run.signal });
      if (!work.skipSync) await registerListedRepos(ctx);
      const repos = (await visibleRepos(ctx)).filter((r) => r.syncStatus !== 'gone');
      run.info.progress = { repo: null, reposDone: 0, reposTotal: repos.length, filesDone: null, filesTotal: null };
      run.report();
      if (work.skipSync && work.skipIndex) return;
      for (const repo of repos) {
        run.signal.throwIfAborted();
        await jobs.enqueue(newJob('repo', repo.name, job.reason as JobReason));
        run.info.progress.reposDone += 1;
      }
    },
    permissions: async (_job, run) => {
      const report = await syncAllPermissions({}, createContext(app, { signal: run.signal }));
      const users = report.users.filter((u) => u.status === 'failed').length;
      if (users + report.repos.failed.length > 0) {
        throw new Error(`permission sync: ${users} users and ${report.repos.failed.length} repositories failed`);
      }
    },
  };
  return createJobWorker({
    store: jobs,
    handlers,
    concurrency: options.concurrency,
    log,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    ...(options.retryMaxMs !== undefined ? { retryMaxMs: options.retryMaxMs } : {}),
    onJob: logJob(log, options.onJob, app.metrics),
  });
}

const TOKEN_PURPOSE = 'job-token';

/**
 * An ingest's sources as its job row carries them to a worker: each token sealed under SECRET_KEY (never stored in
 * the clear) and dropped from the row when the job ends.
 */
function sealSources(app: App, sources: SourceConfig[]): unknown {
  const secret = app.config.secretKey;
  return sources.map((source) => {
    if (!('token' in source) || !source.token) return source;
    if (!secret) {
      throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'An ingest token cannot be handed to the workers without SECRET_KEY.', {
        hint: 'Set SECRET_KEY (the same on `serve` and every `gitlore worker`), or ingest without github_token.',
      });
    }
    const { token, ...rest } = source;
    return { ...rest, sealedToken: seal(secret, token, TOKEN_PURPOSE) };
  });
}

function openSources(app: App, payload: unknown): SourceConfig[] {
  if (!Array.isArray(payload)) throw new Error('the ingest job carries no sources');
  return payload.map((source: SourceConfig & { sealedToken?: string }) => {
    const { sealedToken, ...rest } = source;
    if (!sealedToken) return rest as SourceConfig;
    if (!app.config.secretKey) throw new Error('this worker has no SECRET_KEY to open the ingest token with');
    return { ...rest, token: open(app.config.secretKey, sealedToken, TOKEN_PURPOSE) } as SourceConfig;
  });
}
