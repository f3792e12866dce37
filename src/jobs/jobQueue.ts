import type { JobInfo, JobReason, JobScope, SchedulerOptions } from './scheduler.js';
import { JobScheduler } from './scheduler.js';

export interface JobQueueStatus {
  running: JobInfo | null;
  queued: JobInfo[];
  recent: JobInfo[];
  intervalSec: number;
  stopped: boolean;
}

/**
 * Background sync and index work, as the server and the CLI see it. Asynchronous so that a queue kept in a
 * database and served by worker processes can stand behind the same calls; the in-process implementation
 * below is the scheduler `serve` has always used.
 */
export interface JobQueue {
  /** Queues the startup job and arms the periodic resync. */
  start(): Promise<JobInfo>;
  /** Schedules work unless an equal or wider job is already waiting; returns the job that will do it. */
  enqueue(scope: JobScope, reason: JobReason): Promise<JobInfo>;
  status(): Promise<JobQueueStatus>;
  /** Resolves when nothing is running or queued. */
  idle(): Promise<void>;
  /** Stops taking work; with `abort` the running job is cancelled cleanly, otherwise awaited. */
  stop(options?: { abort?: boolean }): Promise<void>;
}

/** One job at a time in this process (see JobScheduler). */
export function createInProcessJobQueue(options: SchedulerOptions): JobQueue {
  const scheduler = new JobScheduler(options);
  return {
    start: async () => scheduler.start(),
    enqueue: async (scope, reason) => scheduler.enqueue(scope, reason),
    status: async () => scheduler.status(),
    idle: () => scheduler.idle(),
    stop: (stopOptions) => scheduler.stop(stopOptions),
  };
}
