import { z } from 'zod';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { Routes } from './route.js';

/** Browser login comes with the web app; until then every /auth route says what to use instead. */
export function registerAuthRoutes(routes: Routes): void {
  routes.add(
    {
      method: 'all',
      methods: ['get', 'post'],
      path: '/auth/*',
      params: z.object({ path: z.string().describe('login, callback or logout') }),
      summary: 'Browser login (not available yet: 501 NOT_CONFIGURED; use an API token)',
      response: { description: 'Never: answers 501 until the web app brings login' },
    },
    () => {
      throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Browser login is not available yet; it comes with the web app.', {
        hint: 'Use an API token: `gitlore token create`, then `Authorization: Bearer <token>`.',
      });
    },
  );
}
