import type { SourceConfig } from '../config/index.js';
import type { JobEvent, JobRunner } from '../jobs/scheduler.js';
import type { App } from './app.js';

interface SyncReportLike {
  repos: { name: string; status: string }[];
}
type SyncReposFn = (
  app: App,
  // biome-ignore lint/suspicious/noExplicitAny: the use cases' event unions are read loosely as JobEvent
  options: { names?: string[]; prune?: boolean; signal?: AbortSignal; retryBaseMs?: number; onEvent?: (event: any) => void },
) => Promise<SyncReportLike>;
// biome-ignore lint/suspicious/noExplicitAny: as above
type IndexReposFn = (app: App, options: { names?: string[]; signal?: AbortSignal; onEvent?: (event: any) => void }) => Promise<unknown>;

/**
 * The scheduler's work, done by the sync and index use cases of src/core
 * (indexRepos also ingests history). Ingest jobs run the sync with extra
 * sources on a copy of the config, so the token of an ingest request lives in
 * memory for that one run only.
 */
export function createCoreRunner(
  app: App,
  useCases: { syncRepos: SyncReposFn; indexRepos: IndexReposFn },
  options: { retryBaseMs?: number } = {},
): JobRunner {
  return {
    async sync(names, signal, sources?: SourceConfig[], onEvent?: (event: JobEvent) => void) {
      const target: App = sources ? { ...app, config: { ...app.config, sources } } : app;
      const report = await useCases.syncRepos(target, {
        ...(names ? { names } : {}),
        prune: false,
        signal,
        ...(onEvent ? { onEvent } : {}),
        ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
      });
      return {
        changed: report.repos.filter((r) => r.status === 'cloned' || r.status === 'updated').map((r) => r.name),
        failed: report.repos.filter((r) => r.status === 'failed').map((r) => r.name),
      };
    },
    async index(names, signal, onEvent?: (event: JobEvent) => void) {
      await useCases.indexRepos(app, { ...(names ? { names } : {}), signal, ...(onEvent ? { onEvent } : {}) });
    },
  };
}
