import type pg from 'pg';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { type ArtifactRow, type ArtifactStore, runLocked, toArtifact } from '../artifactStore.js';
import { pollWriterLock, type WriterLease } from '../writerLock.js';
import type { PgDb } from './database.js';
import { changedRows } from './rowCount.js';

/** An artifact's learning lock: two-key advisory locks of their own, apart from the writer lock's keys. */
const LOCK_KEY = `hashtext('gitlore.artifact'), hashtext($1)`;

/** Artifacts in the `artifacts` table (bytea); the learning lock is a session advisory lock on a connection of its own. */
export function createPgArtifactStore(db: PgDb): ArtifactStore {
  const tryLock = async (name: string): Promise<WriterLease | null> => {
    const client: pg.PoolClient = await db.pool.connect();
    let taken = false;
    try {
      taken = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS ok`, [name])).rows[0].ok;
    } finally {
      if (!taken) client.release();
    }
    if (!taken) return null;
    return {
      async release() {
        try {
          await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [name]);
          client.release();
        } catch {
          // A broken connection already dropped the lock with its session; it must not go back to the pool.
          client.release(true);
        }
      },
    };
  };

  return {
    async get(name) {
      const row = await db.row<ArtifactRow>('SELECT bytes, version, updated_at FROM artifacts WHERE name = $1', [name]);
      return row ? toArtifact(row) : null;
    },
    async version(name) {
      return (await db.row<{ version: number }>('SELECT version FROM artifacts WHERE name = $1', [name]))?.version ?? null;
    },
    async put(name, bytes, expectedVersion) {
      const now = new Date().toISOString();
      if (expectedVersion === null) {
        const inserted = await changedRows(
          db.pool,
          'INSERT INTO artifacts (name, bytes, version, updated_at) VALUES ($1, $2, 1, $3) ON CONFLICT (name) DO NOTHING',
          [name, bytes, now],
        );
        return inserted > 0 ? 1 : null;
      }
      const updated = await changedRows(
        db.pool,
        'UPDATE artifacts SET bytes = $1, version = version + 1, updated_at = $2 WHERE name = $3 AND version = $4',
        [bytes, now, name, expectedVersion],
      );
      return updated > 0 ? expectedVersion + 1 : null;
    },
    withLock: (name, work, options) =>
      runLocked(
        (acquire) =>
          pollWriterLock(acquire, {
            tryTake: () => tryLock(name),
            readHolder: async () => null,
            lockedError: () =>
              new GitloreError(ERROR_CODES.LOCKED, `Another gitlore process is learning ${name} in ${db.where}; wait for it or stop it.`),
          }),
        work,
        options,
      ),
  };
}
