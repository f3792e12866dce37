import type { Logger } from '../shared/logger.js';

export interface PeriodicTaskOptions {
  /** Names the task in logs. */
  name: string;
  /** Between two runs that went well. */
  intervalMs: number;
  /** Before the first run after start(); 0 (run at once) when absent. */
  initialDelayMs?: number;
  /** First delay after a run that asks to be retried (or throws); doubles on each retry, never beyond intervalMs. */
  retryBaseMs: number;
  /** One run; `retry` brings the next one forward (backoff). The signal aborts when the task stops. */
  run(signal: AbortSignal): Promise<'done' | 'retry'>;
  log: Logger;
}

/** Work that repeats on its own timer beside the job queue (it never waits behind a sync or an index job). */
export interface PeriodicTask {
  /** Runs once after `initialDelayMs` (at once by default), then on the interval. */
  start(): void;
  /** Clears the timer, aborts a run in flight and waits for it to end. Idempotent. */
  stop(): Promise<void>;
}

export function createPeriodicTask(options: PeriodicTaskOptions): PeriodicTask {
  const { log } = options;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let retries = 0;

  const schedule = (delayMs: number) => {
    if (controller.signal.aborted) return;
    timer = setTimeout(tick, delayMs);
    timer.unref();
  };
  const tick = () => {
    timer = null;
    running = (async () => {
      let outcome: 'done' | 'retry';
      try {
        outcome = await options.run(controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        log.warn(`${options.name} failed`, { error: error instanceof Error ? error.message : String(error) });
        outcome = 'retry';
      }
      retries = outcome === 'retry' ? retries + 1 : 0;
      schedule(retries === 0 ? options.intervalMs : Math.min(options.intervalMs, options.retryBaseMs * 2 ** (retries - 1)));
    })().finally(() => {
      running = null;
    });
  };

  return {
    start() {
      if (timer || running || controller.signal.aborted) return;
      schedule(options.initialDelayMs ?? 0);
    },
    async stop() {
      controller.abort();
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
