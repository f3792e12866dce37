import { hostname } from 'node:os';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { ArtifactStore } from '../store/index.js';

/** The turn record kept in the store's artifacts under the task's name. */
interface TurnRecord {
  /** When the last turn was claimed (ms since the epoch, the claiming process's clock). */
  startedAt: number;
  state: 'running' | 'done' | 'failed';
  holder: string;
}

export interface OncePerIntervalOptions {
  /** The artifact (and lock) name the processes agree on, e.g. `schedule:backup`. */
  name: string;
  /** A turn whose last run succeeded less than this long ago is not taken again. */
  gapMs: number;
  /** Tests move the clock. */
  now?: () => number;
}

export type TurnOutcome<T> = { ran: true; value: T } | { ran: false; reason: 'running elsewhere' | 'done recently' };

/**
 * Runs `work` unless another process of the same store is running it now or ran it successfully within `gapMs`:
 * several `serve` processes on one database each arm the same timer, and only one of them does the work per
 * interval. The store's artifact lock (a PostgreSQL advisory lock; a file lock beside a SQLite database) keeps two
 * runs apart; the artifact `name` records when the last turn started and how it ended, written compare-and-set.
 * A failed turn, or one whose process died (its lock went with it), leaves the next tick free to try again.
 */
export async function runOncePerInterval<T>(
  artifacts: ArtifactStore,
  options: OncePerIntervalOptions,
  work: () => Promise<T>,
): Promise<TurnOutcome<T>> {
  const now = options.now ?? Date.now;
  const holder = `${hostname()}:${process.pid}`;
  try {
    return await artifacts.withLock(
      options.name,
      async (): Promise<TurnOutcome<T>> => {
        const stored = await artifacts.get(options.name);
        const last = stored ? parseTurn(stored.bytes) : null;
        // A `running` record under a free lock is a turn whose process died: not a reason to wait.
        if (last?.state === 'done' && now() - last.startedAt < options.gapMs) return { ran: false, reason: 'done recently' };
        const write = (record: TurnRecord, version: number | null) =>
          artifacts.put(options.name, Buffer.from(JSON.stringify(record)), version);
        const startedAt = now();
        const claimed = await write({ startedAt, state: 'running', holder }, stored?.version ?? null);
        // Only a process that ignores the lock could have written meanwhile; leave the turn to it.
        if (claimed === null) return { ran: false, reason: 'running elsewhere' };
        let value: T;
        try {
          value = await work();
        } catch (error) {
          await write({ startedAt, state: 'failed', holder }, claimed).catch(() => null);
          throw error;
        }
        await write({ startedAt, state: 'done', holder }, claimed);
        return { ran: true, value };
      },
      { waitMs: 0 },
    );
  } catch (error) {
    if (error instanceof GitloreError && error.code === ERROR_CODES.LOCKED) return { ran: false, reason: 'running elsewhere' };
    throw error;
  }
}

function parseTurn(bytes: Buffer): TurnRecord | null {
  try {
    const record = JSON.parse(bytes.toString('utf8')) as Partial<TurnRecord>;
    if (typeof record.startedAt !== 'number' || !['running', 'done', 'failed'].includes(record.state ?? '')) return null;
    return record as TurnRecord;
  } catch {
    return null;
  }
}
