import { z } from 'zod';
import { showPermissions, syncAllPermissions, syncUserPermissions } from '../../core/auth/permissionSync.js';
import type { RequestContext } from '../../core/context.js';
import { requireAdmin } from '../../core/roles.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const syncState = z
  .object({
    userId: z.string(),
    status: z.enum(['ok', 'failed', 'revoked']),
    lastSyncedAt: z.string().nullable(),
    lastError: z.string().nullable(),
    repoCount: z.number().int(),
  })
  .describe('the last permission sync of this user');

const userOutcome = z.object({
  userId: z.string(),
  status: z.enum(['ok', 'failed', 'revoked', 'unlinked']).describe('unlinked: no GitHub token to ask, only repo-driven grants apply'),
  repoCount: z.number().int().describe('private repositories readable after the sync'),
  added: z.number().int(),
  removed: z.number().int(),
  error: z.string().nullable(),
});

const permissionsView = z.object({
  userId: z.string(),
  githubLogin: z.string().nullable(),
  linked: z.boolean().describe('a GitHub token is stored for the user-driven sync'),
  state: syncState.nullable(),
  repos: z.array(z.string()).describe('the private repositories this user may read, by name'),
});

const syncReport = z.object({
  users: z.array(userOutcome),
  repos: z.object({
    checked: z.number().int().describe('private GitHub repositories whose collaborators were listed'),
    failed: z.array(z.object({ repoId: z.number().int(), repo: z.string(), error: z.string() })).describe('their last grants stay'),
  }),
  tookMs: z.number(),
});

const userParams = z.object({ id: z.string().min(1).describe('the user id') });

/** The signed-in user of the request; the local operator has no GitHub account to mirror. */
function callerId(ctx: RequestContext): string {
  if (ctx.principal.kind === 'user') return ctx.principal.id;
  throw new GitloreError(ERROR_CODES.USAGE, 'The local operator has no GitHub permissions of their own.', {
    hint: 'Sync everyone with POST /api/permissions/sync, or one user with POST /api/users/:id/permissions/sync.',
  });
}

/** Repository permissions mirrored from GitHub: one's own, and (admins) anyone's or everyone's. */
export function registerPermissionRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/me/permissions',
      summary: 'The caller’s permission sync state and the private repositories they may read',
      response: { description: 'Permissions', schema: permissionsView },
    },
    async (c) => {
      const ctx = requestContext(deps, c);
      return c.json(await showPermissions({ userId: callerId(ctx) }, ctx));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/me/permissions/sync',
      summary: 'Refresh the caller’s repository access from their GitHub token now',
      response: { description: 'What the sync did', schema: userOutcome },
    },
    async (c) => {
      const ctx = requestContext(deps, c);
      return c.json(await syncUserPermissions({ userId: callerId(ctx) }, ctx));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/users/:id/permissions/sync',
      summary: 'Refresh one user’s repository access from their GitHub token now (admins)',
      params: userParams,
      response: { description: 'What the sync did', schema: userOutcome },
    },
    async (c, { params }) => {
      const ctx = requestContext(deps, c);
      requireAdmin(ctx, "refresh another user's permissions");
      return c.json(await syncUserPermissions({ userId: params.id }, ctx));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/permissions/sync',
      summary: 'Refresh everyone’s repository access now: collaborators of every private repository, then each linked user (admins)',
      response: { description: 'What the sync did', schema: syncReport },
    },
    async (c) => {
      const ctx = requestContext(deps, c);
      requireAdmin(ctx, "sync everyone's repository permissions");
      return c.json(await syncAllPermissions({}, ctx));
    },
  );
}
