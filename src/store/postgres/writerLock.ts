import type pg from 'pg';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { describeHolder, holderOf, pollWriterLock, type WriterHolder, type WriterLease, type WriterLock } from '../writerLock.js';
import type { PgDb } from './database.js';

/** Key of the store-wide writer lock among PostgreSQL's advisory locks. */
const STORE_KEY = `hashtext('gitlore.writer')`;
/** A repository's lock: the two-key form, so it never meets the store-wide key (nor another use of advisory locks). */
const REPO_KEY = `hashtext('gitlore.writer.repo'), hashtext($1)`;
/** The holder row of the whole store; a repository's is `repo:<name>`. */
const WHOLE_STORE = '*';

/**
 * The writer lock of a PostgreSQL store: session advisory locks held on a connection of their own, so they die with
 * their process or connection (nothing to clean up after a crash). A writer of the whole store holds the store key
 * exclusively; a writer scoped to some repositories holds it shared plus each repository's key, so writers of
 * different repositories (two `gitlore worker` jobs) run at once while a whole-store writer waits for all of them.
 * `writer_holders` names each holder for the waiting side.
 */
export function createPgWriterLock(db: PgDb): WriterLock {
  // `blocked.key`: the holder row the refused attempt ran into, for the waiting message.
  const tryTake = async (holder: WriterHolder, scope: string[] | null, blocked: { key: string }): Promise<WriterLease | null> => {
    const client: pg.PoolClient = await db.pool.connect();
    const ask = async (sql: string, params: unknown[] = []) => (await client.query<{ ok: boolean }>(sql, params)).rows[0].ok;
    let taken = false;
    try {
      if (!scope) {
        taken = await ask(`SELECT pg_try_advisory_lock(${STORE_KEY}) AS ok`);
        blocked.key = WHOLE_STORE;
        if (!taken) return null;
        // Nobody else writes now: any repository row left is a crashed holder's.
        await client.query('DELETE FROM writer_holders');
        await client.query('INSERT INTO writer_holders (lock_key, holder) VALUES ($1, $2)', [WHOLE_STORE, JSON.stringify(holder)]);
        return leaseOn(client, [WHOLE_STORE]);
      }
      blocked.key = WHOLE_STORE;
      if (!(await ask(`SELECT pg_try_advisory_lock_shared(${STORE_KEY}) AS ok`))) return null;
      taken = true;
      for (const repo of scope) {
        blocked.key = `repo:${repo}`;
        if (!(await ask(`SELECT pg_try_advisory_lock(${REPO_KEY}) AS ok`, [repo]))) {
          await client.query('SELECT pg_advisory_unlock_all()');
          taken = false;
          return null;
        }
      }
      const keys = scope.map((repo) => `repo:${repo}`);
      for (const key of keys) {
        await client.query(
          'INSERT INTO writer_holders (lock_key, holder) VALUES ($1, $2) ON CONFLICT (lock_key) DO UPDATE SET holder = excluded.holder',
          [key, JSON.stringify(holder)],
        );
      }
      return leaseOn(client, keys);
    } catch (error) {
      if (taken) await client.query('SELECT pg_advisory_unlock_all()').catch(() => {});
      taken = false;
      throw error;
    } finally {
      if (!taken) client.release();
    }
  };

  const leaseOn = (client: pg.PoolClient, keys: string[]): WriterLease => {
    let held = true;
    return {
      async release() {
        if (!held) return;
        held = false;
        try {
          await client.query('DELETE FROM writer_holders WHERE lock_key = ANY($1)', [keys]);
          // The connection is this lease's alone: every advisory lock on it is this lease's.
          await client.query('SELECT pg_advisory_unlock_all()');
          client.release();
        } catch {
          // A broken connection already dropped the locks with the session; it must not go back to the pool.
          client.release(true);
        }
      },
    };
  };

  const readHolder = async (key: string): Promise<WriterHolder | null> => {
    // A whole-store writer waits for repository writers: name one of them when the store row is not there.
    const row = await db.row<{ holder: string }>(
      'SELECT holder FROM writer_holders WHERE lock_key = $1 OR $1 = $2 ORDER BY lock_key = $1 DESC, lock_key LIMIT 1',
      [key, WHOLE_STORE],
    );
    try {
      const holder = row ? (JSON.parse(row.holder) as WriterHolder) : null;
      return holder && typeof holder.pid === 'number' ? holder : null;
    } catch {
      return null;
    }
  };

  return {
    acquire: (options) => {
      const scope = options.scope && options.scope.length > 0 ? [...new Set(options.scope)].sort() : null;
      const blocked = { key: WHOLE_STORE };
      const what = scope ? (scope.length === 1 ? `${scope[0]} in ${db.where}` : `${scope.length} repositories in ${db.where}`) : db.where;
      return pollWriterLock(options, {
        tryTake: () => tryTake(holderOf(options), scope, blocked),
        readHolder: () => readHolder(blocked.key),
        lockedError: (holder) =>
          new GitloreError(ERROR_CODES.LOCKED, `${describeHolder(holder)} is writing to ${what}; wait for it or stop it.`),
      });
    },
  };
}
