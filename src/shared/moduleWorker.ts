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

/** The sibling module `name` (without extension) of the module at `here`, as built or as source. */
export function siblingModule(here: string, name: string): URL {
  return new URL(here.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, here);
}
