import { join } from 'node:path';
import pLimit from 'p-limit';
import { ingestHistory } from '../history/index.js';
import { toGitloreError } from '../shared/errors.js';
import { discoverRepos } from '../sources/index.js';
import type { RepoRecord } from '../store/index.js';
import {
  assignNames,
  credentialsFor,
  type RepoSyncResult,
  removeStaleTemps,
  type SyncEvent,
  type SyncReport,
  syncRepo,
  totalsOf,
} from '../sync/index.js';
import type { RequestContext } from './context.js';
import { resolveRepo, visibleRepos } from './repoGate.js';
import { deleteClone } from './repos.js';
import type { Services } from './services.js';
import { withWriterLock } from './writerLock.js';

export type { RepoSyncResult, SyncEvent, SyncReport } from '../sync/index.js';

export interface SyncReposInput {
  /** Only these repositories (no source listing); all registered ones when absent. */
  names?: string[];
  /** Delete repositories that are gone upstream (record, index, history and clone). */
  prune?: boolean;
  /**
   * Ingest the commit history of each repository right after it is cloned or updated, so `gitlore log`
   * works before `gitlore index` (the CLI's sync). Errors are logged, not fatal.
   */
  history?: boolean;
  /** First retry backoff in ms (default 1000); tests lower it. */
  retryBaseMs?: number;
}

/**
 * Lists the configured sources, registers new repositories, marks vanished ones `gone`,
 * then clones or updates every repository, MAX_PARALLEL_CLONES at a time. One
 * repository's failure never stops the others; listing a source failing (bad token,
 * unknown org) throws before anything is cloned. Progress goes to `ctx.emit` as SyncEvents.
 */
export async function syncRepos(input: SyncReposInput, ctx: RequestContext): Promise<SyncReport> {
  // The lock also proves that no git of ours is running in the clones, so syncRepo may remove git's lock files.
  // A sync of named repositories (no source listing) writes only those.
  const scope =
    input.names && input.names.length > 0 ? await Promise.all(input.names.map(async (n) => (await resolveRepo(ctx, n)).name)) : undefined;
  return withWriterLock(ctx, 'syncing', () => syncLocked(input, ctx), scope);
}

async function syncLocked(input: SyncReposInput, ctx: RequestContext): Promise<SyncReport> {
  const started = Date.now();
  const app = ctx.services;
  const { config, store } = app;
  const { signal } = ctx;
  const log = app.log.child('sync');
  const emit = (event: SyncEvent) => ctx.emit(event);
  const explicit = input.names && input.names.length > 0;
  const removed = removeStaleTemps(config.reposPath, explicit ? await resolvedNames(ctx, input.names ?? []) : undefined);
  if (removed.length > 0) log.info(`removed ${removed.length} unfinished clone(s) left by an interrupted sync`);

  const results: RepoSyncResult[] = [];
  let targets: RepoRecord[];
  let discovered: number | null = null;

  if (explicit) {
    targets = [];
    for (const name of input.names ?? []) {
      const repo = await resolveRepo(ctx, name);
      if (!targets.some((t) => t.id === repo.id)) targets.push(repo);
    }
  } else {
    discovered = await registerListedRepos(ctx, { retryBaseMs: input.retryBaseMs });
    targets = await visibleRepos(ctx);
  }

  // Gone repositories are reported (and pruned on request), never synced.
  const active: RepoRecord[] = [];
  for (const repo of targets) {
    if (repo.syncStatus !== 'gone' || explicit) {
      active.push(repo);
      continue;
    }
    if (input.prune) {
      await store.repos.remove(repo.id);
      deleteClone(app, repo);
      results.push({ name: repo.name, status: 'pruned', headCommit: repo.headCommit, durationMs: 0 });
    } else {
      results.push({ name: repo.name, status: 'gone', headCommit: repo.headCommit, durationMs: 0, error: repo.syncError ?? undefined });
    }
  }

  emit({ type: 'start', total: active.length + results.length });
  for (const r of results) emit({ type: 'repo-done', result: r });
  const limit = pLimit(config.maxParallelClones);
  const fresh = discovered !== null;
  // An ingest run's sources carry their own tokens; later reads of their clones need them too.
  app.credentials.remember(config.sources);
  const synced = await Promise.all(
    active.map((repo) =>
      limit(async () => {
        if (signal.aborted) {
          return { name: repo.name, status: 'failed', headCommit: repo.headCommit, durationMs: 0, error: 'cancelled' } as RepoSyncResult;
        }
        emit({ type: 'repo-start', name: repo.name });
        const result = await syncRepo(repo, {
          store: store.repos,
          log,
          reposPath: config.reposPath,
          credentials: app.credentials.forRepo(repo),
          freshPushedAt: fresh,
          timeoutMs: config.syncTimeoutSec * 1000,
          retries: config.syncRetries,
          retryBaseMs: input.retryBaseMs ?? 1000,
          signal,
          onProgress: (progress) => emit({ type: 'repo-progress', name: repo.name, ...progress }),
        });
        if (result.status === 'failed') log.warn(`${repo.name}: ${result.error}`);
        if ((result.status === 'cloned' || result.status === 'updated') && input.history) {
          const updated = await store.repos.getById(repo.id);
          if (updated) {
            await ingestHistoryAfterSync(app, updated, signal).catch((error) => {
              log.warn(`${repo.name}: after-sync step failed: ${toGitloreError(error).message}`);
            });
          }
        }
        emit({ type: 'repo-done', result });
        return result;
      }),
    ),
  );
  results.push(...synced);
  results.sort((a, b) => a.name.localeCompare(b.name));
  const report: SyncReport = { repos: results, totals: totalsOf(results), durationMs: Date.now() - started, discovered };
  emit({ type: 'done', report });
  return report;
}

