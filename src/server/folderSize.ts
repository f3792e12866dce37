import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** lstat calls in flight at once inside one folder: enough to keep libuv's threads busy, few enough to leave them to others. */
const STAT_BATCH = 32;

/**
 * Bytes of the regular files under a folder (apparent sizes, as `du --apparent-size -s`), 0 when it does not exist.
 * Symbolic links are not followed, so a work tree's links count nothing and cannot loop. Every step is an awaited
 * fs call: a walk of a million files takes a while but never holds the event loop.
 */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    const files: string[] = [];
    try {
      for await (const entry of await opendir(current)) {
        const path = join(current, entry.name);
        if (entry.isDirectory()) pending.push(path);
        else if (entry.isFile()) files.push(path);
      }
    } catch {
      // Gone or unreadable (a clone removed while we walk): what it held counts nothing.
    }
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      const sizes = await Promise.all(
        files.slice(i, i + STAT_BATCH).map((file) =>
          lstat(file).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      for (const size of sizes) total += size;
    }
  }
  return total;
}

export interface CachedFolderSize {
  /**
   * The folder's bytes: the first call waits for a walk; later ones answer the last result at once and, when it is
   * older than the TTL, start one walk in the background (never two at a time) whose result the next call sees.
   */
  read(): Promise<number>;
  /** Resolves when no walk is running (tests, shutdown). */
  settled(): Promise<void>;
}

/** A folder size measured at most once per `ttlMs`, read without waiting for the walk (stale while it refreshes). */
export function cachedFolderSize(dir: string, options: { ttlMs: number; now?: () => number }): CachedFolderSize {
  const now = options.now ?? Date.now;
  let last: { bytes: number; at: number } | null = null;
  let walking: Promise<number> | null = null;
  const walk = () => {
    walking ??= (async () => {
      const startedAt = now();
      try {
        const bytes = await folderBytes(dir);
        last = { bytes, at: startedAt };
        return bytes;
      } finally {
        walking = null;
      }
    })();
    return walking;
  };
  return {
    async read() {
      if (!last) return walk();
      if (now() - last.at >= options.ttlMs) void walk().catch(() => {});
      return last.bytes;
    },
    async settled() {
      await walking?.catch(() => {});
    },
  };
}
