import { accessSync, constants, realpathSync, type Stats, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { ResolvedConfig } from './types.js';

/** Kernel file systems: no place for a database, and creating folders in /proc makes Node's mkdir loop forever. */
const KERNEL_ROOTS = ['/proc', '/sys', '/dev'];
/** statfs magic numbers of procfs and sysfs, for a kernel file system mounted somewhere else. */
const KERNEL_FS_TYPES = new Set([0x9fa0, 0x62656572]);

type FolderKey = 'dataDir' | 'indexPath' | 'reposPath';
const ENV_NAMES: Record<FolderKey, string> = { dataDir: 'GITLORE_DATA_DIR', indexPath: 'INDEX_PATH', reposPath: 'REPOS_PATH' };

/**
 * Checks the data dir (and INDEX_PATH / REPOS_PATH when set) before anything opens or creates a file there:
 * each must be a folder, or creatable under one gitlore can write, and not in a kernel file system. Only stat
 * calls, so a bad value fails at once instead of hanging (a database in /proc never opens) or surfacing as a
 * raw ENOTDIR. A folder that exists but is read-only passes: reading it still works, and writes say
 * STORE_UNWRITABLE.
 */
export function checkDataDirs(config: Pick<ResolvedConfig, 'dataDir' | 'indexPath' | 'reposPath' | 'origins' | 'configFile'>): void {
  checkFolder(config, 'dataDir', config.dataDir);
  if (config.origins.indexPath !== 'default') checkFolder(config, 'indexPath', config.indexPath);
  if (config.origins.reposPath !== 'default') checkFolder(config, 'reposPath', config.reposPath);
}

function checkFolder(config: Pick<ResolvedConfig, 'origins' | 'configFile'>, key: FolderKey, path: string): void {
  const origin = config.origins[key];
  const named =
    origin === 'flag' ? `--data-dir=${path}` : origin === 'file' ? `${key} "${path}" in ${config.configFile}` : `${ENV_NAMES[key]}=${path}`;
  const refuse = (problem: string) =>
    new GitloreError(ERROR_CODES.CONFIG_INVALID, `${named} ${problem}; set it to a folder gitlore can write.`);
  const { existing, stats } = nearestExisting(path);
  if (!stats) throw refuse('cannot be read');
  if (existing === path && !stats.isDirectory()) throw refuse('is not a directory');
  const real = safeRealpath(existing);
  const kernelRoot = KERNEL_ROOTS.find((root) => real === root || real.startsWith(`${root}/`));
  if (kernelRoot || isKernelFs(existing)) throw refuse(`is in ${kernelRoot ?? 'a kernel file system'}, not a folder for data`);
  if (!stats.isDirectory()) throw refuse(`cannot be created: ${existing} is not a directory`);
  if (existing !== path) {
    try {
      accessSync(existing, constants.W_OK);
    } catch {
      throw refuse(`cannot be created: ${existing} is not writable`);
    }
  }
}

/** The path itself or its nearest ancestor that exists, with its stats (null when even that cannot be read). */
function nearestExisting(path: string): { existing: string; stats: Stats | null } {
  let probe = path;
  for (;;) {
    try {
      return { existing: probe, stats: statSync(probe) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = dirname(probe);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === probe) return { existing: probe, stats: null };
      probe = parent;
    }
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isKernelFs(path: string): boolean {
  try {
    return KERNEL_FS_TYPES.has(Number(statfsSync(path).type));
  } catch {
    return false;
  }
}
