import { describe, expect, it } from 'vitest';
import type { JobStore, NewJob } from '../../src/store/index.js';
import { useBackendStores } from '../helpers/backends.js';

const job = (lane: string, extra: Partial<NewJob> = {}): NewJob => ({
  kind: 'repo',
  scope: lane,
  lane: `repo:${lane}`,
  reason: 'api',
  maxAttempts: 3,
  ...extra,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The shared job queue exists on PostgreSQL only (an embedded `serve` keeps its jobs in memory). */
describe('the job store on postgres', () => {
  const openStore = useBackendStores('postgres');
  const jobsOf = async () => {
    const opened = await openStore();
    return { ...opened, jobs: opened.store.jobs as JobStore };
  };

  it('is absent on sqlite', async () => {
    const { store } = await useSqlite();
    expect(store.jobs).toBeNull();
  });

  it('joins a request to the job of its lane already waiting, and queues a new one once that one runs', async () => {
    const { jobs } = await jobsOf();
    const first = await jobs.enqueue(job('api'));
    const again = await jobs.enqueue({ ...job('api'), reason: 'webhook' });
    const other = await jobs.enqueue(job('web'));
    expect(first).toMatchObject({ created: true, job: { state: 'queued', lane: 'repo:api', reason: 'api', attempts: 0 } });
    expect(again).toMatchObject({ created: false, job: { id: first?.job.id } });
    expect(other?.job.id).not.toBe(first?.job.id);

    const running = await jobs.claim('w1', 60_000);
    expect(running).toMatchObject({ id: first?.job.id, state: 'running', worker: 'w1', attempts: 1 });
    const during = await jobs.enqueue(job('api'));
    expect(during).toMatchObject({ created: true, job: { state: 'queued' } });
    // The lane is busy: the second worker gets the other repository, then nothing.
    expect(await jobs.claim('w2', 60_000)).toMatchObject({ id: other?.job.id });
    expect(await jobs.claim('w3', 60_000)).toBeNull();
    await jobs.complete(running?.id as number, 'w1', { state: 'done', changed: ['api'], error: null, progress: null });
    expect(await jobs.claim('w3', 60_000)).toMatchObject({ id: during?.job.id, lane: 'repo:api' });
  });

  it('never runs two jobs of one lane at once under concurrent claims from two processes', async () => {
    const { jobs, reopen } = await jobsOf();
    const second = (await reopen()).jobs as JobStore;
    const lanes = ['a', 'b', 'c', 'd'];
    let claimed = 0;
    const seen = new Map<string, number>();
    const worker = async (store: JobStore, name: string) => {
      for (let round = 0; round < 30; round++) {
        const got = await store.claim(name, 60_000);
        if (!got) {
          await sleep(2);
          continue;
        }
        claimed += 1;
        const running = (await store.list()).running.filter((j) => j.lane === got.lane);
        seen.set(got.lane, Math.max(seen.get(got.lane) ?? 0, running.length));
        await sleep(5);
        await store.complete(got.id, name, { state: 'done', changed: null, error: null, progress: null });
      }
    };
    const producer = async () => {
      for (let i = 0; i < 40; i++) {
        await jobs.enqueue(job(lanes[i % lanes.length] as string));
        await sleep(1);
      }
    };
    await Promise.all([producer(), worker(jobs, 'w1'), worker(jobs, 'w2'), worker(second, 'w3'), worker(second, 'w4')]);
    expect(claimed).toBeGreaterThan(lanes.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('retries a failed attempt after its backoff and dead-letters the job when no attempt is left', async () => {
    const { jobs } = await jobsOf();
    const queued = await jobs.enqueue(job('api', { maxAttempts: 2 }));
    const first = await jobs.claim('w1', 60_000);
    const retried = await jobs.fail(first?.id as number, 'w1', 'clone failed', 400);
    expect(retried).toMatchObject({ id: queued?.job.id, state: 'queued', attempts: 1, error: 'clone failed', finishedAt: null });
    expect(Date.parse(retried?.runAfter as string) - Date.now()).toBeGreaterThan(200);
    // Not before its backoff.
    expect(await jobs.claim('w2', 60_000)).toBeNull();
    await sleep(450);
    const second = await jobs.claim('w2', 60_000);
    expect(second).toMatchObject({ id: queued?.job.id, attempts: 2 });
    const dead = await jobs.fail(second?.id as number, 'w2', 'clone failed again', 400);
    expect(dead).toMatchObject({ state: 'dead', attempts: 2, error: 'clone failed again' });
    expect(dead?.finishedAt).not.toBeNull();
    const list = await jobs.list();
    expect(list.queued).toEqual([]);
    expect(list.recent[0]).toMatchObject({ id: queued?.job.id, state: 'dead' });
    // A new request for the lane is a new job.
    expect(await jobs.enqueue(job('api'))).toMatchObject({ created: true });
  });

  it('gives a stopped worker’s job back without counting the attempt, and takes back a silent worker’s job', async () => {
    const { jobs } = await jobsOf();
    await jobs.enqueue(job('api'));
    const taken = await jobs.claim('w1', 60_000);
    expect(await jobs.release(taken?.id as number, 'w1')).toMatchObject({ state: 'queued', attempts: 0 });

    const again = await jobs.claim('w2', 100);
    expect(again).toMatchObject({ id: taken?.id, attempts: 1 });
    expect(await jobs.heartbeat(again?.id as number, 'w2', 100, { phase: 'sync', progress: { reposDone: 0 } })).toBe(true);
    await sleep(150);
    expect(await jobs.reclaimExpired()).toBe(1);
    expect(await jobs.get(taken?.id as number)).toMatchObject({ state: 'queued', attempts: 1 });
    // The silent worker has lost it: its heartbeat and its outcome are refused.
    expect(await jobs.heartbeat(again?.id as number, 'w2', 100, { phase: 'index', progress: null })).toBe(false);
    expect(await jobs.complete(again?.id as number, 'w2', { state: 'done', changed: null, error: null, progress: null })).toBeNull();
    expect(await jobs.claim('w3', 60_000)).toMatchObject({ id: taken?.id, attempts: 2, worker: 'w3' });
  });

  it('records progress, skips an interval request another server made recently, and wakes waiters at once', async () => {
    const { jobs, reopen } = await jobsOf();
    const other = (await reopen()).jobs as JobStore;
    const periodic: NewJob = {
      kind: 'resync',
      scope: 'all',
      lane: 'resync',
      reason: 'interval',
      maxAttempts: 3,
      unlessQueuedWithinMs: 60_000,
    };
    const made = await jobs.enqueue(periodic);
    const claimed = await jobs.claim('w1', 60_000);
    await jobs.complete(claimed?.id as number, 'w1', { state: 'done', changed: [], error: null, progress: null });
    expect(await other.enqueue(periodic)).toMatchObject({ created: false, job: { id: made?.job.id, state: 'done' } });
    expect(await other.enqueue({ ...periodic, unlessQueuedWithinMs: undefined })).toMatchObject({ created: true });

    const started = Date.now();
    const woke = other.waitForWork(10_000);
    await sleep(200);
    await jobs.enqueue(job('api'));
    await woke;
    expect(Date.now() - started).toBeLessThan(5_000);

    const running = await other.claim('w2', 60_000);
    const progress = { repo: 'api', reposDone: 0, reposTotal: 1, filesDone: 3, filesTotal: 9 };
    expect(await other.heartbeat(running?.id as number, 'w2', 60_000, { phase: 'index', progress })).toBe(true);
    expect((await jobs.list()).running[0]).toMatchObject({ phase: 'index', progress });
  });
});

const useSqlite = useBackendStores('sqlite');
