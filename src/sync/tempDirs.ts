import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Clones are written under `<reposPath>/.tmp/<name>.<pid>.<random>` and renamed into
 * place when complete, so a killed sync never leaves a half-clone where a clone belongs.
 */
export function tempRoot(reposPath: string): string {
  return join(reposPath, '.tmp');
}

export function makeTempPath(reposPath: string, name: string): string {
  const root = tempRoot(reposPath);
  mkdirSync(root, { recursive: true });
  return join(root, `${name}.${process.pid}.${Math.random().toString(36).slice(2, 10)}`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp clones left by processes that no longer run (a `kill -9`, a crash). With `names`, only those
 * repositories' (a sync holding just their writer locks: workers on other machines, whose processes this one cannot
 * see, may be cloning the others into the same shared folder).
 */
export function removeStaleTemps(reposPath: string, names?: readonly string[]): string[] {
  const root = tempRoot(reposPath);
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  const ours = names ? new Set(names) : null;
  for (const entry of readdirSync(root)) {
    if (ours && !ours.has(entry.replace(/\.\d+\.[a-z0-9]+$/, ''))) continue;
    const pid = Number(/\.(\d+)\.[a-z0-9]+$/.exec(entry)?.[1] ?? Number.NaN);
    if (Number.isFinite(pid) && alive(pid)) continue;
    try {
      // An orphaned git from the killed process may still be writing there; retry briefly.
      rmSync(join(root, entry), { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      removed.push(entry);
    } catch {
      // Left for the next sync.
    }
  }
  return removed;
}
