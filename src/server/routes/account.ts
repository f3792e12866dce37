import { z } from 'zod';
import { createMyToken, listAllTokens, listMyTokens, revokeToken } from '../../core/accountTokens.js';
import { TOKEN_NAME_PATTERN, TOKEN_SCOPES } from '../../core/apiTokens.js';
import { listAudit } from '../../core/audit.js';
import { listUsers, updateUser } from '../../core/users.js';
import { publicOrigin } from '../signInFlow.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const token = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  userId: z.string().nullable(),
  scopes: z.array(z.string()),
});
const mcpClient = z.object({
  url: z.string(),
  json: z.string().describe('an mcpServers entry for MCP clients that read JSON configuration'),
  command: z.string().describe('the same for Claude Code: `claude mcp add …`'),
});
const user = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  role: z.enum(['admin', 'member']),
  githubLogin: z.string().nullable(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
  disabled: z.boolean(),
  permissions: z
    .object({
      status: z.enum(['ok', 'failed', 'revoked']),
      lastSyncedAt: z.string().nullable(),
      lastError: z.string().nullable(),
      repoCount: z.number(),
    })
    .nullable(),
});
const auditEvent = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.looseObject({}),
  ip: z.string().nullable(),
});

const tokensQuery = z.object({
  user: z
    .string()
    .min(1)
    .optional()
    .describe("admins: a user id for that user's tokens, or `all` for every token (default: the caller's own)"),
});
const createTokenBody = z
  .object({
    name: z.string().regex(TOKEN_NAME_PATTERN, 'name must be 1-64 letters, digits, dots, dashes or underscores'),
    scopes: z.array(z.enum(TOKEN_SCOPES)).optional().describe('narrower rights: read (no changes), mcp (only /mcp)'),
  })
  .strict();
const tokenParams = z.object({ id: z.coerce.number().int().positive() });
const userParams = z.object({ id: z.string().min(1) });
const updateUserBody = z
  .object({
    role: z.enum(['admin', 'member']).optional(),
    disabled: z.boolean().optional().describe('true ends their sessions and refuses their tokens'),
  })
  .strict();
const auditQuery = z.object({
  actor: z.string().min(1).optional().describe('a user id, `local`, or `anonymous`'),
  action: z.string().min(1).optional().describe('an action (`role.set`) or a prefix ending in `.` (`token.`)'),
  since: z.string().min(1).optional().describe('a date (2024-05-01), a month (2024-05), or `3 weeks ago`'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('events at most (default 100)'),
});

/** How an MCP client reaches this server with a token: a JSON config entry and a `claude mcp add` line. */
export function mcpClientSnippet(origin: string, secret: string): z.infer<typeof mcpClient> {
  const url = `${origin}/mcp`;
  const json = JSON.stringify({ mcpServers: { gitlore: { type: 'http', url, headers: { Authorization: `Bearer ${secret}` } } } }, null, 2);
  return { url, json, command: `claude mcp add --transport http gitlore ${url} --header "Authorization: Bearer ${secret}"` };
}

/** The account page's API: the caller's tokens; for admins, everyone's tokens, users and the audit log. */
export function registerAccountRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/tokens',
      summary: "The caller's API tokens, newest first (never their secrets); admins may ask for a user's or all",
      query: tokensQuery,
      what: 'tokens query',
      response: { description: 'Tokens', schema: z.object({ tokens: z.array(token) }) },
    },
    async (c, { query }) => {
      const ctx = requestContext(deps, c);
      const tokens =
        query.user === undefined ? await listMyTokens(ctx) : await listAllTokens(query.user === 'all' ? undefined : query.user, ctx);
      return c.json({ tokens });
    },
  );
  routes.add(
    {
      method: 'post',
      path: '/api/tokens',
      summary: 'Create a token that acts as the caller; its secret is in this answer only, with ready MCP client settings',
      body: createTokenBody,
      what: 'token',
      response: {
        description: 'The token, its secret (shown once) and MCP client settings',
        schema: token.extend({ token: z.string(), mcp: mcpClient }),
      },
    },
    async (c, { body }) => {
      const issued = await createMyToken(body, requestContext(deps, c));
      const mcp = mcpClientSnippet(publicOrigin(c, deps.app.config.publicUrl), issued.token);
      return c.json({ ...issued.record, token: issued.token, mcp });
    },
  );
  routes.add(
    {
      method: 'delete',
      path: '/api/tokens/:id',
      summary: "Revoke one of the caller's tokens (admins: anyone's)",
      params: tokenParams,
      what: 'token id',
      response: { description: 'The revoked token', schema: z.object({ ok: z.literal(true), token }) },
    },
    async (c, { params }) => c.json({ ok: true as const, token: await revokeToken(params.id, requestContext(deps, c)) }),
  );
  routes.add(
    {
      method: 'get',
      path: '/api/users',
      summary: 'Everyone who has signed in: role, last sign-in, disabled, GitHub login, permission sync (admins)',
      response: { description: 'Users', schema: z.object({ users: z.array(user) }) },
    },
    async (c) => c.json({ users: await listUsers(requestContext(deps, c)) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/api/users/:id',
      summary: "Set a user's role or disable them (admins); disabling ends their sessions. The last active admin stays one",
      params: userParams,
      body: updateUserBody,
      what: 'user change',
      response: { description: 'The user as changed', schema: z.object({ user }) },
    },
    async (c, { params, body }) => c.json({ user: await updateUser(params.id, body, requestContext(deps, c)) }),
  );
  routes.add(
    {
      method: 'get',
      path: '/api/audit',
      summary: 'The audit log, newest first: sign-ins, tokens, role and account changes (admins)',
      query: auditQuery,
      what: 'audit query',
      response: { description: 'Events', schema: z.object({ events: z.array(auditEvent) }) },
    },
    async (c, { query }) => c.json({ events: await listAudit({ ...query, limit: query.limit ?? 100 }, requestContext(deps, c)) }),
  );
}
