import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PreparedFile } from './indexRepo.js';

export interface Preparer {
  prepare(path: string, blob: string, raw: Buffer): Promise<PreparedFile>;
  close(): Promise<void>;
  readonly workers: number;
}

/** Files a worker holds at once: one parsing, one ready to start. */
const PER_WORKER = 2;

type Prepare = (path: string, blob: string, raw: Buffer) => Promise<PreparedFile>;

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
  // One shared queue: a worker gets the next file when it has fewer than PER_WORKER in hand, so a
  // worker stuck on a large file never sits on a backlog the other one could be parsing.
  type Task = { id: number; path: string; blob: string; raw: Buffer; resolve: (f: PreparedFile) => void; reject: (e: Error) => void };
  let queue: Task[] = [];
  let head = 0;
  let nextId = 0;
  const inHand = new Map<Worker, Map<number, Task>>(workers.map((w) => [w, new Map()]));
  const pump = () => {
    for (const [worker, tasks] of inHand) {
      while (tasks.size < PER_WORKER && head < queue.length) {
        const task = queue[head++]!;
        tasks.set(task.id, task);
        const copy = new Uint8Array(task.raw);
        worker.postMessage({ id: task.id, path: task.path, blob: task.blob, raw: copy }, [copy.buffer]);
      }
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    }
  };
  const failAll = (error: Error) => {
    for (const tasks of inHand.values()) for (const task of tasks.values()) task.reject(error);
    for (const task of queue.slice(head)) task.reject(error);
    for (const tasks of inHand.values()) tasks.clear();
    queue = [];
    head = 0;
  };
  for (const [worker, tasks] of inHand) {
    worker.on('message', (m: { id: number; file?: PreparedFile; error?: string }) => {
      const task = tasks.get(m.id);
      if (!task) return;
      tasks.delete(m.id);
      if (m.file) task.resolve(m.file);
      else task.reject(new Error(m.error ?? 'worker failed'));
      pump();
    });
    worker.on('error', failAll);
  }
  return {
    workers: workers.length,
    prepare(path, blob, raw) {
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, path, blob, raw, resolve, reject });
        pump();
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
