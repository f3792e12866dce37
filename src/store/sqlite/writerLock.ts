import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { describeHolder, holderOf, pollWriterLock, type WriterHolder, type WriterLease, type WriterLock } from '../writerLock.js';

/**
 * The writer lock of a SQLite store: an exclusive transaction on `writer.lock`, an empty SQLite file beside
 * the database. SQLite takes it with an operating-system file lock, so it is atomic, works between
 * connections of one process as between processes, and dies with its process: a `kill -9`'d holder leaves
 * nothing to clean up and no pid to check. `writer.json` beside it names the holder for the waiting side.
 * `name` gives another lock of the same kind (`artifacts`: one process learns the embedding model at a time).
 */
export function createSqliteWriterLock(dbPath: string, name = 'writer'): WriterLock {
  const dir = dirname(dbPath);
  const lockPath = join(dir, `${name}.lock`);
  const infoPath = join(dir, `${name}.json`);

  const tryTake = (): Database.Database | null => {
    mkdirSync(dir, { recursive: true });
    const db = new Database(lockPath, { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
      return db;
    } catch (error) {
      db.close();
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return null;
      throw error;
    }
  };

  const readHolder = (): WriterHolder | null => {
    try {
      const holder = JSON.parse(readFileSync(infoPath, 'utf8')) as WriterHolder;
      return typeof holder.pid === 'number' ? holder : null;
    } catch {
      return null;
    }
  };

  const writeHolder = (holder: WriterHolder) => {
    const tmp = `${infoPath}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(holder)}\n`);
    renameSync(tmp, infoPath);
  };

  const lease = (db: Database.Database): WriterLease => {
    let held = true;
    return {
      async release() {
        if (!held) return;
        held = false;
        rmSync(infoPath, { force: true });
        db.exec('ROLLBACK');
        db.close();
      },
    };
  };

  return {
    acquire: (options) =>
      pollWriterLock(options, {
        tryTake: async () => {
          const db = tryTake();
          if (!db) return null;
          writeHolder(holderOf(options));
          return lease(db);
        },
        readHolder: async () => readHolder(),
        lockedError: (holder) => lockedError(holder, dir),
      }),
  };
}

/** `Another gitlore process (pid 1234, `gitlore index --full`, indexing since 12:00:01) is writing to <dir>…` */
export function lockedError(holder: WriterHolder | null, dir: string): GitloreError {
  return new GitloreError(ERROR_CODES.LOCKED, `${describeHolder(holder)} is writing to ${dir}; wait for it or stop it.`);
}
