import type { SourceConfig } from '../config/index.js';
import type { JobEvent, JobRunner } from '../jobs/scheduler.js';
import { createContext, type RequestContext } from './context.js';
import type { Services } from './services.js';

interface SyncReportLike {
  repos: { name: string; status: string; error?: string }[];
}
type SyncReposFn = (input: { names?: string[]; prune?: boolean; retryBaseMs?: number }, ctx: RequestContext) => Promise<SyncReportLike>;
type IndexReposFn = (input: { names?: string[] }, ctx: RequestContext) => Promise<unknown>;

/**
 * The scheduler's work, done by the sync and index use cases of src/core
 * (indexRepos also ingests history), each job in a context of the local
 * principal with the job's signal. Ingest jobs run the sync with extra sources
 * on a copy of the services' config, so the token of an ingest request lives in
 * memory for that one run only.
 */
export function createCoreRunner(
  services: Services,
  useCases: { syncRepos: SyncReposFn; indexRepos: IndexReposFn },
  options: { retryBaseMs?: number } = {},
): JobRunner {
  // The use cases' event unions are read loosely by the scheduler's progress tracking.
  const emitTo = (onEvent?: (event: JobEvent) => void) => (onEvent ? { emit: onEvent as (event: object) => void } : {});
  return {
    async sync(names, signal, sources?: SourceConfig[], onEvent?: (event: JobEvent) => void) {
      const target: Services = sources ? { ...services, config: { ...services.config, sources } } : services;
      const report = await useCases.syncRepos(
        {
          ...(names ? { names } : {}),
          prune: false,
          ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
        },
        createContext(target, { signal, ...emitTo(onEvent) }),
      );
      return {
        changed: report.repos.filter((r) => r.status === 'cloned' || r.status === 'updated').map((r) => r.name),
        failed: report.repos.filter((r) => r.status === 'failed').map((r) => r.name),
        errors: report.repos.filter((r) => r.status === 'failed' && r.error).map((r) => `${r.name}: ${r.error}`),
      };
    },
    async index(names, signal, onEvent?: (event: JobEvent) => void) {
      await useCases.indexRepos({ ...(names ? { names } : {}) }, createContext(services, { signal, ...emitTo(onEvent) }));
    },
  };
}
