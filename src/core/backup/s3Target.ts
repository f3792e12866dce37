import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { BackupTarget, S3TargetSettings } from './backupTarget.js';

export function openS3Target(url: string, _settings: S3TargetSettings): BackupTarget {
  throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `S3 backup locations (${url}) are not supported yet.`, {
    hint: 'Back up to a folder and copy it to S3 with your own tool.',
  });
}
