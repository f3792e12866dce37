import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's throwaway PostgreSQL cluster (`postgres://postgres@127.0.0.1:<port>/postgres`). */
    postgresUrl: string;
  }
}

/** vitest globalSetup: one throwaway PostgreSQL cluster on loopback for the whole run; each test makes its own database on it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgres();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
