import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

const writer = (command: string, scope?: string[]) => ({ command, task: 'indexing', waitMs: 0, ...(scope ? { scope } : {}) });

describe.each(BACKENDS)('the writer lock scoped to repositories on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('lets writers of different repositories in at once only on PostgreSQL, and never two of one repository', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    const api = await store.writer.acquire(writer('gitlore worker (api)', ['api']));
    const web = other.writer.acquire(writer('gitlore worker (web)', ['web']));
    if (backend === 'postgres') await (await web).release();
    // SQLite keeps one writer for the whole file, whatever the scope.
    else await expect(web).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(other.writer.acquire(writer('gitlore worker (api again)', ['api']))).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining('`gitlore worker (api)`, indexing since'),
    });
    await api.release();
    await (await other.writer.acquire(writer('gitlore worker (api again)', ['api']))).release();
  });

  it('makes a whole-store writer and repository writers exclude each other, naming the holder', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    const repoLease = await store.writer.acquire(writer('gitlore worker (api)', ['api', 'web']));
    let seen: unknown = null;
    await expect(
      other.writer.acquire({ ...writer('gitlore sync'), waitMs: 300, onWait: (holder) => (seen = holder) }),
    ).rejects.toMatchObject({ code: 'LOCKED' });
    expect(seen).toMatchObject({ command: 'gitlore worker (api)', pid: process.pid });
    await repoLease.release();
    const whole = await other.writer.acquire(writer('gitlore index --full'));
    await expect(store.writer.acquire(writer('gitlore worker (docs)', ['docs']))).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining('`gitlore index --full`'),
    });
    await whole.release();
    await (await store.writer.acquire(writer('gitlore worker (docs)', ['docs']))).release();
  });
});
