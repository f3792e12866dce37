import { z } from 'zod';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';

const health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSec: z.number().int(),
  auth: z.enum(['token', 'none']),
  jobs: z.object({ running: z.string().nullable(), queued: z.number().int() }).nullable(),
});

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
}
