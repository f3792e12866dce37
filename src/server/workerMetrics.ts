import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { JobWorker } from '../core/jobs.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { MetricsSink } from '../shared/metrics.js';
import { isLoopbackHost } from './auth.js';
import { metricsTokenMatches } from './metricsAccess.js';
import { registerWorkMetrics } from './workMetrics.js';

export interface WorkerMetricsListener {
  /** `http://host:port`; /metrics is under it. */
  readonly url: string;
  close(): Promise<void>;
}

export interface WorkerMetricsOptions {
  sink: MetricsSink;
  worker: Pick<JobWorker, 'running'>;
  /** Job slots of the worker (--concurrency). */
  slots: number;
  host: string;
  port: number;
  /** GITLORE_METRICS_TOKEN: when set, a scrape must show it as bearer token; required off loopback. */
  token: string | undefined;
}

/**
 * The /metrics listener of a `gitlore worker` (GITLORE_WORKER_METRICS_PORT or --metrics-port): the jobs this process
 * ran by kind and outcome, their run time, texts it embedded, its busy slots and its process metrics. Queue depth and
 * repository states are the cluster's and stay on `serve`'s /metrics, which reads them from the database. A bare
 * node:http server: one route, no sessions, nothing else of the API exposed on the worker's machine.
 */
export async function startWorkerMetrics(options: WorkerMetricsOptions): Promise<WorkerMetricsListener> {
  if (!isLoopbackHost(options.host) && !options.token) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `gitlore worker will not serve /metrics on ${options.host} without a token.`, {
      hint: 'Set GITLORE_METRICS_TOKEN (the scraper sends it as a bearer token), or keep GITLORE_WORKER_METRICS_HOST on 127.0.0.1.',
    });
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const unsubscribe = registerWorkMetrics(registry, options.sink);
  new Gauge({
    name: 'gitlore_worker_slots',
    help: 'Jobs this worker runs at once at most (--concurrency)',
    registers: [registry],
  }).set(options.slots);
  new Gauge({
    name: 'gitlore_worker_jobs_running',
    help: 'Jobs running in this worker now',
    registers: [registry],
    collect() {
      this.set(options.worker.running().length);
    },
  });

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code, message } }));
    };
    if (path !== '/metrics') return refuse(404, ERROR_CODES.ROUTE_NOT_FOUND, 'A gitlore worker serves only GET /metrics.');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(405, ERROR_CODES.ROUTE_NOT_FOUND, 'A gitlore worker serves only GET /metrics.');
    if (options.token && !metricsTokenMatches(req.headers.authorization, options.token)) {
      return refuse(401, ERROR_CODES.UNAUTHORIZED, 'Send GITLORE_METRICS_TOKEN as a bearer token.');
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: Error) => refuse(500, ERROR_CODES.INTERNAL, error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      unsubscribe();
      reject(
        new GitloreError(
          ERROR_CODES.CONFIG_INVALID,
          `gitlore worker cannot serve /metrics on ${options.host}:${options.port}: ${error.code ?? error.message}.`,
          { hint: 'Give each worker on a machine its own GITLORE_WORKER_METRICS_PORT (or --metrics-port).' },
        ),
      );
    });
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    async close() {
      unsubscribe();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
