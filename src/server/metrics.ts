import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { App } from '../core/app.js';
import type { JobQueue } from '../core/jobs.js';
import { cachedFolderSize, folderBytes } from './folderSize.js';
import { registerWorkMetrics } from './workMetrics.js';

/**
 * The Prometheus registry of one server process (GET /metrics). Request and job metrics are counted as they happen;
 * repository states, queue depth and sizes are read from the store at scrape time, through a snapshot kept for
 * `cacheMs` so a scraper (or several) costs a few cheap queries every few seconds, never a disk walk per request.
 * Label values are route templates, methods, status classes, job kinds, providers and states: never a repository
 * name, a user or anything from the request beyond the route it matched.
 */
export interface ServerMetrics {
  readonly registry: Registry;
  /** One answered request: its method, the route template it matched (`unmatched` when none) and its status. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ body: string; contentType: string }>;
  /** Stops listening to the app's metric events. */
  close(): void;
}

export interface ServerMetricsOptions {
  /** The job queue whose depth is reported (null: none runs in this process). */
  jobs: JobQueue | null;
  /** Process metrics (CPU, memory, event loop lag, GC) of prom-client; on for `serve`, off for in-process test apps. */
  processMetrics?: boolean;
  /** How long a store snapshot is reused, in ms. */
  cacheMs?: number;
  /** How old the clones folder's size may get before a scrape starts a new walk of it, in ms (default 5 minutes). */
  clonesTtlMs?: number;
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Request latency buckets (seconds): API calls answer in milliseconds, searches in tens to hundreds, asks in tens of seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
interface StoreSnapshot {
  syncStates: Map<string, number>;
  indexStates: Map<string, number>;
  queued: number;
  running: number;
  databaseBytes: number;
  vectorIndexBytes: number;
}

export function createServerMetrics(app: App, options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const cacheMs = options.cacheMs ?? 10_000;
  // A walk of every clone's files: far too slow for each scrape, so it is measured in the background at most every
  // few minutes and a scrape reads the last result (the first one waits for it).
  const clones = cachedFolderSize(app.config.reposPath, { ttlMs: options.clonesTtlMs ?? 5 * 60_000 });

  const requests = new Counter({
    name: 'gitlore_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gitlore_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (to the response headers for streams), by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const unsubscribe = registerWorkMetrics(registry, app.metrics);

  let cached: { at: number; value: Promise<StoreSnapshot> } | null = null;
  const snapshot = (): Promise<StoreSnapshot> => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    const value = readSnapshot(app, options.jobs);
    cached = { at: Date.now(), value };
    // A failed read is not kept: the next scrape tries again.
    value.catch(() => {
      if (cached?.value === value) cached = null;
    });
    return value;
  };

  const stateGauge = (name: string, help: string, pick: (s: StoreSnapshot) => Map<string, number>) =>
    new Gauge({
      name,
      help,
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const counts = pick(await snapshot());
        this.reset();
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
  stateGauge(
    'gitlore_repositories_sync_state',
    'Repositories by sync state (pending, syncing, ok, skipped, failed, gone)',
    (s) => s.syncStates,
  );
  stateGauge(
    'gitlore_repositories_index_state',
    'Repositories by index state (not indexed, pending, indexing, ok, failed, cancelled)',
    (s) => s.indexStates,
  );
  const valueGauge = (name: string, help: string, pick: (s: StoreSnapshot) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(pick(await snapshot()));
      },
    });
  valueGauge(
    'gitlore_job_queue_depth',
    'Jobs waiting to run (the in-process queue on SQLite, the jobs table on PostgreSQL)',
    (s) => s.queued,
  );
  valueGauge('gitlore_jobs_running', 'Jobs running now (in this process on SQLite, on any worker on PostgreSQL)', (s) => s.running);
  valueGauge('gitlore_database_bytes', 'Bytes the database takes (SQLite file and WAL, or pg_database_size)', (s) => s.databaseBytes);
  valueGauge(
    'gitlore_vector_index_bytes',
    'Bytes of the vector search graphs on disk (SQLite store; 0 on PostgreSQL)',
    (s) => s.vectorIndexBytes,
  );
  new Gauge({
    name: 'gitlore_clones_bytes',
    help: 'Bytes of the files in the clones folder (REPOS_PATH), measured at most every few minutes in the background',
    registers: [registry],
    async collect() {
      this.set(await clones.read());
    },
  });

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const labels = { method: HTTP_METHODS.has(method) ? method : 'OTHER', route, status_class: `${Math.floor(status / 100)}xx` };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    async scrape() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
    close() {
      unsubscribe();
    },
  };
}

async function readSnapshot(app: App, queue: JobQueue | null): Promise<StoreSnapshot> {
  const { store } = app;
  const [repos, states, status, databaseBytes, vectorIndexBytes] = await Promise.all([
    store.repos.list(),
    store.index.listStates(),
    queue ? queue.status() : store.jobs ? store.jobs.list({ recent: 0 }).then((l) => ({ queued: l.queued, runningJobs: l.running })) : null,
    store.sizeBytes(),
    store.kind === 'sqlite' ? folderBytes(app.config.vectorIndexPath) : Promise.resolve(0),
  ]);
  const indexOf = new Map(states.map((s) => [s.repoId, s.status as string]));
  const syncStates = new Map<string, number>();
  const indexStates = new Map<string, number>();
  for (const repo of repos) {
    syncStates.set(repo.syncStatus, (syncStates.get(repo.syncStatus) ?? 0) + 1);
    const index = indexOf.get(repo.id) ?? 'not indexed';
    indexStates.set(index, (indexStates.get(index) ?? 0) + 1);
  }
  return {
    syncStates,
    indexStates,
    queued: status?.queued.length ?? 0,
    running: status?.runningJobs.length ?? 0,
    databaseBytes,
    vectorIndexBytes,
  };
}

/**
 * The route template a request matched: the last handler (not middleware) the router found for it, `unmatched`
 * when none did. A refused request (401 before its handler ran) still counts under the route it asked for.
 */
export function routeTemplate(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && route.handler.length < 2 && route.path !== '*' && route.path !== '/*') return route.path;
  }
  return 'unmatched';
}
