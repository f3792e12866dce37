export {
  type BackupEvent,
  type BackupOptions,
  type BackupReport,
  type BackupReportItem,
  createBackup,
  listBackupIds,
  type PruneReport,
  pruneBackups,
} from './backup.js';
export { type BackupScheduleOptions, createBackupSchedule } from './backupSchedule.js';
export type { Manifest, ManifestItem } from './manifest.js';
export { type RebuildEvent, type RebuildReport, rebuildRestored } from './rebuild.js';
export { type RestoreEvent, type RestoreOptions, type RestoreReport, restoreBackup } from './restore.js';
export { type BackupTarget, folderTarget, openBackupTarget, type S3TargetSettings } from './target.js';
