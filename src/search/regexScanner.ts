import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { RE2JS } from 're2js';
import { siblingModule, startModuleWorker } from '../shared/moduleWorker.js';
import { compileRegex } from './regexPattern.js';
import { type LineRange, type ScanFile, type ScanStop, scanFiles } from './regexScan.js';
import type { ScanReply, ScanRequest } from './regexScanWorker.js';

export interface ScanOutcome {
  /** Why the scan ended early; 'aborted' when the caller went away or the scanner closed. */
  stopped: ScanStop | 'aborted';
}

/** One query's hold on a scanner: pages are scanned one after another, then it is released. */
export interface ScanLease {
  scan(pattern: string, files: ScanFile[], limit: number, onMatches: (fileId: number, ranges: LineRange[]) => void): Promise<ScanOutcome>;
  release(): void;
}

export interface RegexScanner {
  /** A scanner for one query until `deadline` (Date.now() ms), or null when none came free in time. */
  lease(deadline: number, signal?: AbortSignal): Promise<ScanLease | null>;
  /** Terminates the workers; scans still running end as 'aborted'. */
  close(): Promise<void>;
}

/**
 * How long after the deadline a worker may still be inside one file before it is terminated. The
 * worker stops by itself between files; this only catches a single file that outlasts the budget.
 */
const HARD_STOP_GRACE_MS = 250;

/**
 * Regex scans in worker threads, so a long scan never holds the event loop (HTTP, /health, signals).
 * Up to `workers` queries scan at once (each holds one worker for its pages); more wait for a free
 * worker within their own budget. Workers start on first use and, while idle, do not keep the
 * process alive. Where workers cannot start, scans run on the calling thread (still linear-time
 * and budgeted between files).
 */
export function createRegexScanner(options: { workers?: number } = {}): RegexScanner {
  const max = options.workers ?? Math.min(4, Math.max(2, availableParallelism()));
  const url = siblingModule(import.meta.url, 'regexScanWorker');
  const live = new Set<Worker>();
  const idle: Worker[] = [];
  let starting = 0;
  let inThread = false;
  let closed = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
    waiters.clear();
  };

  const start = async (): Promise<Worker | null> => {
    starting += 1;
    try {
      const worker = await startModuleWorker(url);
      live.add(worker);
      worker.once('exit', () => {
        live.delete(worker);
        const at = idle.indexOf(worker);
        if (at !== -1) idle.splice(at, 1);
        wake();
      });
      return worker;
    } catch {
      inThread = true;
      return null;
    } finally {
      starting -= 1;
    }
  };

  const nextTurn = (deadline: number, signal?: AbortSignal) =>
    new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        waiters.delete(turn);
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        resolve(ok);
      };
      const turn = () => done(true);
      const aborted = () => done(false);
      const timer = setTimeout(() => done(false), Math.min(Math.max(0, deadline - Date.now()), 2 ** 31 - 1));
      waiters.add(turn);
      signal?.addEventListener('abort', aborted, { once: true });
    });

  const release = (worker: Worker) => {
    if (closed || !live.has(worker)) return;
    worker.unref();
    idle.push(worker);
    wake();
  };

  return {
    async lease(deadline, signal) {
      for (;;) {
        if (closed || signal?.aborted) return null;
        const ready = idle.pop();
        if (ready) return workerLease(ready, deadline, signal, release);
        if (inThread) return inThreadLease(deadline);
        if (live.size + starting < max) {
          const worker = await start();
          if (!worker) continue;
          if (closed) {
            void worker.terminate();
            return null;
          }
          return workerLease(worker, deadline, signal, release);
        }
        if (Date.now() >= deadline || !(await nextTurn(deadline, signal))) return null;
      }
    },
    async close() {
      closed = true;
      wake();
      await Promise.all([...live].map((worker) => worker.terminate()));
    },
  };
}

function workerLease(worker: Worker, deadline: number, signal: AbortSignal | undefined, release: (worker: Worker) => void): ScanLease {
  worker.ref();
  let healthy = true;
  return {
    scan(pattern, files, limit, onMatches) {
      return new Promise<ScanOutcome>((resolve, reject) => {
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          worker.off('error', onError);
          settle();
        };
        const stopHard = (stopped: ScanOutcome['stopped']) => {
          healthy = false;
          void worker.terminate();
          finish(() => resolve({ stopped }));
        };
        const onMessage = (reply: ScanReply) => {
          if (reply.type === 'matches') onMatches(reply.fileId, reply.ranges);
          else if (reply.type === 'done') finish(() => resolve({ stopped: reply.stopped }));
          else finish(() => reject(new Error(reply.message)));
        };
        const onAbort = () => stopHard('aborted');
        const onExit = () => {
          healthy = false;
          finish(() => resolve({ stopped: 'aborted' }));
        };
        const onError = (error: Error) => {
          healthy = false;
          finish(() => reject(error));
        };
        const wait = deadline - Date.now() + HARD_STOP_GRACE_MS;
        const timer = wait < 2 ** 31 - 1 ? setTimeout(() => stopHard('deadline'), Math.max(0, wait)) : undefined;
        worker.on('message', onMessage);
        worker.once('exit', onExit);
        worker.once('error', onError);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) return onAbort();
        worker.postMessage({ pattern, files, limit, deadline } satisfies ScanRequest);
      });
    },
    release() {
      if (healthy) release(worker);
      else void worker.terminate();
    },
  };
}

/** Scans on the calling thread: for callers without a scanner (tests, benchmarks) and where workers cannot start. */
function inThreadLease(deadline: number): ScanLease {
  let compiled: { pattern: string; regex: RE2JS } | null = null;
  return {
    async scan(pattern, files, limit, onMatches) {
      if (compiled?.pattern !== pattern) compiled = { pattern, regex: compileRegex(pattern) };
      return scanFiles(compiled.regex, files, limit, deadline, onMatches);
    },
    release() {},
  };
}

/** The scanner of callers that bring none: the calling thread. */
export const IN_THREAD_SCANNER: RegexScanner = {
  async lease(deadline) {
    return inThreadLease(deadline);
  },
  async close() {},
};
