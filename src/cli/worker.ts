import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { wholeNumber } from './flags.js';
import { shutdownSignal } from './run.js';

export const registerWorker: RegisterCommand = (program, ctx) => {
  program
    .command('worker')
    .description('take sync, index, history and permission jobs from the PostgreSQL queue (DATABASE_URL); run several, on several machines')
    // Each running job holds a connection of the store's pool (10) for its writer lock: more work per machine, more workers.
    .option(
      '--concurrency <n>',
      'jobs this process runs at once, 1 to 4 (never two of one repository; run more workers for more)',
      wholeNumber('--concurrency', 1, 4),
      1,
    )
    .option(
      '--metrics-port <n>',
      'serve Prometheus /metrics of this worker on this port (GITLORE_WORKER_METRICS_PORT; 0 picks a free one; default none)',
      wholeNumber('--metrics-port', 0, 65_535),
    )
    .option(
      '--metrics-host <host>',
      'address of that listener (GITLORE_WORKER_METRICS_HOST, default 127.0.0.1; off loopback it needs GITLORE_METRICS_TOKEN)',
    )
    .addHelpText(
      'after',
      '\nEnv: DATABASE_URL (postgres://…, the database `gitlore serve` queues into), REPOS_PATH (the clones, shared with `serve`), SECRET_KEY (opens ingest tokens), SKIP_CLONE, SKIP_AUTO_INDEX, GITLORE_WORKER_METRICS_PORT, GITLORE_WORKER_METRICS_HOST, GITLORE_METRICS_TOKEN.\nStop with SIGTERM/Ctrl-C: running jobs are cancelled cleanly and go back to the queue for another worker.',
    )
    .action(
      ctx.action(async (opts: { concurrency: number; metricsPort?: number; metricsHost?: string }) => {
        const config = await ctx.config();
        if (!config.databaseUrl) {
          throw new GitloreError(
            ERROR_CODES.NOT_CONFIGURED,
            'gitlore worker needs DATABASE_URL=postgres://… (the database `gitlore serve` queues jobs into).',
            {
              hint: 'With the embedded SQLite store, `gitlore serve` runs its jobs itself.',
            },
          );
        }
        const app = await ctx.app({
          ...(opts.metricsPort !== undefined ? { workerMetricsPort: opts.metricsPort } : {}),
          ...(opts.metricsHost !== undefined ? { workerMetricsHost: opts.metricsHost } : {}),
        });
        const { createWorker } = await import('../core/jobs.js');
        const stop = shutdownSignal();
        const worker = createWorker(app, { concurrency: opts.concurrency });
        const { workerMetricsPort, workerMetricsHost, metricsToken } = app.config;
        // Listening before taking jobs: a port in use stops the worker before it runs anything.
        const metrics =
          workerMetricsPort === undefined
            ? null
            : await (await import('../server/workerMetrics.js')).startWorkerMetrics({
                sink: app.metrics,
                worker,
                slots: opts.concurrency,
                host: workerMetricsHost,
                port: workerMetricsPort,
                token: metricsToken,
              });
        worker.start();
        app.log.info(`worker ${worker.id} taking jobs (concurrency ${opts.concurrency})`);
        if (metrics) app.log.info(`worker metrics on ${metrics.url}/metrics`);
        const signal = await stop;
        const running = worker.running();
        app.log.info(`${signal}: stopping${running.length > 0 ? `; ${running.length} running job(s) go back to the queue` : ''}`);
        await worker.stop({ abort: true });
        await metrics?.close();
        app.log.info('stopped');
        // Everything of ours is closed; if a library still holds the event loop open, do not hang.
        setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
      }),
    );
};
