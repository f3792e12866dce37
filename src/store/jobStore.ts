/** Where a job of the shared queue is: waiting (maybe for a retry), running on a worker, or finished one of four ways. */
export type StoredJobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'dead';

/** One job of the shared queue (PostgreSQL), as workers and status pages read it. */
export interface JobRecord {
  id: number;
  /** What the job does (`repo`, `resync`, `source`, `permissions`); the worker's handler of that name runs it. */
  kind: string;
  /** What it works on: a repository name, `all`, a source label. */
  scope: string;
  /** Jobs of one lane never run two at once and wait at most one at a time (one lane per repository). */
  lane: string;
  reason: string;
  /** Whatever the handler needs beyond kind and scope (JSON). */
  payload: unknown;
  state: StoredJobState;
  phase: string | null;
  progress: unknown;
  changed: string[] | null;
  error: string | null;
  /** Attempts started so far, this one included while running. */
  attempts: number;
  maxAttempts: number;
  /** The worker running it (`host:pid/slot`), or that ran it last. */
  worker: string | null;
  queuedAt: string;
  /** Not taken before this time (a retry's backoff). */
  runAfter: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface NewJob {
  kind: string;
  scope: string;
  lane: string;
  reason: string;
  payload?: unknown;
  maxAttempts: number;
  /**
   * Periodic work requested by several servers: add nothing when a job of the lane was queued this recently
   * (the interval of one server already asked for it).
   */
  unlessQueuedWithinMs?: number;
}

export interface JobList {
  running: JobRecord[];
  queued: JobRecord[];
  /** Finished jobs, newest first (done, failed, cancelled, dead-lettered). */
  recent: JobRecord[];
}

/**
 * The shared job queue of a PostgreSQL store: jobs wait in a table and worker processes (on any machine) take them
 * with `FOR UPDATE SKIP LOCKED`. A lane (one per repository) runs one job at a time and holds at most one waiting
 * job, so a request for work already waiting joins it. A running job holds a lease its worker renews; a job whose
 * worker vanished is taken again once the lease runs out.
 */
export interface JobStore {
  /** Queues a job unless one of its lane is waiting (then that one is returned, `created` false). */
  enqueue(job: NewJob): Promise<{ job: JobRecord; created: boolean } | null>;
  /** Takes the oldest runnable job whose lane has nothing running; null when there is none. */
  claim(worker: string, leaseMs: number): Promise<JobRecord | null>;
  /** Renews the lease and records progress; false when the job is no longer this worker's. */
  heartbeat(id: number, worker: string, leaseMs: number, update: { phase: string | null; progress: unknown }): Promise<boolean>;
  /** Finishes a running job of this worker as done (or cancelled). */
  complete(
    id: number,
    worker: string,
    result: { state: 'done' | 'cancelled'; changed: string[] | null; error: string | null; progress: unknown },
  ): Promise<JobRecord | null>;
  /**
   * A failed attempt: queued again after `retryInMs` while attempts are left, dead-lettered (`dead`) when none is;
   * `failed` when a newer request of the lane is already waiting (that one does the work).
   */
  fail(id: number, worker: string, error: string, retryInMs: number): Promise<JobRecord | null>;
  /** Gives a running job back to the queue (its worker is stopping); the attempt does not count. */
  release(id: number, worker: string): Promise<JobRecord | null>;
  /** Puts jobs whose lease ran out (their worker died) back in the queue, or dead-letters them; returns how many. */
  reclaimExpired(): Promise<number>;
  get(id: number): Promise<JobRecord | null>;
  list(options?: { recent?: number }): Promise<JobList>;
  /** Resolves when a job was queued (any process) or after `ms`, whichever comes first; at once on abort. */
  waitForWork(ms: number, signal?: AbortSignal): Promise<void>;
}
