import { describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.js';
import { type JobInfo, type JobRunner, JobScheduler, trackProgress } from './scheduler.js';

/** A runner that records calls and lets the test decide when each sync finishes. */
function gatedRunner() {
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  let active = 0;
  let maxActive = 0;
  const runner: JobRunner = {
    async sync(names, signal) {
      active += 1;
      maxActive = Math.max(maxActive, active);
      calls.push(`sync:${names?.join(',') ?? '*'}`);
      await new Promise<void>((resolve, reject) => {
        gates.push(resolve);
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
      active -= 1;
      return { changed: names ?? ['a', 'b'], failed: [] };
    },
    async index(names) {
      calls.push(`index:${names?.join(',') ?? '*'}`);
    },
  };
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    (gates.shift() as () => void)();
  };
  return { runner, calls, release, maxActive: () => maxActive };
}

function scheduler(runner: JobRunner, extra: Partial<ConstructorParameters<typeof JobScheduler>[0]> = {}) {
  return new JobScheduler({ runner, log: silentLogger, skipSync: false, skipIndex: false, intervalSec: 0, ...extra });
}

describe('JobScheduler', () => {
  it('runs jobs one at a time and folds duplicate requests into the queued job', async () => {
    const r = gatedRunner();
    const s = scheduler(r.runner);
    const startup = s.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const first = s.enqueue({ kind: 'repo', name: 'a' }, 'webhook');
    const again = s.enqueue({ kind: 'repo', name: 'a' }, 'webhook');
    const other = s.enqueue({ kind: 'repo', name: 'b' }, 'api');
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(s.status().running?.id).toBe(startup.id);
    expect(s.status().queued.map((j) => j.scope)).toEqual(['a', 'b']);
    await r.release();
    await r.release();
    await r.release();
    await s.idle();
    expect(r.calls).toEqual(['sync:*', 'index:*', 'sync:a', 'index:a', 'sync:b', 'index:b']);
    expect(r.maxActive()).toBe(1);
  });

  it('a job for everything replaces queued single-repo jobs', async () => {
    const r = gatedRunner();
    const s = scheduler(r.runner);
    s.enqueue({ kind: 'repo', name: 'x' }, 'api');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const queued = s.enqueue({ kind: 'repo', name: 'y' }, 'api');
    const all = s.enqueue({ kind: 'all' }, 'api');
    expect(s.enqueue({ kind: 'repo', name: 'z' }, 'webhook').id).toBe(all.id);
    expect(s.status().recent.find((j) => j.id === queued.id)?.state).toBe('cancelled');
    await r.release();
    await r.release();
    await s.idle();
    expect(r.calls).toEqual(['sync:x', 'index:x', 'sync:*', 'index:a,b']);
  });

  it('honours SKIP_CLONE and SKIP_AUTO_INDEX, and indexes only what a later sync changed', async () => {
    const indexed: (string[] | undefined)[] = [];
    const runner: JobRunner = {
      sync: async () => ({ changed: [], failed: [] }),
      index: async (names) => {
        indexed.push(names);
      },
    };
    const noSync = scheduler(runner, { skipSync: true });
    noSync.enqueue({ kind: 'all' }, 'interval');
    await noSync.idle();
    expect(indexed).toEqual([undefined]);
    const nothingChanged = scheduler(runner);
    nothingChanged.enqueue({ kind: 'all' }, 'interval');
    await nothingChanged.idle();
    expect(indexed).toHaveLength(1);
    const noIndex = scheduler(runner, { skipIndex: true });
    noIndex.start();
    await noIndex.idle();
    expect(indexed).toHaveLength(1);
  });

  it('under SKIP_CLONE a source (ingest) job fails saying why instead of reporting done', async () => {
    const calls: string[] = [];
    const runner: JobRunner = {
      sync: async () => {
        calls.push('sync');
        return { changed: [], failed: [] };
      },
      index: async () => {
        calls.push('index');
      },
    };
    const s = scheduler(runner, { skipSync: true });
    const job = s.enqueue({ kind: 'source', label: 'github:org/acme', sources: [{ type: 'github', org: 'acme' }] }, 'ingest');
    await s.idle();
    const finished = s.status().recent.find((j) => j.id === job.id);
    expect(finished?.state).toBe('failed');
    expect(finished?.error).toContain('SKIP_CLONE');
    expect(calls).toEqual([]);
  });

  it('stop({abort}) cancels the running job and refuses new ones', async () => {
    const r = gatedRunner();
    const events: JobInfo[] = [];
    const s = scheduler(r.runner, { onJob: (j) => events.push({ ...j }) });
    const job = s.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await s.stop({ abort: true });
    expect(events.at(-1)).toMatchObject({ id: job.id, state: 'cancelled' });
    expect(s.enqueue({ kind: 'all' }, 'api').state).toBe('cancelled');
    expect(r.calls).toEqual(['sync:*']);
  });
});

describe('trackProgress', () => {
  it('folds sync and index events into repos and files done', () => {
    const info = { progress: { repo: null, reposDone: 0, reposTotal: null, filesDone: null, filesTotal: null } } as unknown as JobInfo;
    trackProgress(info, { type: 'start', total: 3 });
    trackProgress(info, { type: 'repo-start', name: 'a' });
    trackProgress(info, { type: 'repo-done', result: {} });
    trackProgress(info, { type: 'repo-start', repo: 'b', index: 1, total: 3 });
    trackProgress(info, { type: 'file', repo: 'b', done: 5, total: 40, path: 'x.ts' });
    expect(info.progress).toEqual({ repo: 'b', reposDone: 1, reposTotal: 3, filesDone: 5, filesTotal: 40 });
  });
});
