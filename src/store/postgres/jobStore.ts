import type pg from 'pg';
import type { JobList, JobRecord, JobStore, NewJob } from '../jobStore.js';
import type { PgDb } from './database.js';

const CHANNEL = 'gitlore_jobs';
/** Finished jobs are kept this long for the status pages; dead-lettered ones longer, for someone to look at. */
const KEEP_FINISHED = `interval '7 days'`;
const KEEP_DEAD = `interval '30 days'`;

const FIELDS: [string, string][] = [
  ['id', 'id'],
  ['kind', 'kind'],
  ['scope', 'scope'],
  ['lane', 'lane'],
  ['reason', 'reason'],
  ['payload', 'payload'],
  ['state', 'state'],
  ['phase', 'phase'],
  ['progress', 'progress'],
  ['changed', 'changed'],
  ['error', 'error'],
  ['attempts', 'attempts'],
  ['max_attempts', 'maxAttempts'],
  ['worker', 'worker'],
  ['queued_at', 'queuedAt'],
  ['run_after', 'runAfter'],
  ['started_at', 'startedAt'],
  ['finished_at', 'finishedAt'],
];
const columns = (alias = 'jobs') => FIELDS.map(([column, key]) => `${alias}.${column} AS "${key}"`).join(', ');
const COLUMNS = columns();
const RETURNING = `RETURNING ${COLUMNS}`;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value === null ? null : String(value));

