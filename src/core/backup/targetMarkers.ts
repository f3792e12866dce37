import { hostname } from 'node:os';
import type { BackupTarget } from './backupTarget.js';

/** `pending/<backup id>.json`: a backup is uploading objects its manifest (not written yet) will name. */
export const PENDING_PREFIX = 'pending/';
/** `pruning/<random>.json`: a prune is deciding which objects no manifest names, and deleting them. */
export const PRUNING_PREFIX = 'pruning/';

/** How often a held marker is written again; a marker not refreshed for STALE_MARKER_MS is a dead process's. */
export const MARKER_REFRESH_MS = 60_000;
export const STALE_MARKER_MS = 15 * 60_000;
/** How often a backup looks again whether the prune it waits for is over. */
const PRUNE_POLL_MS = 250;

interface MarkerBody {
  startedAt: string;
  refreshedAt: string;
  host: string;
  pid: number;
}

export interface HeldMarker {
  /** Deletes the marker and stops refreshing it. Idempotent. */
  release(): Promise<void>;
}

/**
 * Writes a marker object and keeps it fresh (every MARKER_REFRESH_MS) until released. Backups and prunes of one
 * target see each other's markers, which is how neither needs a lock the storage may not offer (S3 has no
 * create-if-absent everywhere): see `pruneBackups`.
 */
export async function holdMarker(target: BackupTarget, key: string, now: () => Date = () => new Date()): Promise<HeldMarker> {
  const startedAt = now().toISOString();
  const write = () =>
    target.putText(
      key,
      `${JSON.stringify({ startedAt, refreshedAt: now().toISOString(), host: hostname(), pid: process.pid } satisfies MarkerBody)}\n`,
    );
  await write();
  let released = false;
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    writing = write().catch(() => {});
  }, MARKER_REFRESH_MS);
  timer.unref();
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await writing;
      await target.remove([key]);
    },
  };
}

/** The markers under `prefix`: live ones, and those not refreshed for STALE_MARKER_MS (their process died). */
export async function readMarkers(
  target: BackupTarget,
  prefix: string,
  options: { except?: string; now?: Date } = {},
): Promise<{ live: string[]; stale: string[] }> {
  const now = (options.now ?? new Date()).getTime();
  const live: string[] = [];
  const stale: string[] = [];
  for (const key of await target.list(prefix)) {
    if (key === options.except || !key.endsWith('.json')) continue;
    const text = await target.getText(key);
    if (text === null) continue; // released meanwhile
    let refreshed = Number.NaN;
    try {
      refreshed = Date.parse((JSON.parse(text) as Partial<MarkerBody>).refreshedAt ?? '');
    } catch {
      // Markers are written whole (a rename, an S3 put), so one that does not parse is no process's: stale.
    }
    if (!Number.isFinite(refreshed) || now - refreshed > STALE_MARKER_MS) stale.push(key);
    else live.push(key);
  }
  return { live, stale };
}

/** Waits while a live prune runs on the target (a backup must not decide what to reuse while objects are deleted). */
export async function waitWhilePruning(target: BackupTarget, signal: AbortSignal, onWait?: () => void): Promise<void> {
  let told = false;
  for (;;) {
    const { live } = await readMarkers(target, PRUNING_PREFIX);
    if (live.length === 0) return;
    if (!told) onWait?.();
    told = true;
    signal.throwIfAborted();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, PRUNE_POLL_MS);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
