import { z } from 'zod';
import { requireAdmin } from '../../core/roles.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSec: z.number().int(),
  auth: z.enum(['token', 'none']),
  jobs: z.object({ running: z.string().nullable(), queued: z.number().int() }).nullable(),
});

const ready = z.object({
  status: z.literal('ready'),
  store: z.enum(['sqlite', 'postgres']),
  /** How long the database took to answer the check, in ms. */
  checkMs: z.number(),
});

/** How long /ready waits for the database before it answers 503. */
const READY_CHECK_MS = 2000;

/** Liveness: answers at once, never needs a token. */
export function registerHealthRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    { method: 'get', path: '/health', summary: 'Liveness; never needs a token', response: { description: 'Server is up', schema: health } },
    async (c) => {
      const jobStatus = (await deps.jobs?.status()) ?? null;
      const body: z.input<typeof health> = {
        status: 'ok',
        version: deps.version,
        uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000),
        auth: deps.requireAuth ? 'token' : 'none',
        jobs: jobStatus ? { running: jobStatus.running?.scope ?? null, queued: jobStatus.queued.length } : null,
      };
      return c.json(body);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/ready',
      summary: 'Readiness; never needs a token. 503 NOT_READY while starting or stopping, or when the database does not answer',
      response: { description: 'The store is open, the index state was read and the database answers', schema: ready },
    },
    async (c) => {
      const phase = deps.readiness();
      if (phase !== 'ready') {
        throw new GitloreError(
          ERROR_CODES.NOT_READY,
          phase === 'starting' ? 'gitlore is starting: the index state is not read yet.' : 'gitlore is shutting down.',
          { hint: phase === 'starting' ? 'Retry in a few seconds.' : 'Send requests to another instance.' },
        );
      }
      const started = performance.now();
      const { store } = deps.app;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${READY_CHECK_MS} ms`)), READY_CHECK_MS);
      });
      try {
        await Promise.race([Promise.all([store.sizeBytes(), store.index.getMeta('embedding_model')]), late]);
      } catch (error) {
        throw new GitloreError(ERROR_CODES.NOT_READY, `The ${store.kind} database does not answer: ${(error as Error).message}.`, {
          hint: store.kind === 'postgres' ? 'Check that PostgreSQL at DATABASE_URL is up.' : 'Check the data dir disk.',
          cause: error,
        });
      } finally {
        clearTimeout(timer);
      }
      const body: z.input<typeof ready> = {
        status: 'ready',
        store: store.kind,
        checkMs: Math.round((performance.now() - started) * 10) / 10,
      };
      return c.json(body);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/metrics',
      summary:
        'Prometheus metrics of this process (text exposition format). With auth on: GITLORE_METRICS_TOKEN as bearer token, or an admin',
      response: { description: 'Metrics in the Prometheus text format' },
    },
    async (c) => {
      // A request that showed GITLORE_METRICS_TOKEN was answered before the gate (httpApp.ts).
      if (deps.requireAuth) requireAdmin(requestContext(deps, c), 'read /metrics');
      return sendMetrics(deps);
    },
  );
}

/** The registry's exposition text as the response. */
export async function sendMetrics(deps: Pick<RouteDeps, 'metrics'>): Promise<Response> {
  const { body, contentType } = await deps.metrics.scrape();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
