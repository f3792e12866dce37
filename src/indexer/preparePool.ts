import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IndexFileInput } from '../store/index.js';

export interface Preparer {
  prepare(path: string, blob: string, raw: Buffer): Promise<IndexFileInput>;
  close(): Promise<void>;
  readonly workers: number;
}

type Prepare = (path: string, blob: string, raw: Buffer) => Promise<IndexFileInput>;

/**
 * Parsing and chunking run in worker threads, one per core (up to 4): the main
 * thread mostly waits for them and writes SQLite in between, so on 2 cores two
 * parsers plus the writer keep both cores busy (one parser left one idle).
 * Falls back to the calling thread when workers cannot start (e.g. under a
 * test runner without the TypeScript loader) or when `workers` is 0.
 */
export async function createPreparer(inProcess: Prepare, options: { workers?: number } = {}): Promise<Preparer> {
  const count = options.workers ?? Math.max(1, Math.min(4, availableParallelism()));
  if (count <= 0) return { prepare: inProcess, close: async () => {}, workers: 0 };
  const here = import.meta.url;
  const url = new URL(here.endsWith('.ts') ? './prepareWorker.ts' : './prepareWorker.js', here);
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < count; i += 1) workers.push(await startWorker(url));
  } catch {
    await Promise.all(workers.map((w) => w.terminate()));
    return { prepare: inProcess, close: async () => {}, workers: 0 };
  }
  let nextId = 0;
  let turn = 0;
  const pending = new Map<number, { resolve: (f: IndexFileInput) => void; reject: (e: Error) => void }>();
  for (const worker of workers) {
    worker.on('message', (m: { id: number; file?: IndexFileInput; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.file) p.resolve(m.file);
      else p.reject(new Error(m.error ?? 'worker failed'));
    });
    worker.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
  }
  return {
    workers: workers.length,
    prepare(path, blob, raw) {
      const id = nextId++;
      const worker = workers[turn++ % workers.length]!;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const copy = new Uint8Array(raw);
        worker.postMessage({ id, path, blob, raw: copy }, [copy.buffer]);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Starts a worker and waits until its module loaded (so a loader problem shows up here, not mid-run). */
function startWorker(url: URL): Promise<Worker> {
  return new Promise((resolve, reject) => {
    // Running from TypeScript sources (tsx): workers do not inherit the loader, so register it first.
    const worker = url.pathname.endsWith('.ts')
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true },
        )
      : new Worker(url);
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('worker did not start'));
    }, 20_000);
    worker.once('message', () => {
      clearTimeout(timer);
      resolve(worker);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
