import { describe, expect, it } from 'vitest';
import { runOncePerInterval } from '../../src/jobs/oncePerInterval.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

/** Several `serve` processes on one database arm the same timer; one of them does the work per interval. */
describe.each(BACKENDS)('runOncePerInterval on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('two processes ticking together: one runs, the other is told another is running', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    let release = () => {};
    const holding = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const options = { name: 'schedule:test', gapMs: 60_000 };
    const first = runOncePerInterval(store.artifacts, options, async () => {
      entered();
      await holding;
      return 'first';
    });
    await inside;
    const second = await runOncePerInterval(other.artifacts, options, async () => 'second');
    expect(second).toEqual({ ran: false, reason: 'running elsewhere' });
    release();
    expect(await first).toEqual({ ran: true, value: 'first' });
    // The turn is done: within the gap neither process takes it again.
    expect(await runOncePerInterval(other.artifacts, options, async () => 'again')).toEqual({ ran: false, reason: 'done recently' });
    expect(await runOncePerInterval(store.artifacts, options, async () => 'again')).toEqual({ ran: false, reason: 'done recently' });
  });

  it('takes the turn again once the gap has passed, and at once after a failed turn', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    let clock = 1_000_000;
    const options = { name: 'schedule:test', gapMs: 1000, now: () => clock };
    expect(await runOncePerInterval(store.artifacts, options, async () => 1)).toEqual({ ran: true, value: 1 });
    clock += 999;
    expect((await runOncePerInterval(other.artifacts, options, async () => 2)).ran).toBe(false);
    clock += 1;
    expect(await runOncePerInterval(other.artifacts, options, async () => 3)).toEqual({ ran: true, value: 3 });
    clock += 10;
    // Within the gap, but that turn failed: the next tick (any process) tries again.
    await expect(
      runOncePerInterval(store.artifacts, { ...options, gapMs: 1 }, async () => {
        throw new Error('target unreachable');
      }),
    ).rejects.toThrow('target unreachable');
    expect(await runOncePerInterval(other.artifacts, options, async () => 4)).toEqual({ ran: true, value: 4 });
  });

  it('a turn left `running` by a process that died (its lock gone with it) does not block the next one', async () => {
    const { store } = await openStore();
    const stale = Buffer.from(JSON.stringify({ startedAt: Date.now(), state: 'running', holder: 'gone:1' }));
    expect(await store.artifacts.put('schedule:test', stale, null)).toBe(1);
    expect(await runOncePerInterval(store.artifacts, { name: 'schedule:test', gapMs: 60_000 }, async () => 'ran')).toEqual({
      ran: true,
      value: 'ran',
    });
  });

  it('holding one name never makes another name wait (a backup turn beside the embedding model lock)', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    let release = () => {};
    const holding = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const turn = runOncePerInterval(store.artifacts, { name: 'schedule:test', gapMs: 60_000 }, async () => {
      entered();
      await holding;
    });
    await inside;
    expect(await other.artifacts.withLock('codevec', async () => 'learned', { waitMs: 0 })).toBe('learned');
    release();
    await turn;
  });
});
