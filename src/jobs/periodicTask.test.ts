import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../shared/logger.js';
import { createPeriodicTask } from './periodicTask.js';

describe('periodic task', () => {
  it('runs at once, retries with backoff while a run asks to, then waits for the interval; no run after stop()', async () => {
    const outcomes: ('done' | 'retry')[] = ['retry', 'retry', 'done'];
    const runs: number[] = [];
    const task = createPeriodicTask({
      name: 'test',
      intervalMs: 60_000,
      retryBaseMs: 5,
      log: silentLogger,
      run: async () => {
        runs.push(runs.length);
        return outcomes[runs.length - 1] ?? 'done';
      },
    });
    task.start();
    // Three runs back to back (two retries), then the interval: the fourth would come only after a minute.
    await vi.waitFor(() => expect(runs).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toHaveLength(3);
    await task.stop();
    task.start();
    expect(runs).toHaveLength(3);
  });

  it('treats a throwing run as one to retry, and stop() waits for the run in flight and aborts it', async () => {
    let calls = 0;
    let aborted = false;
    let stopping = false;
    const task = createPeriodicTask({
      name: 'test',
      intervalMs: 60_000,
      retryBaseMs: 1,
      log: silentLogger,
      run: async (signal) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted = stopping;
        return 'done';
      },
    });
    task.start();
    await vi.waitFor(() => expect(calls).toBe(2));
    stopping = true;
    await task.stop();
    expect(aborted).toBe(true);
    expect(calls).toBe(2);
  });

  it('waits initialDelayMs before the first run, then keeps the interval', async () => {
    const runs: number[] = [];
    const started = Date.now();
    const task = createPeriodicTask({
      name: 'test',
      intervalMs: 60_000,
      initialDelayMs: 40,
      retryBaseMs: 1,
      log: silentLogger,
      run: async () => {
        runs.push(Date.now() - started);
        return 'done';
      },
    });
    task.start();
    // Not at once: start() only arms the timer.
    await new Promise((r) => setTimeout(r, 5));
    expect(runs).toHaveLength(0);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    expect(runs[0]).toBeGreaterThanOrEqual(35);
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toHaveLength(1);
    await task.stop();
  });

  it('stop() before the initial delay has passed means no run at all', async () => {
    let runs = 0;
    const task = createPeriodicTask({
      name: 'test',
      intervalMs: 60_000,
      initialDelayMs: 20,
      retryBaseMs: 1,
      log: silentLogger,
      run: async () => {
        runs += 1;
        return 'done';
      },
    });
    task.start();
    await task.stop();
    await new Promise((r) => setTimeout(r, 40));
    expect(runs).toBe(0);
  });
});
