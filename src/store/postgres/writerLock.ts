import type pg from 'pg';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { describeHolder, holderOf, pollWriterLock, type WriterHolder, type WriterLease, type WriterLock } from '../writerLock.js';
import type { PgDb } from './database.js';

/** Key of the store-wide writer lock among PostgreSQL's advisory locks (hashtext('gitlore.writer')). */
const LOCK_KEY = `hashtext('gitlore.writer')`;

/**
 * The writer lock of a PostgreSQL store: a session advisory lock held on a connection of its own, so it dies
 * with its process or its connection (nothing to clean up after a crash); the `writer_holder` row names the
 * holder for the waiting side.
 */
export function createPgWriterLock(db: PgDb): WriterLock {
  const tryTake = async (holder: WriterHolder): Promise<WriterLease | null> => {
    const client: pg.PoolClient = await db.pool.connect();
    let taken = false;
    try {
      taken = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS ok`)).rows[0].ok;
      if (!taken) return null;
      await client.query(`INSERT INTO writer_holder (id, holder) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET holder = excluded.holder`, [
        JSON.stringify(holder),
      ]);
    } catch (error) {
      if (taken) await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => {});
      client.release();
      throw error;
    } finally {
      if (!taken) client.release();
    }
    let held = true;
    return {
      async release() {
        if (!held) return;
        held = false;
        try {
          await client.query('DELETE FROM writer_holder WHERE id = 1');
          await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
          client.release();
        } catch {
          // A broken connection already dropped the lock with the session; it must not go back to the pool.
          client.release(true);
        }
      },
    };
  };

  const readHolder = async (): Promise<WriterHolder | null> => {
    const row = await db.row<{ holder: string }>('SELECT holder FROM writer_holder WHERE id = 1');
    try {
      const holder = row ? (JSON.parse(row.holder) as WriterHolder) : null;
      return holder && typeof holder.pid === 'number' ? holder : null;
    } catch {
      return null;
    }
  };

  return {
    acquire: (options) =>
      pollWriterLock(options, {
        tryTake: () => tryTake(holderOf(options)),
        readHolder,
        lockedError: (holder) =>
          new GitloreError(ERROR_CODES.LOCKED, `${describeHolder(holder)} is writing to ${db.where}; wait for it or stop it.`),
      }),
  };
}
