import { z } from 'zod';
import { whoAmI } from '../../core/me.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const me = z.object({
  kind: z.enum(['local', 'user']),
  id: z.string(),
  role: z.enum(['admin', 'member']),
  email: z.string().nullable(),
  name: z.string().nullable(),
  githubLogin: z.string().nullable(),
});

/** Who the caller is (`/api/me`); browser sign-in (`/auth/*`) answers 501 until it is built. */
export function registerAuthRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/me',
      summary: 'The caller: the local operator, or the signed-in user (session or a user token) with their role',
      response: { description: 'The caller', schema: me },
    },
    async (c) => c.json(await whoAmI(requestContext(deps, c))),
  );
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
