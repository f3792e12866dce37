import { createPeriodicTask, type PeriodicTask } from '../../jobs/periodicTask.js';
import type { App } from '../app.js';
import { createContext } from '../context.js';
import { syncAllPermissions } from './permissionSync.js';

export interface PermissionScheduleOptions {
  /** First retry delay after a run with failures (5xx, rate limits); doubles up to the interval. Tests shorten it. */
  retryBaseMs?: number;
  /** Octokit's retry wait unit (1000 = seconds); tests shorten it. */
  githubAfterBaseMs?: number;
}

/**
 * The GitHub permission mirror, refreshed every GITLORE_PERMISSION_SYNC_INTERVAL while `serve` runs with sign-in on,
 * even with `--no-sync`: who may read what must not go stale because code sync is off. It has its own timer beside
 * the job queue, so it never waits behind a long clone or index. A run with failures is retried with backoff for just
 * the users and repositories that failed; their last known access stays meanwhile.
 */
export function createPermissionSchedule(app: App, options: PermissionScheduleOptions = {}): PeriodicTask {
  const log = app.log.child('permissions');
  const intervalMs = app.config.permissionSyncIntervalSec * 1000;
  let pending: { userIds: string[]; repoIds: number[] } | null = null;
  let lastFullRun = 0;
  return createPeriodicTask({
    name: 'permission sync',
    intervalMs,
    retryBaseMs: options.retryBaseMs ?? 60_000,
    log,
    async run(signal) {
      // Retries cover what failed; the interval still brings a full run even while something keeps failing.
      const full = !pending || Date.now() - lastFullRun >= intervalMs;
      if (full) lastFullRun = Date.now();
      const report = await syncAllPermissions(
        { ...(full ? {} : pending), retryAfterBaseMs: options.githubAfterBaseMs },
        createContext(app, { signal }),
      );
      const userIds = report.users.filter((u) => u.status === 'failed').map((u) => u.userId);
      const repoIds = report.repos.failed.map((r) => r.repoId);
      const revoked = report.users.filter((u) => u.status === 'revoked').length;
      log.info(
        `permission sync: ${report.users.length} users, ${report.repos.checked} private repositories in ${report.tookMs}ms` +
          `${userIds.length + repoIds.length > 0 ? `; ${userIds.length} users and ${repoIds.length} repositories failed, retrying` : ''}` +
          `${revoked > 0 ? `; ${revoked} revoked` : ''}`,
      );
      pending = userIds.length + repoIds.length > 0 ? { userIds, repoIds } : null;
      return pending ? 'retry' : 'done';
    },
  });
}
