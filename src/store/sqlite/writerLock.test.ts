import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteWriterLock } from './writerLock.js';

const take = { command: 'gitlore index --full', task: 'indexing' };

describe('SQLite writer lock', () => {
  it('lets one writer in, refuses a second naming the holder, and lets a waiting one in when released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitlore-writer-'));
    const lock = createSqliteWriterLock(join(dir, 'gitlore.db'));
    const held = await lock.acquire({ ...take, waitMs: 0 });
    expect(existsSync(join(dir, 'writer.json'))).toBe(true);

    const refused = await lock.acquire({ ...take, command: 'gitlore sync', waitMs: 0 }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'LOCKED' });
    expect(refused.message).toMatch(
      new RegExp(
        `^Another gitlore process \\(pid ${process.pid}, \`gitlore index --full\`, indexing since \\d\\d:\\d\\d:\\d\\d\\) is writing to ${dir}; wait for it or stop it\\.$`,
      ),
    );

    let waited = false;
    const waiting = lock.acquire({ ...take, waitMs: 5000, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 300));
    await held.release();
    const second = await waiting;
    expect(waited).toBe(true);

    const stop = new AbortController();
    const cancelled = lock.acquire({ ...take, waitMs: 60_000, signal: stop.signal }).catch((e) => e);
    stop.abort();
    expect(await cancelled).toMatchObject({ name: 'AbortError' });
    await second.release();
    expect(existsSync(join(dir, 'writer.json'))).toBe(false);
  });
});
