import { runOncePerInterval } from '../../jobs/oncePerInterval.js';
import { createPeriodicTask, type PeriodicTask } from '../../jobs/periodicTask.js';
import type { App } from '../app.js';
import { createContext } from '../context.js';
import { createBackup } from './backup.js';

/** The store artifact (and lock) that records whose turn the scheduled backup was, and when. */
const BACKUP_TURN = 'schedule:backup';

export interface BackupScheduleOptions {
  /** Recorded in each manifest. */
  version: string;
  /** First retry delay after a failed backup; doubles up to the interval. Tests shorten it. */
  retryBaseMs?: number;
  /** Between backups; GITLORE_BACKUP_INTERVAL when absent (tests shorten it). */
  intervalMs?: number;
  /** Before the first backup; one interval when absent (the start-up sync and index come first). Tests shorten it. */
  firstRunMs?: number;
  /** Called after each backup that completed (tests wait on it). */
  onBackup?: (id: string) => void;
  /** Called when a tick leaves the backup to another process of the same store (tests wait on it). */
  onSkip?: (reason: string) => void;
}

/**
 * Backs up to GITLORE_BACKUP_URL every GITLORE_BACKUP_INTERVAL seconds while `serve` runs, on its own timer beside the
 * job queue (a backup never waits behind a long index, and never delays one): the database snapshot runs in a worker
 * thread and the bundles in git subprocesses, so requests keep being answered. Runs one at a time, first one interval
 * after start; several `serve` processes on one database take turns, one backup per interval between them. With
 * GITLORE_BACKUP_KEEP the oldest backups beyond that many are pruned after each one, as `gitlore backup --keep`. A
 * failed run is retried with backoff; its partial objects carry no manifest and are reused next time.
 */
export function createBackupSchedule(app: App, options: BackupScheduleOptions): PeriodicTask | null {
  const url = app.config.backupUrl;
  if (!url) return null;
  const log = app.log.child('backup');
  const intervalMs = options.intervalMs ?? app.config.backupIntervalSec * 1000;
  return createPeriodicTask({
    name: 'scheduled backup',
    intervalMs,
    // The first backup waits one interval: the start-up sync and index come first.
    initialDelayMs: options.firstRunMs ?? intervalMs,
    retryBaseMs: options.retryBaseMs ?? 60_000,
    log,
    async run(signal) {
      // Every `serve` of a shared database arms this timer; the turn goes to one of them per interval. 90% of it, so
      // a process whose timer fires a little early (it counts from the end of its last run) still takes its turn.
      const turn = await runOncePerInterval(app.store.artifacts, { name: BACKUP_TURN, gapMs: intervalMs * 0.9 }, () =>
        createBackup({ to: url, keep: app.config.backupKeep, version: options.version }, createContext(app, { signal })),
      );
      if (!turn.ran) {
        log.debug(`scheduled backup left to another gitlore process of this store (${turn.reason})`);
        options.onSkip?.(turn.reason);
        return 'done';
      }
      const report = turn.value;
      log.info(
        `backup ${report.id} to ${report.target}: ${report.items.length} items, ${report.writtenBytes} bytes written, ${report.reusedBytes} reused, ${report.tookMs}ms`,
      );
      if (report.removed.length > 0)
        log.info(`backup ${report.id}: pruned ${report.removed.join(', ')} (GITLORE_BACKUP_KEEP=${app.config.backupKeep})`);
      for (const f of report.failed) log.warn(`backup ${report.id}: the clone of ${f.repo} could not be bundled`, { error: f.error });
      options.onBackup?.(report.id);
      return 'done';
    },
  });
}
