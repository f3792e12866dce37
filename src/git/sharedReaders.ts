import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { BlobReader } from './blobReader.js';
import type { GitCredentials } from './env.js';

/** A shared reader unused this long is closed (its git processes end). */
const IDLE_MS = 30_000;

interface Entry {
  reader: BlobReader;
  timer: NodeJS.Timeout;
  /** The clone folder's inode when the reader started: a re-clone renames a new folder into place. */
  folder: string;
}

function folderIdentity(cwd: string): string {
  try {
    const stat = statSync(cwd);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return 'missing';
  }
}

const readers = new Map<string, Entry>();

/**
 * The long-lived reader of one clone, shared by every request that reads files of it (get_file,
 * citation checks, file routes) instead of starting git processes per read; closed after 30 s
 * unused, and replaced when its git has exited. One per clone and token: a fetch on demand in a
 * partial clone authenticates with the credentials of the request that started it. A clone replaced
 * under it (a broken one cloned afresh, a repository removed and added again) gets a new reader.
 */
export function sharedReader(cwd: string, credentials?: GitCredentials | null): BlobReader {
  const token = credentials ? createHash('sha256').update(`${credentials.url}\n${credentials.token}`).digest('hex') : '';
  const key = `${cwd}\0${token}`;
  const folder = folderIdentity(cwd);
  let entry = readers.get(key);
  if (entry && (entry.reader.failed || entry.folder !== folder)) {
    clearTimeout(entry.timer);
    entry.reader.close();
    readers.delete(key);
    entry = undefined;
  }
  if (entry) {
    entry.timer.refresh();
    return entry.reader;
  }
  const reader = new BlobReader(cwd, { credentials });
  const timer = setTimeout(() => {
    if (reader.busy) {
      timer.refresh();
      return;
    }
    if (readers.get(key)?.reader === reader) readers.delete(key);
    reader.close();
  }, IDLE_MS);
  timer.unref();
  readers.set(key, { reader, timer, folder });
  return reader;
}

/**
 * Runs `read` with the clone's shared reader, and once more with a new one when its git exited
 * meanwhile (killed, or the clone was replaced under it); other failures are `read`'s own.
 */
export async function withSharedReader<T>(
  cwd: string,
  credentials: GitCredentials | null | undefined,
  read: (reader: BlobReader) => Promise<T>,
): Promise<T> {
  const reader = sharedReader(cwd, credentials);
  try {
    return await read(reader);
  } catch (error) {
    if (!reader.failed) throw error;
    return read(sharedReader(cwd, credentials));
  }
}

/** Closes every shared reader (shutdown, tests). */
export function closeSharedReaders(): void {
  for (const { reader, timer } of readers.values()) {
    clearTimeout(timer);
    reader.close();
  }
  readers.clear();
}
