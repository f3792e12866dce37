/**
 * Where backups are kept: a folder or an S3 prefix, seen as a flat set of keys (`objects/<sha256>`,
 * `backups/<id>.json`). Every write is whole or absent: a folder writes beside the key and renames, S3 publishes
 * an object only once its upload completes.
 */
export interface BackupTarget {
  /** How the target is named in messages (`/srv/backups`, `s3://bucket/prefix`). */
  readonly url: string;
  putFile(key: string, localPath: string, signal?: AbortSignal): Promise<void>;
  putText(key: string, text: string): Promise<void>;
  /** Copies the object to `localPath`; false when there is no such key. */
  getFile(key: string, localPath: string, signal?: AbortSignal): Promise<boolean>;
  /** The object as text, or null when there is no such key. */
  getText(key: string): Promise<string | null>;
  /** Every key under `prefix` (`backups/`), in no particular order. */
  list(prefix: string): Promise<string[]>;
  remove(keys: readonly string[]): Promise<void>;
}

/** What the S3 target takes from the resolved configuration (the credential chain itself stays the SDK's). */
export interface S3TargetSettings {
  /** AWS_ENDPOINT_URL_S3: an S3-compatible server; path-style addressing is used with it. */
  endpoint?: string;
  region?: string;
}
