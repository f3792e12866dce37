import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { BackupTarget, S3TargetSettings } from './backupTarget.js';

/** Multipart parts of 16 MiB, 4 in flight: a 10 GB bundle is ~640 parts, well under S3's 10,000. */
const PART_SIZE = 16 * 1024 * 1024;
const QUEUE_SIZE = 4;

function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!match?.[1]) {
    throw new GitloreError(ERROR_CODES.USAGE, `${url} names no bucket.`, { hint: 'Write it as s3://bucket or s3://bucket/prefix.' });
  }
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * S3 (or an S3-compatible server) through the AWS SDK: the standard credential chain (env, profile, SSO, instance
 * role); with an endpoint set (AWS_ENDPOINT_URL_S3), path-style addressing and checksums only where the API needs them,
 * which S3-compatible servers accept (the backup's own sha256s check every object on restore).
 */
export function openS3Target(url: string, settings: S3TargetSettings): BackupTarget {
  const { bucket, prefix } = parseS3Url(url);
  const client = new S3Client({
    region: settings.region ?? 'us-east-1',
    ...(settings.endpoint
      ? {
          endpoint: settings.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
  const full = (key: string) => (prefix ? `${prefix}/${key}` : key);
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof GitloreError || (error as Error).name === 'AbortError') throw error;
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      const auth = status === 403 || e.name === 'CredentialsProviderError' || e.name === 'AccessDenied';
      throw new GitloreError(
        auth ? ERROR_CODES.AUTH_FAILED : ERROR_CODES.NETWORK,
        `S3 ${what} in ${url} failed: ${e.name ?? 'Error'}${e.message ? `: ${e.message}` : ''}.`,
        {
          hint: auth
            ? 'Check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the instance role) and the bucket policy.'
            : 'Check the bucket name, AWS_REGION, and AWS_ENDPOINT_URL_S3 for an S3-compatible server.',
          cause: error,
        },
      );
    }
  };
  return {
    url: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
    putFile: (key, localPath, signal) =>
      wrap(`upload of ${key}`, async () => {
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key: full(key), Body: createReadStream(localPath) },
          partSize: PART_SIZE,
          queueSize: QUEUE_SIZE,
        });
        const abort = () => void upload.abort();
        signal?.addEventListener('abort', abort, { once: true });
        try {
          await upload.done();
        } finally {
          signal?.removeEventListener('abort', abort);
        }
      }),
    putText: (key, text) =>
      wrap(`upload of ${key}`, async () => {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: full(key), Body: text, ContentType: 'application/json' }));
      }),
    getFile: (key, localPath, signal) =>
      wrap(`download of ${key}`, async () => {
        try {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) }), { abortSignal: signal });
          await mkdir(dirname(localPath), { recursive: true });
          await pipeline(out.Body as Readable, createWriteStream(localPath), { signal });
          return true;
        } catch (error) {
          if (isNotFound(error)) return false;
          throw error;
        }
      }),
    getText: (key) =>
      wrap(`download of ${key}`, async () => {
        try {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) }));
          return (await out.Body?.transformToString('utf8')) ?? '';
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      }),
    list: (listPrefix) =>
      wrap(`listing of ${listPrefix}`, async () => {
        const keys: string[] = [];
        const base = prefix ? `${prefix}/` : '';
        let token: string | undefined;
        do {
          const page: ListObjectsV2CommandOutput = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: `${base}${listPrefix}`, ContinuationToken: token }),
          );
          for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(base.length));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return keys;
      }),
    remove: (keys) =>
      wrap('delete', async () => {
        // One call per key: DeleteObjects needs a Content-MD5 or checksum header some S3-compatible servers reject.
        for (const key of keys) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: full(key) }));
      }),
  };
}
