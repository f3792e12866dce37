import type { JobInfo, JobReason, JobScope, SchedulerOptions } from './scheduler.js';
import { JobScheduler } from './scheduler.js';

export interface JobQueueStatus {
  /** The first running job (kept for earlier clients); every running one is in `runningJobs`. */
  running: JobInfo | null;
  /** Running jobs: at most one in-process, one per busy worker slot on PostgreSQL. */
  runningJobs: JobInfo[];
  queued: JobInfo[];
  recent: JobInfo[];
  intervalSec: number;
  stopped: boolean;
  /** `in-process`: this `serve` runs its jobs; `postgres`: `gitlore worker` processes take them from the database. */
  backend: 'in-process' | 'postgres';
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
  /**
   * Where the permission mirror is a job of this queue (PostgreSQL: a worker runs it), arms it on its interval;
   * absent where the server runs it on its own timer.
   */
  startPermissionSync?(): Promise<void>;
}

/** One job at a time in this process (see JobScheduler). */
export function createInProcessJobQueue(options: SchedulerOptions): JobQueue {
  const scheduler = new JobScheduler(options);
  return {
    start: async () => scheduler.start(),
    enqueue: async (scope, reason) => scheduler.enqueue(scope, reason),
    status: async () => {
      const status = scheduler.status();
      return { ...status, runningJobs: status.running ? [status.running] : [], backend: 'in-process' };
    },
    idle: () => scheduler.idle(),
    stop: (stopOptions) => scheduler.stop(stopOptions),
  };
}
