import { hostname } from 'node:os';

/** Who holds the writer lock: enough for a message that tells the user which process to wait for or stop. */
export interface WriterHolder {
  pid: number;
  host: string;
  /** How the holding process was started (`gitlore index --full`, `gitlore serve`). */
  command: string;
  /** What it is doing (`indexing`, `syncing`). */
  task: string;
  /** ISO time the lock was taken. */
  startedAt: string;
}

export interface AcquireWriterOptions {
  command: string;
  task: string;
  /** How long to wait for another holder before failing with LOCKED; 0 refuses at once. */
  waitMs: number;
  signal?: AbortSignal;
  /** Called once when the lock is busy and this call starts waiting. */
  onWait?: (holder: WriterHolder | null) => void;
  /**
   * The repositories this writer changes, when it changes only those: a PostgreSQL store then lets writers of other
   * repositories run beside it (and a whole-store writer waits for all of them). Absent: the whole store. An
   * embedded store keeps one writer whatever the scope.
   */
  scope?: readonly string[];
}

/** A held writer lock; release it when the writing is done (a crashed holder's lock is released by the system). */
export interface WriterLease {
  release(): Promise<void>;
}

/**
 * One writer per store: index, sync and ingest runs (CLI commands, each job of `serve`) hold it while they
 * write, so two of them never interleave their writes. Readers never take it. SQLite holds an operating-system
 * lock on a file beside the database; a PostgreSQL store holds session advisory locks, one per repository for a
 * scoped writer.
 */
export interface WriterLock {
  /** Takes the lock, waiting up to `waitMs` for the current holder; fails with LOCKED naming it. */
  acquire(options: AcquireWriterOptions): Promise<WriterLease>;
}

/** `Another gitlore process (pid 1234, `gitlore index --full`, indexing since 12:00:01)`, for messages. */
export function describeHolder(holder: WriterHolder | null): string {
  if (!holder) return 'Another gitlore process';
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `Another gitlore process (pid ${holder.pid}${where}, \`${holder.command}\`, ${holder.task} since ${clockTime(holder.startedAt)})`;
}

/** `12:00:01` today, `2026-12-01 12:00:01` on another day (local time). */
function clockTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toTimeString().slice(0, 8);
  const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return day(at) === day(new Date()) ? time : `${day(at)} ${time}`;
}

/** The holder record of a lock taken now by this process. */
export function holderOf(options: Pick<AcquireWriterOptions, 'command' | 'task'>): WriterHolder {
  return { pid: process.pid, host: hostname(), command: options.command, task: options.task, startedAt: new Date().toISOString() };
}

/** How often a waiting writer tries again. */
const POLL_MS = 200;

/**
 * The waiting loop every backend's lock shares: try, and while the lock is busy tell `onWait` once, poll
 * until `waitMs` is spent (then the backend's LOCKED error naming the holder) or the signal aborts.
 */
export async function pollWriterLock(
  options: AcquireWriterOptions,
  backend: {
    tryTake(): Promise<WriterLease | null>;
    readHolder(): Promise<WriterHolder | null>;
    lockedError(holder: WriterHolder | null): Error;
  },
): Promise<WriterLease> {
  const deadline = Date.now() + options.waitMs;
  let waiting = false;
  for (;;) {
    // A free lock is taken even by a cancelled run, which then stops its own way; only the wait is cut short.
    const lease = await backend.tryTake();
    if (lease) return lease;
    options.signal?.throwIfAborted();
    const holder = await backend.readHolder();
    const left = deadline - Date.now();
    if (left <= 0) throw backend.lockedError(holder);
    if (!waiting) options.onWait?.(holder);
    waiting = true;
    await sleep(Math.min(POLL_MS, left), options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
