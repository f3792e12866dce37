import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { BackupTarget, S3TargetSettings } from './backupTarget.js';

export type { BackupTarget, S3TargetSettings } from './backupTarget.js';

/** Opens the target a `--to` / `--from` / GITLORE_BACKUP_URL value names: `s3://bucket/prefix` or a folder. */
export async function openBackupTarget(url: string, options: { cwd?: string; s3?: S3TargetSettings } = {}): Promise<BackupTarget> {
  if (/^s3:\/\//i.test(url)) {
    const { openS3Target } = await import('./s3Target.js');
    return openS3Target(url, options.s3 ?? {});
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new GitloreError(ERROR_CODES.USAGE, `Unsupported backup location ${url}.`, {
      hint: 'Give a folder path or s3://bucket/prefix.',
    });
  }
  return folderTarget(resolve(options.cwd ?? '.', url));
}

function assertKey(key: string): void {
  if (key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new GitloreError(ERROR_CODES.BACKUP_INVALID, `Backup key "${key}" is not a plain relative path.`);
  }
}

export function folderTarget(root: string): BackupTarget {
  const pathOf = (key: string) => {
    assertKey(key);
    return join(root, ...key.split('/'));
  };
  const partial = (path: string) => `${path}.partial-${randomBytes(4).toString('hex')}`;
  return {
    url: root,
    async putFile(key, localPath) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = partial(path);
      await copyFile(localPath, temp);
      await rename(temp, path);
    },
    async putText(key, text) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = partial(path);
      await writeFile(temp, text);
      await rename(temp, path);
    },
    async getFile(key, localPath) {
      try {
        await mkdir(dirname(localPath), { recursive: true });
        await copyFile(pathOf(key), localPath);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
    async getText(key) {
      try {
        return await readFile(pathOf(key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async list(prefix) {
      const dir = prefix.replace(/\/$/, '');
      try {
        const entries = await readdir(join(root, ...dir.split('/')), { recursive: true, withFileTypes: true });
        return entries
          .filter((e) => e.isFile() && !e.name.includes('.partial-'))
          .map(
            (e) =>
              `${dir}/${join(e.parentPath, e.name)
                .slice(join(root, dir).length + 1)
                .split('\\')
                .join('/')}`,
          );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    async remove(keys) {
      for (const key of keys) await rm(pathOf(key), { force: true });
    },
  };
}
