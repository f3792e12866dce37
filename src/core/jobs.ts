import { createInProcessJobQueue, type JobQueue, type JobQueueStatus } from '../jobs/jobQueue.js';
import { createPeriodicTask, type PeriodicTask } from '../jobs/periodicTask.js';
import type { JobInfo, JobReason, JobScope } from '../jobs/scheduler.js';
import type { App } from './app.js';
import { syncAllPermissions } from './auth/permissionSync.js';
import { createContext } from './context.js';
import { indexRepos } from './indexRepos.js';
import { createCoreRunner } from './jobRunner.js';
import { syncRepos } from './syncRepos.js';

export type { JobInfo, JobQueue, JobQueueStatus, JobReason, JobScope };

export interface JobQueueOptions {
  /** Resync every GITLORE_SYNC_INTERVAL seconds (false with `serve --no-sync`). */
  background: boolean;
  /** Every job state change (logs, tests). */
  onJob?: (job: JobInfo) => void;
  /** First retry delay of a failed sync (tests shorten it). */
  retryBaseMs?: number;
  /** First retry delay of a permission sync that failed (5xx, rate limit), and Octokit's wait unit (tests shorten them). */
  permissionRetry?: { baseMs?: number; githubAfterBaseMs?: number };
}

/** The queue that syncs and indexes in the background of `serve`: jobs run the core use cases, one at a time. */
export function createJobQueue(app: App, options: JobQueueOptions): JobQueue {
  const log = app.log.child('jobs');
  const queue = createInProcessJobQueue({
    runner: createCoreRunner(app, { syncRepos, indexRepos }, { retryBaseMs: options.retryBaseMs }),
    log,
    skipSync: app.config.skipClone,
    skipIndex: app.config.skipAutoIndex,
    intervalSec: options.background ? app.config.syncIntervalSec : 0,
    onJob: (job) => {
      if (job.state === 'running' && job.phase !== 'index') log.info(`job ${job.id} started: ${job.reason} ${job.scope}`);
      if (job.state === 'done' || job.state === 'failed')
        log.info(`job ${job.id} ${job.state} in ${job.durationMs}ms${job.error ? `: ${job.error}` : ''}`);
      options.onJob?.(job);
    },
  });
  const permissions = options.background && app.config.auth !== 'none' ? permissionSchedule(app, options) : null;
  return {
    ...queue,
    async start() {
      const job = await queue.start();
      permissions?.start();
      return job;
    },
    async stop(stopOptions) {
      await permissions?.stop();
      await queue.stop(stopOptions);
    },
  };
}

/**
 * The GitHub permission mirror, refreshed every GITLORE_PERMISSION_SYNC_INTERVAL beside the job queue: it reads
 * GitHub and writes a few rows, so it never waits behind a long clone or index. A run with failures (5xx, rate
 * limits) is retried with backoff for just the users and repositories that failed; their last access stays meanwhile.
 */
function permissionSchedule(app: App, options: JobQueueOptions): PeriodicTask {
  const log = app.log.child('permissions');
  const intervalMs = app.config.permissionSyncIntervalSec * 1000;
  let pending: { userIds: string[]; repoIds: number[] } | null = null;
  let lastFullRun = 0;
  return createPeriodicTask({
    name: 'permission sync',
    intervalMs,
    retryBaseMs: options.permissionRetry?.baseMs ?? 60_000,
    log,
    async run(signal) {
      // Retries cover what failed; the interval still brings a full run even while something keeps failing.
      const full = !pending || Date.now() - lastFullRun >= intervalMs;
      if (full) lastFullRun = Date.now();
      const report = await syncAllPermissions(
        { ...(full ? {} : pending), retryAfterBaseMs: options.permissionRetry?.githubAfterBaseMs },
        createContext(app, { signal }),
      );
      const userIds = report.users.filter((u) => u.status === 'failed').map((u) => u.userId);
      const repoIds = report.repos.failed.map((r) => r.repoId);
      const revoked = report.users.filter((u) => u.status === 'revoked').length;
      log.info(
        `permission sync: ${report.users.length} users, ${report.repos.checked} private repositories in ${report.tookMs}ms` +
          `${userIds.length + repoIds.length > 0 ? `; ${userIds.length} users and ${repoIds.length} repositories failed, retrying` : ''}` +
          `${revoked > 0 ? `; ${revoked} revoked` : ''}`,
      );
      pending = userIds.length + repoIds.length > 0 ? { userIds, repoIds } : null;
      return pending ? 'retry' : 'done';
    },
  });
}
