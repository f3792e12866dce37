import { statfsSync } from 'node:fs';
import { ERROR_CODES, GitloreError } from './errors.js';

/** SQLite's and the file system's ways of saying a write cannot happen: read-only, full, or not permitted. */
export function isUnwritable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return /^SQLITE_(READONLY|FULL)/.test(code) || ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'].includes(code);
}

/** Free bytes for an unprivileged writer in the file system holding `dir`, or null when that cannot be read. */
export function freeBytes(dir: string): number | null {
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return null;
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/**
 * STORE_UNWRITABLE for a failed write under `dir` (the index folder): names the folder, why, and the free space,
 * so the user knows whether to free space or fix permissions. What was written before stays readable.
 */
export function unwritableError(dir: string, error: unknown): GitloreError {
  const code = (error as { code?: string }).code ?? '';
  const full = /FULL|ENOSPC|EDQUOT/.test(code);
  const free = freeBytes(dir);
  const why = full ? 'the disk is full' : /READONLY|EROFS/.test(code) ? 'it is read-only' : 'permission is denied';
  const space = free === null ? '' : ` (${formatBytes(free)} free)`;
  return new GitloreError(ERROR_CODES.STORE_UNWRITABLE, `Cannot write to the data dir ${dir}${space}: ${why}.`, {
    hint: full
      ? 'Free some space there, or set GITLORE_DATA_DIR (or INDEX_PATH) to a folder with room; what is indexed stays searchable.'
      : 'Make it writable (SQLite writes beside the database even to read it), or set GITLORE_DATA_DIR (or INDEX_PATH) to a folder gitlore can write.',
    cause: error,
  });
}