function toRecord(row: Record<string, unknown> | undefined | null): JobRecord | null {
  if (!row) return null;
  return {
    ...(row as unknown as JobRecord),
    queuedAt: iso(row.queuedAt) as string,
    runAfter: iso(row.runAfter) as string,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
const ms = (param: string) => `(${param}::double precision * interval '1 millisecond')`;

/** The shared job queue on PostgreSQL; `close` ends its LISTEN connection (before the pool ends). */
export function createPgJobStore(db: PgDb): JobStore & { close(): Promise<void> } {
  const waiters = new Set<() => void>();
  let listener: Promise<pg.PoolClient | null> | null = null;
  let closed = false;

  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  // One LISTEN connection per store, opened by the first wait; if it breaks, waits fall back to their timeout.
  const listen = () => {
    listener ??= (async () => {
      try {
        const client = await db.pool.connect();
        client.on('notification', wakeAll);
        client.on('error', () => {
          // The next wait listens on a new connection; this one must not go back to the pool.
          listener = null;
          client.release(true);
        });
        await client.query(`LISTEN ${CHANNEL}`);
        if (closed) {
          client.release(true);
          return null;
        }
        return client;
      } catch {
        listener = null;
        return null;
      }
    })();
    return listener;
  };

  const settle = async (sql: string, params: unknown[]): Promise<JobRecord | null> => toRecord(await db.row(sql, params));

  return {
    async enqueue(job: NewJob) {
      return db.tx(async (client) => {
        // Serializes requests of one lane, so `unlessQueuedWithinMs` is decided once however many servers ask.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gitlore.jobs:${job.lane}`]);
        const waiting = toRecord(
          (await client.query(`SELECT ${COLUMNS} FROM jobs WHERE lane = $1 AND state = 'queued'`, [job.lane])).rows[0],
        );
        if (waiting) return { job: waiting, created: false };
        if (job.unlessQueuedWithinMs !== undefined) {
          const recent = toRecord(
            (
              await client.query(
                `SELECT ${COLUMNS} FROM jobs WHERE lane = $1 AND queued_at > now() - ${ms('$2')} ORDER BY id DESC LIMIT 1`,
                [job.lane, job.unlessQueuedWithinMs],
              )
            ).rows[0],
          );
          if (recent) return { job: recent, created: false };
        }
        const created = toRecord(
          (
            await client.query(
              `INSERT INTO jobs (kind, scope, lane, reason, payload, max_attempts) VALUES ($1, $2, $3, $4, $5, $6) ${RETURNING}`,
              [job.kind, job.scope, job.lane, job.reason, json(job.payload), job.maxAttempts],
            )
          ).rows[0],
        ) as JobRecord;
        // Delivered at commit, to every worker listening.
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, String(created.id)]);
        return { job: created, created: true };
      });
    },

    async claim(worker, leaseMs) {
      try {
        return await settle(
          `WITH next AS (
             SELECT j.id FROM jobs j
             WHERE j.state = 'queued' AND j.run_after <= now()
               AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.lane = j.lane AND r.state = 'running')
             ORDER BY j.run_after, j.id
             LIMIT 1
             FOR UPDATE SKIP LOCKED)
           UPDATE jobs SET state = 'running', worker = $1, attempts = attempts + 1, started_at = now(),
             lease_until = now() + ${ms('$2')}, finished_at = NULL, phase = NULL, progress = NULL, error = NULL
           FROM next WHERE jobs.id = next.id
           ${RETURNING}`,
          [worker, leaseMs],
        );
      } catch (error) {
        // Another worker started this lane's job between our look and our update: nothing for us this time.
        if ((error as { code?: string }).code === '23505') return null;
        throw error;
      }
    },

    async heartbeat(id, worker, leaseMs, update) {
      const rows = await db.rows(
        `UPDATE jobs SET lease_until = now() + ${ms('$3')}, phase = $4, progress = $5
         WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING id`,
        [id, worker, leaseMs, update.phase, json(update.progress)],
      );
      return rows.length > 0;
    },

    complete(id, worker, result) {
      return settle(
        `UPDATE jobs SET state = $3, changed = $4, error = $5, progress = $6, finished_at = now(), lease_until = NULL,
           payload = NULL
         WHERE id = $1 AND worker = $2 AND state = 'running' ${RETURNING}`,
        [id, worker, result.state, json(result.changed), result.error, json(result.progress)],
      );
    },

    async fail(id, worker, error, retryInMs) {
      const again = async () =>
        settle(
          `UPDATE jobs j SET error = $3, lease_until = NULL,
             state = CASE
               WHEN EXISTS (SELECT 1 FROM jobs q WHERE q.lane = j.lane AND q.state = 'queued') THEN 'failed'
               WHEN j.attempts >= j.max_attempts THEN 'dead'
               ELSE 'queued' END,
             run_after = now() + ${ms('$4')},
             finished_at = CASE WHEN j.attempts >= j.max_attempts
               OR EXISTS (SELECT 1 FROM jobs q WHERE q.lane = j.lane AND q.state = 'queued') THEN now() END
           WHERE j.id = $1 AND j.worker = $2 AND j.state = 'running' RETURNING ${columns('j')}`,
          [id, worker, error, retryInMs],
        );
      try {
        return await again();
      } catch (err) {
        // A request of the lane was queued between the check and the update: it does the work.
        if ((err as { code?: string }).code !== '23505') throw err;
        return settle(
          `UPDATE jobs SET state = 'failed', error = $3, lease_until = NULL, finished_at = now()
           WHERE id = $1 AND worker = $2 AND state = 'running' ${RETURNING}`,
          [id, worker, error],
        );
      }
    },

    async release(id, worker) {
      const requeue = `UPDATE jobs j SET lease_until = NULL, attempts = greatest(j.attempts - 1, 0), run_after = now(),
           state = CASE WHEN EXISTS (SELECT 1 FROM jobs q WHERE q.lane = j.lane AND q.state = 'queued') THEN 'cancelled'
             ELSE 'queued' END,
           finished_at = CASE WHEN EXISTS (SELECT 1 FROM jobs q WHERE q.lane = j.lane AND q.state = 'queued') THEN now() END,
           error = 'stopped with its worker; back in the queue'
         WHERE j.id = $1 AND j.worker = $2 AND j.state = 'running' RETURNING ${columns('j')}`;
      try {
        const job = await settle(requeue, [id, worker]);
        if (job?.state === 'queued') await db.rows('SELECT pg_notify($1, $2)', [CHANNEL, String(id)]);
        return job;
      } catch (err) {
        if ((err as { code?: string }).code !== '23505') throw err;
        return settle(
          `UPDATE jobs SET state = 'cancelled', lease_until = NULL, finished_at = now() WHERE id = $1 AND worker = $2 AND state = 'running' ${RETURNING}`,
          [id, worker],
        );
      }
    },

    async reclaimExpired() {
      return db.tx(async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('gitlore.jobs.reclaim'))`);
        const lost = 'its worker stopped answering (lease expired)';
        // A lost job whose lane has a newer request waiting leaves the work to that one.
        const superseded = await client.query(
          `UPDATE jobs j SET state = 'failed', error = $1, lease_until = NULL, finished_at = now()
           WHERE j.state = 'running' AND j.lease_until < now()
             AND EXISTS (SELECT 1 FROM jobs q WHERE q.lane = j.lane AND q.state = 'queued')`,
          [lost],
        );
        const requeued = await client.query(
          `UPDATE jobs SET error = $1, lease_until = NULL, run_after = now(),
             state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
             finished_at = CASE WHEN attempts >= max_attempts THEN now() END
           WHERE state = 'running' AND lease_until < now()`,
          [lost],
        );
        await client.query(
          `DELETE FROM jobs WHERE (state IN ('done', 'failed', 'cancelled') AND finished_at < now() - ${KEEP_FINISHED})
             OR (state = 'dead' AND finished_at < now() - ${KEEP_DEAD})`,
        );
        const count = (superseded.rowCount ?? 0) + (requeued.rowCount ?? 0);
        if (count > 0) await client.query('SELECT pg_notify($1, $2)', [CHANNEL, 'reclaimed']);
        return count;
      });
    },

    async get(id) {
      return toRecord(await db.row(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]));
    },

    async list(options = {}): Promise<JobList> {
      const [running, queued, recent] = await Promise.all([
        db.rows(`SELECT ${COLUMNS} FROM jobs WHERE state = 'running' ORDER BY started_at, id`),
        db.rows(`SELECT ${COLUMNS} FROM jobs WHERE state = 'queued' ORDER BY run_after, id LIMIT 200`),
        db.rows(`SELECT ${COLUMNS} FROM jobs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT $1`, [
          options.recent ?? 10,
        ]),
      ]);
      const all = (rows: Record<string, unknown>[]) => rows.map((r) => toRecord(r) as JobRecord);
      return { running: all(running), queued: all(queued), recent: all(recent) };
    },

    async waitForWork(ms, signal) {
      if (signal?.aborted) return;
      await listen();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },

    async close() {
      closed = true;
      wakeAll();
      const client = await listener?.catch(() => null);
      listener = null;
      if (client) {
        await client.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
        client.release();
      }
    },
  };
}
