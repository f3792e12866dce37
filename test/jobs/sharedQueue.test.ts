import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../../src/jobs/jobQueue.js';
import { createJobWorker, type JobHandler, type JobWorker, type JobWorkerOptions } from '../../src/jobs/jobWorker.js';
import { createSharedJobQueue, MAX_ATTEMPTS } from '../../src/jobs/sharedQueue.js';
import { createLogger } from '../../src/shared/logger.js';
import type { JobStore } from '../../src/store/index.js';
import { useBackendStores } from '../helpers/backends.js';

const log = createLogger('test', { level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds, polling; fails the test after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('the shared job queue with workers on postgres', () => {
  const openStore = useBackendStores('postgres');
  const workers: JobWorker[] = [];
  const setup = async () => {
    const opened = await openStore();
    const serverStore = opened.store.jobs as JobStore;
    const queue: JobQueue = createSharedJobQueue({
      store: serverStore,
      log,
      intervalSec: 0,
      permissionIntervalSec: 0,
      encodeSources: (sources) => sources,
    });
    /** A worker process of its own: its own store (pool, LISTEN connection) on the same database. */
    const worker = async (handlers: Record<string, JobHandler>, options: Partial<JobWorkerOptions> = {}) => {
      const store = (await opened.reopen()).jobs as JobStore;
      const w = createJobWorker({ store, handlers, concurrency: 2, log, pollMs: 50, retryBaseMs: 100, ...options });
      workers.push(w);
      w.start();
      return w;
    };
    return { queue, store: serverStore, worker };
  };
  const stopAll = async () => {
    for (const w of workers.splice(0)) await w.stop({ abort: true });
  };

  it('spreads repositories over two workers and never runs one repository twice at once', async () => {
    const { queue, worker } = await setup();
    const runningPerRepo = new Map<string, number>();
    const maxPerRepo = new Map<string, number>();
    let running = 0;
    let maxRunning = 0;
    const ranOn = new Set<string>();
    const handler: JobHandler = async (job) => {
      runningPerRepo.set(job.scope, (runningPerRepo.get(job.scope) ?? 0) + 1);
      maxPerRepo.set(job.scope, Math.max(maxPerRepo.get(job.scope) ?? 0, runningPerRepo.get(job.scope) ?? 0));
      maxRunning = Math.max(maxRunning, ++running);
      ranOn.add(String(job.worker).split('/')[0]);
      await sleep(80);
      running -= 1;
      runningPerRepo.set(job.scope, (runningPerRepo.get(job.scope) ?? 0) - 1);
    };
    const repos = ['api', 'web', 'docs', 'cli'];
    const requested = [];
    // Before any worker runs, requests for a repository join its waiting job.
    for (let round = 0; round < 2; round++) {
      for (const repo of repos) requested.push(await queue.enqueue({ kind: 'repo', name: repo }, 'webhook'));
    }
    expect(new Set(requested.map((j) => j.id)).size).toBe(repos.length);
    const a = await worker({ repo: handler }, { id: 'worker-a' });
    const b = await worker({ repo: handler }, { id: 'worker-b' });
    for (let round = 0; round < 3; round++) {
      for (const repo of repos) requested.push(await queue.enqueue({ kind: 'repo', name: repo }, 'webhook'));
      await sleep(30);
    }
    await queue.idle();
    const status = await queue.status();
    expect(status.runningJobs).toEqual([]);
    expect(status.queued).toEqual([]);
    expect([...maxPerRepo.values()].every((n) => n === 1)).toBe(true);
    expect(maxRunning).toBeGreaterThan(1);
    expect(ranOn).toEqual(new Set([a.id, b.id]));
    const done = (await queue.status()).recent;
    expect(done.length).toBeGreaterThan(0);
    expect(done.every((j) => j.state === 'done')).toBe(true);
    await stopAll();
  });

  it('retries a failing job with growing backoff, then dead-letters it where the status shows it', async () => {
    const { queue, worker } = await setup();
    const starts: number[] = [];
    await worker({
      repo: async () => {
        starts.push(Date.now());
        throw new Error('git fetch failed: 503');
      },
    });
    const job = await queue.enqueue({ kind: 'repo', name: 'api' }, 'api');
    await until(async () => (await queue.status()).recent.some((j) => j.id === job.id && j.state === 'dead'));
    const status = await queue.status();
    expect(status.recent.find((j) => j.id === job.id)).toMatchObject({
      state: 'dead',
      kind: 'repo',
      scope: 'api',
      attempts: MAX_ATTEMPTS,
      maxAttempts: MAX_ATTEMPTS,
      error: 'git fetch failed: 503',
    });
    expect(starts).toHaveLength(MAX_ATTEMPTS);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    // 100, 200, 400 ms: each wait at least its backoff, and each longer than the one before.
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(100 * 2 ** i - 5);
    });
    expect(gaps[2]).toBeGreaterThan(gaps[0] as number);
    await stopAll();
  });

  it('shows running jobs with their progress, and gives a stopping worker’s job back for another to finish', async () => {
    const { queue, store, worker } = await setup();
    const first = await worker(
      {
        repo: async (_job, run) => {
          run.info.phase = 'index';
          run.info.progress = { repo: 'api', reposDone: 0, reposTotal: 1, filesDone: 5, filesTotal: 20 };
          run.report();
          await new Promise((resolve) => run.signal.addEventListener('abort', resolve, { once: true }));
          throw run.signal.reason;
        },
      },
      { id: 'stopping', progressMs: 50 },
    );
    const job = await queue.enqueue({ kind: 'repo', name: 'api' }, 'api');
    await until(async () => (await queue.status()).running?.progress?.filesDone === 5);
    const busy = await queue.status();
    expect(busy).toMatchObject({ backend: 'postgres', queued: [], stopped: false, intervalSec: 0 });
    expect(busy.runningJobs).toEqual([
      expect.objectContaining({ id: job.id, state: 'running', phase: 'index', worker: expect.stringMatching(/^stopping\//), attempts: 1 }),
    ]);
    await first.stop({ abort: true });
    expect(await store.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });

    await worker({ repo: async () => {} }, { id: 'finishing' });
    await until(async () => (await store.get(job.id))?.state === 'done');
    expect(await store.get(job.id)).toMatchObject({ worker: expect.stringMatching(/^finishing\//), attempts: 1 });
    await stopAll();
  });

  it('starts a queued job within milliseconds through LISTEN/NOTIFY, not the poll', async () => {
    const { queue, worker } = await setup();
    const started = new Map<string, number>();
    await worker({ repo: async (job) => void started.set(job.scope, performance.now()) }, { pollMs: 30_000 });
    await sleep(300);
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const at = performance.now();
      await queue.enqueue({ kind: 'repo', name: `r${i}` }, 'api');
      await until(() => started.has(`r${i}`), 10_000);
      latencies.push((started.get(`r${i}`) as number) - at);
    }
    latencies.sort((x, y) => x - y);
    const p50 = latencies[10] as number;
    console.log(`enqueue→start: p50 ${p50.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`);
    expect(p50).toBeLessThan(500);
    await stopAll();
  });
});
