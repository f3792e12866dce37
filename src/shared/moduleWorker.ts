import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module at `url`. From TypeScript sources (tsx) a worker does not
 * inherit the loader, so it registers the loader before importing the module.
 */
export function newModuleWorker(url: URL, workerData?: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const loader = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${loader}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`, {
    eval: true,
    workerData,
  });
}

/**
 * Starts a worker and waits for its first message, which the module posts once loaded (so a loader
 * problem shows up here, not mid-run); rejects when none comes within `timeoutMs`.
 */
export function startModuleWorker(url: URL, timeoutMs = 20_000): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = newModuleWorker(url);
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('worker did not start'));
    }, timeoutMs);
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

/** The sibling module `name` (without extension) of the module at `here`, as built or as source. */
export function siblingModule(here: string, name: string): URL {
  return new URL(here.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, here);
}

/**
 * Runs the calling worker thread at `niceness` (0 is normal, 19 the lowest), below the main thread.
 * Linux only: there a thread id given to setpriority(2) changes that thread alone; elsewhere this does nothing.
 */
export function lowerThreadPriority(niceness: number): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, niceness);
  } catch {
    // No /proc, or not allowed: run at the normal priority.
  }
}
