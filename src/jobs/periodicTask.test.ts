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
});
