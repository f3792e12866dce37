import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startModuleWorker } from '../shared/moduleWorker.js';
import type { PreparedFile } from './prepareFile.js';

export interface Preparer {
  prepare(path: string, blob: string, raw: Buffer): Promise<PreparedFile>;
  close(): Promise<void>;
  readonly workers: number;
}

/**
 * Source bytes a worker holds at once (at least two files). Enough to stay busy through most of
 * one of the writer's transactions, during which nobody hands out work; small enough that at the
 * end of a run (or of a burst of work) the last files are spread over both workers: with 4 MB,
 * one worker was often left parsing its backlog alone (idle CPU during the pass 8-10 % -> ~5 %).
 */
const IN_HAND_BYTES = 1024 * 1024;

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
  const url = siblingModule(import.meta.url, 'prepareWorker');
  // Started side by side: each spends most of its start-up loading modules on its own thread.
  const started = await Promise.allSettled(Array.from({ length: count }, () => startModuleWorker(url)));
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (workers.length < count) {
    await Promise.all(workers.map((w) => w.terminate()));
    return { prepare: inProcess, close: async () => {}, workers: 0 };
  }
  // One shared queue: a worker gets more files while it holds less than IN_HAND_BYTES, so a worker
  // stuck on a large file does not sit on a long backlog the other one could be parsing.
  type Task = { id: number; path: string; blob: string; raw: Buffer; resolve: (f: PreparedFile) => void; reject: (e: Error) => void };
  let queue: Task[] = [];
  let head = 0;
  let nextId = 0;
  const inHand = new Map<Worker, { tasks: Map<number, Task>; bytes: number }>(workers.map((w) => [w, { tasks: new Map(), bytes: 0 }]));
  const pump = () => {
    for (const [worker, held] of inHand) {
      while (head < queue.length && (held.tasks.size < 2 || held.bytes < IN_HAND_BYTES)) {
        const task = queue[head++]!;
        held.tasks.set(task.id, task);
        held.bytes += task.raw.length;
        const copy = new Uint8Array(task.raw);
        worker.postMessage({ id: task.id, path: task.path, blob: task.blob, raw: copy }, [copy.buffer]);
      }
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    }
  };
  // A worker that dies (out of memory, a wasm abort) takes no file with it: everything it held and
  // everything still queued is parsed on this thread, and so is every later file of the run.
  let broken = false;
  let closing = false;
  const fallBack = () => {
    if (broken || closing) return;
    broken = true;
    const orphans = [...[...inHand.values()].flatMap((held) => [...held.tasks.values()]), ...queue.slice(head)];
    inHand.clear();
    queue = [];
    head = 0;
    for (const task of orphans) inProcess(task.path, task.blob, task.raw).then(task.resolve, task.reject);
    for (const worker of workers) void worker.terminate();
  };
  for (const [worker, held] of inHand) {
    worker.on('message', (m: { id: number; file?: PreparedFile; error?: string }) => {
      const task = held.tasks.get(m.id);
      if (!task) return;
      held.tasks.delete(m.id);
      held.bytes -= task.raw.length;
      if (m.file) task.resolve(m.file);
      else task.reject(new Error(m.error ?? 'worker failed'));
      pump();
    });
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
  }
  return {
    workers: workers.length,
    prepare(path, blob, raw) {
      if (broken) return inProcess(path, blob, raw);
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, path, blob, raw, resolve, reject });
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
