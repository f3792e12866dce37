import { createInProcessJobQueue, type JobQueue, type JobQueueStatus } from '../jobs/jobQueue.js';
import type { JobInfo, JobReason, JobScope } from '../jobs/scheduler.js';
import type { App } from './app.js';
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
}

/** The queue that syncs and indexes in the background of `serve`: jobs run the core use cases, one at a time. */
export function createJobQueue(app: App, options: JobQueueOptions): JobQueue {
  const log = app.log.child('jobs');
  return createInProcessJobQueue({
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
}