/**
 * Lists the configured sources and registers what they list: new repositories are added, vanished ones marked
 * `gone`, returning ones made `pending` again. Clones nothing; the count listed, or null without sources.
 * A listing that fails (bad token, unknown org) throws before anything is written.
 */
export async function registerListedRepos(ctx: RequestContext, options: { retryBaseMs?: number } = {}): Promise<number | null> {
  const { config, store } = ctx.services;
  const log = ctx.services.log.child('sync');
  if (config.sources.length === 0) return null;
  const discovery = await discoverRepos(config, { log, signal: ctx.signal, retryAfterBaseMs: options.retryBaseMs });
  ctx.emit({ type: 'discovered', repos: discovery.repos.length, filtered: discovery.filtered });
  const existing = await store.repos.list();
  const named = assignNames(discovery.repos, existing);
  const listedIds = new Set<number>();
  for (const { repo, name } of named) {
    const record = await store.repos.upsert({
      name,
      sourceType: repo.sourceType,
      sourceKey: repo.sourceKey,
      fullName: repo.fullName,
      cloneUrl: repo.cloneUrl,
      localPath: join(config.reposPath, name),
      htmlUrl: repo.htmlUrl ?? undefined,
      defaultBranch: repo.defaultBranch ?? undefined,
      description: repo.description ?? undefined,
      language: repo.language ?? undefined,
      isPrivate: repo.isPrivate,
      isFork: repo.isFork,
      isArchived: repo.isArchived,
      pushedAt: repo.pushedAt ?? undefined,
    });
    listedIds.add(record.id);
    // Back from the dead: a repo that reappears upstream is synced again.
    if (record.syncStatus === 'gone') await store.repos.updateSync(record.id, { syncStatus: 'pending', syncError: null });
  }
  // A repository a source listed before but not any more is gone. Repositories of sources
  // not configured in this run are left alone (a run may list one extra source only).
  const listedSources = new Set(discovery.sourceKeys);
  for (const record of existing) {
    if (!listedSources.has(record.sourceKey) || listedIds.has(record.id) || record.syncStatus === 'gone') continue;
    const why = `no longer listed by ${record.sourceKey}`;
    await store.repos.updateSync(record.id, { syncStatus: 'gone', syncError: why });
    log.warn(`${record.name} is gone upstream (${why}); \`gitlore sync --prune\` deletes it`);
  }
  return discovery.repos.length;
}

/** The registered names of what the user typed (`Widgets` for `widgets`): the keys of locks and temp clones. */
async function resolvedNames(ctx: RequestContext, names: readonly string[]): Promise<string[]> {
  return Promise.all(names.map(async (name) => (await resolveRepo(ctx, name)).name));
}

/**
 * The after-sync step of `input.history`: ingest the commit history of one cloned or updated repository. The diff
 * index is left to `gitlore index`: diffing reads file contents, which a blob-less clone would fetch for its whole history.
 */
async function ingestHistoryAfterSync(app: Services, repo: RepoRecord, signal: AbortSignal): Promise<void> {
  const result = await ingestHistory({ store: app.store, log: app.log.child('history') }, repo, {
    signal,
    credentials: credentialsFor(app, repo),
    diffs: false,
  });
  app.log.debug(`${repo.name}: history +${result.added} -${result.removed} in ${Math.round(result.durationMs)}ms`);
}
