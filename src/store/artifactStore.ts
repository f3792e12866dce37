import type { AcquireWriterOptions, WriterLease } from './writerLock.js';

/** A named binary artifact as stored, with the version its last write gave it (1, 2, …). */
export interface StoredArtifact {
  bytes: Buffer;
  version: number;
  updatedAt: string;
}

export interface ArtifactLockOptions {
  signal?: AbortSignal;
  /** How long to wait for another holder before failing with LOCKED; unbounded when absent (the signal still stops it). */
  waitMs?: number;
  /** Called once when another process holds the lock and this call starts waiting. */
  onWait?: () => void;
}

/**
 * Files a process learns and every process of the store must share: the corpus-learned embedding model today.
 * Kept in the store (not beside it) so API processes on other machines read the model the workers learned, and
 * so backups and `gitlore migrate --to` carry it. Writes are compare-and-set on the version, so a process that
 * learned from an older model never replaces one another process published meanwhile.
 */
export interface ArtifactStore {
  get(name: string): Promise<StoredArtifact | null>;
  /** The stored version without the bytes (a cheap check whether another process replaced it); null when absent. */
  version(name: string): Promise<number | null>;
  /**
   * Writes `bytes` only if the stored version is still `expectedVersion` (null: only if there is none yet).
   * Answers the new version, or null when another write came first (nothing written).
   */
  put(name: string, bytes: Buffer, expectedVersion: number | null): Promise<number | null>;
  /**
   * Runs `work` as the only holder of `name`'s lock among every process of the store (PostgreSQL: an advisory
   * lock; SQLite: an operating-system lock on a file beside the database), so one process learns at a time.
   * The lock dies with its process or connection.
   */
  withLock<T>(name: string, work: () => Promise<T>, options?: ArtifactLockOptions): Promise<T>;
}

/** `withLock` on top of a backend's lock for one name; the waiting loop is the writer lock's. */
export async function runLocked<T>(
  acquire: (options: AcquireWriterOptions) => Promise<WriterLease>,
  work: () => Promise<T>,
  options: ArtifactLockOptions = {},
): Promise<T> {
  const lease = await acquire({
    command: 'gitlore',
    task: 'learning',
    waitMs: options.waitMs ?? Number.POSITIVE_INFINITY,
    signal: options.signal,
    onWait: () => options.onWait?.(),
  });
  try {
    return await work();
  } finally {
    await lease.release();
  }
}

/** The columns of the `artifacts` table both backends read. */
export interface ArtifactRow {
  bytes: Buffer;
  version: number;
  updated_at: string;
}

export function toArtifact(row: ArtifactRow): StoredArtifact {
  return { bytes: row.bytes, version: row.version, updatedAt: row.updated_at };
}
