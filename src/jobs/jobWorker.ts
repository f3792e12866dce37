import { hostname } from 'node:os';
import type { Logger } from '../shared/logger.js';
import type { JobRecord, JobStore } from '../store/index.js';
import type { JobInfo } from './scheduler.js';
import { toJobInfo } from './sharedQueue.js';

/** One running job as its handler sees it: `info` carries phase and progress (call `report` after changing the phase). */
export interface JobRun {
  info: JobInfo;
  signal: AbortSignal;
  report(): void;
}

/** Runs one job of a kind; throws when it failed (the queue retries it with backoff, then dead-letters it). */
export type JobHandler = (job: JobRecord, run: JobRun) => Promise<void>;

export interface JobWorkerOptions {
  store: JobStore;
  handlers: Record<string, JobHandler>;
  /** Jobs this process runs at once (never two of one repository: the queue sees to that). */
  concurrency: number;
  log: Logger;
  /** Names this process in the queue (`host:pid` when absent). */
  id?: string;
  /** A running job is taken back from a worker silent this long (default 60 s); renewed every third of it. */
  leaseMs?: number;
  /** Longest wait for work between looks at the queue when no notification comes (default 2 s). */
  pollMs?: number;
  /** First retry delay after a failed attempt; doubles per attempt up to retryMaxMs (defaults 30 s, 1 h). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often progress is written while it changes (default 1 s). */
  progressMs?: number;
  /**
   * Every job state change of this worker (logs, metrics, tests). A failed attempt queued again for a retry comes as
   * `queued` with its error and, in `durationMs`, how long that attempt ran.
   */
  onJob?: (job: JobInfo) => void;
}

export interface JobWorker {
  readonly id: string;
  /** Starts `concurrency` loops taking jobs. */
  start(): void;
  /**
   * Stops taking jobs. With `abort` the running ones are cancelled and given back to the queue (another worker
   * takes them; the attempt does not count); otherwise they are awaited.
   */
  stop(options?: { abort?: boolean }): Promise<void>;
  /** Jobs running in this process now. */
  running(): JobInfo[];
}

/** The backoff before attempt `attempts + 1`: base, 2×base, 4×base… capped. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** A process's loops over the shared job queue: claim, run the kind's handler with a renewed lease, settle. */
export function createJobWorker(options: JobWorkerOptions): JobWorker {
  const { store, log } = options;
  const id = options.id ?? `${hostname()}:${process.pid}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 2000;
  const progressMs = options.progressMs ?? 1000;
  const retryBaseMs = options.retryBaseMs ?? 30_000;
  const retryMaxMs = options.retryMaxMs ?? 3_600_000;
  const stopping = new AbortController();
  let giveBack = false;
  const active = new Map<number, { info: JobInfo; controller: AbortController }>();
  let loops: Promise<void>[] = [];
  let lastReclaim = 0;

  const tell = (info: JobInfo) => options.onJob?.({ ...info });

  const runOne = async (job: JobRecord, slot: string): Promise<void> => {
    const handler = options.handlers[job.kind];
    const info = toJobInfo(job);
    const controller = new AbortController();
    const startedAt = Date.now();
    active.set(job.id, { info, controller });
    tell(info);
    let lost = false;
    let written = '';
    let lastBeat = Date.now();
    let beating: Promise<void> | null = null;
    const beat = () => {
      const snapshot = JSON.stringify([info.phase, info.progress]);
      if (beating || (snapshot === written && Date.now() - lastBeat < leaseMs / 3)) return;
      beating = (async () => {
        try {
          const mine = await store.heartbeat(job.id, slot, leaseMs, { phase: info.phase, progress: info.progress });
          written = snapshot;
          lastBeat = Date.now();
          if (!mine) {
            lost = true;
            controller.abort(new Error('the job was taken back from this worker'));
          }
        } catch (error) {
          log.warn(`job ${job.id}: could not renew its lease`, { error: (error as Error).message });
        } finally {
          beating = null;
        }
      })();
    };
    const timer = setInterval(beat, Math.min(progressMs, leaseMs / 3));
    let failure: string | null = null;
    try {
      if (!handler) throw new Error(`no handler for jobs of kind ${job.kind} in this worker`);
      await handler(job, { info, signal: controller.signal, report: beat });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    } finally {
      clearInterval(timer);
      await beating;
      active.delete(job.id);
    }
    let settled: JobRecord | null = null;
    let attemptMs: number | null = null;
    try {
      if (lost) log.warn(`job ${job.id} (${job.kind} ${job.scope}) was taken back from this worker; its result is dropped`);
      else if (controller.signal.aborted && giveBack) settled = await store.release(job.id, slot);
      else if (failure !== null && !controller.signal.aborted) {
        settled = await store.fail(job.id, slot, failure, retryDelayMs(job.attempts, retryBaseMs, retryMaxMs));
        log.warn(`job ${job.id} (${job.kind} ${job.scope}) failed: ${failure}`, { state: settled?.state ?? 'unknown' });
        // Back in the queue for a retry: the row has no finish time, so the attempt's run time travels with it.
        if (settled?.state === 'queued') attemptMs = Date.now() - startedAt;
      } else {
        const cancelled = controller.signal.aborted;
        settled = await store.complete(job.id, slot, {
          state: cancelled ? 'cancelled' : 'done',
          changed: info.changed,
          error: cancelled ? (failure ?? 'cancelled') : null,
          progress: info.progress,
        });
      }
    } catch (error) {
      // The lease runs out and another worker takes the job again.
      log.warn(`job ${job.id}: could not record its outcome`, { error: (error as Error).message });
    }
    if (settled) tell(attemptMs === null ? toJobInfo(settled) : { ...toJobInfo(settled), durationMs: attemptMs });
  };

  const loop = async (slot: string): Promise<void> => {
    while (!stopping.signal.aborted) {
      let job: JobRecord | null = null;
      try {
        if (Date.now() - lastReclaim >= pollMs) {
          lastReclaim = Date.now();
          const reclaimed = await store.reclaimExpired();
          if (reclaimed > 0) log.info(`${reclaimed} job(s) of a vanished worker went back to the queue`);
        }
        job = await store.claim(slot, leaseMs);
      } catch (error) {
        log.warn('cannot reach the job queue; retrying', { error: (error as Error).message });
        await store.waitForWork(pollMs, stopping.signal).catch(() => {});
        continue;
      }
      if (job) await runOne(job, slot);
      else await store.waitForWork(pollMs, stopping.signal).catch(() => {});
    }
  };

  return {
    id,
    start() {
      if (loops.length > 0 || stopping.signal.aborted) return;
      loops = Array.from({ length: options.concurrency }, (_, n) => loop(`${id}/${n + 1}`));
    },
    async stop(stopOptions = {}) {
      stopping.abort();
      if (stopOptions.abort) {
        giveBack = true;
        for (const { controller } of active.values()) controller.abort(new Error('the worker is stopping'));
      }
      await Promise.all(loops);
    },
    running: () => [...active.values()].map(({ info }) => ({ ...info })),
  };
}
