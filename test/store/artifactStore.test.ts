import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

describe.each(BACKENDS)('the artifact store on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('keeps bytes exactly, NUL bytes and all, and numbers each write', async () => {
    const { store, reopen } = await openStore();
    expect(await store.artifacts.get('model')).toBeNull();
    expect(await store.artifacts.version('model')).toBeNull();
    // A few MB with every byte value, as a learned model is (floats after a JSON header).
    const bytes = Buffer.concat([Buffer.from('{"magic":"x"}\n\0\0'), randomBytes(3 * 1024 * 1024)]);
    expect(await store.artifacts.put('model', bytes, null)).toBe(1);
    const other = await reopen();
    const read = await other.artifacts.get('model');
    expect(read?.version).toBe(1);
    expect(read?.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(Buffer.isBuffer(read?.bytes)).toBe(true);
    expect(read?.bytes.equals(bytes)).toBe(true);

    const next = randomBytes(1000);
    expect(await other.artifacts.put('model', next, 1)).toBe(2);
    expect(await store.artifacts.version('model')).toBe(2);
    expect((await store.artifacts.get('model'))?.bytes.equals(next)).toBe(true);
    // Names are separate.
    expect(await store.artifacts.get('other')).toBeNull();
  });

  it('refuses a write whose expected version is not the stored one, leaving the stored bytes', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    const first = Buffer.from('first');
    expect(await store.artifacts.put('model', first, null)).toBe(1);
    // Both handles learned from version 1; the first to publish wins, the other is told so.
    expect(await other.artifacts.put('model', Buffer.from('late'), null)).toBeNull();
    expect(await store.artifacts.put('model', Buffer.from('second'), 1)).toBe(2);
    expect(await other.artifacts.put('model', Buffer.from('stale'), 1)).toBeNull();
    expect(await other.artifacts.put('model', Buffer.from('stale'), 7)).toBeNull();
    const stored = await other.artifacts.get('model');
    expect(stored?.version).toBe(2);
    expect(stored?.bytes.toString()).toBe('second');
  });

  it('lets one handle at a time hold a name’s lock, waiting for the holder, and frees it when the work throws', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    const order: string[] = [];
    let releaseFirst = () => {};
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let entered = () => {};
    const firstEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = store.artifacts.withLock('model', async () => {
      order.push('first in');
      entered();
      await firstHolds;
      order.push('first out');
      return 'one';
    });
    await firstEntered;
    let waited = false;
    const second = other.artifacts.withLock(
      'model',
      async () => {
        order.push('second in');
        return 'two';
      },
      { onWait: () => (waited = true) },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(order).toEqual(['first in']);
    expect(waited).toBe(true);
    releaseFirst();
    expect(await Promise.all([first, second])).toEqual(['one', 'two']);
    expect(order).toEqual(['first in', 'first out', 'second in']);

    await expect(store.artifacts.withLock('model', async () => Promise.reject(new Error('learning failed')))).rejects.toThrow(
      'learning failed',
    );
    expect(await other.artifacts.withLock('model', async () => 'free again', { waitMs: 0 })).toBe('free again');
  });

  it('stops waiting for the lock when the signal aborts or the wait runs out', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    let release = () => {};
    const held = store.artifacts.withLock('model', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stop = new AbortController();
    const waiting = other.artifacts.withLock('model', async () => 'ran', { signal: stop.signal });
    setTimeout(() => stop.abort(new Error('cancelled')), 300);
    await expect(waiting).rejects.toThrow('cancelled');
    await expect(other.artifacts.withLock('model', async () => 'ran', { waitMs: 300 })).rejects.toMatchObject({ code: 'LOCKED' });
    release();
    await held;
  });
});
