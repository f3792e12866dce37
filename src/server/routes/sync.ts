import { z } from 'zod';
import { indexStatus } from '../../core/indexStatus.js';
import { resolveRepo, visibleRepos } from '../../core/repoGate.js';
import { requireAdmin } from '../../core/roles.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { registerSecret } from '../../shared/redact.js';
import { type RouteDeps, requireJobs } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const syncBody = z.object({ repo: z.string().min(1).optional().describe('one repository; all when absent') }).strict();
const syncQuery = z.object({ repo: z.string().optional().describe('one repository, when the body names none') });

const ingestBody = z
  .object({
    username: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,39}$/, 'username must be a GitHub login')
      .optional(),
    org: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,39}$/, 'org must be a GitHub organization login')
      .optional(),
    github_token: z.string().min(1).max(500).optional().describe('used for this run only, never stored'),
  })
  .refine((b) => b.username || b.org, 'give username or org');

const jobQueued = z.object({ queued: z.literal(true), job: z.looseObject({}).describe('the queued job') });

/** Background work: queue a sync or a one-off ingest, and read the sync and index state. */
export function registerSyncRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'post',
      path: '/api/ingest',
      summary: 'Sync a GitHub org or user once (the token is used for that run only, never stored); 501 under SKIP_CLONE',
      body: ingestBody,
      what: 'ingest body',
      response: { status: 202, description: 'Job queued', schema: jobQueued },
    },
    async (c, { body }) => {
      registerSecret(body.github_token);
      requireAdmin(requestContext(deps, c), 'ingest an organization or user');
      if (deps.app.config.skipClone) {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Ingest is off: SKIP_CLONE is set, so this server clones nothing.', {
          hint: 'Unset SKIP_CLONE to clone the org or user here, or sync it with `gitlore sync` where cloning is allowed.',
        });
      }
      const token = body.github_token ? { token: body.github_token } : {};
      const sources = [
        ...(body.org ? [{ type: 'github' as const, org: body.org, ...token }] : []),
        ...(body.username ? [{ type: 'github' as const, user: body.username, ...token }] : []),
      ];
      const label = sources.map((s) => ('org' in s ? `github:org/${s.org}` : `github:user/${s.user}`)).join(',');
      const job = await requireJobs(deps).enqueue({ kind: 'source', label, sources }, 'ingest');
      return c.json({ queued: true, job }, 202);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/sync',
      summary: 'Queue a sync (then an incremental index) of one repo or all',
      query: syncQuery,
      body: syncBody,
      what: 'sync body',
      response: { status: 202, description: 'Job queued', schema: jobQueued },
    },
    async (c, { body, query }) => {
      const ctx = requestContext(deps, c);
      requireAdmin(ctx, 'start a sync');
      const repoName = body.repo ?? query.repo;
      const repo = repoName ? await resolveRepo(ctx, repoName) : null;
      const job = await requireJobs(deps).enqueue(repo ? { kind: 'repo', name: repo.name } : { kind: 'all' }, 'api');
      return c.json({ queued: true, job }, 202);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/sync/status',
      summary: 'Background jobs and per-repository sync state',
      response: { description: 'Sync status' },
    },
    async (c) => {
      const repos = (await visibleRepos(requestContext(deps, c))).map((r) => ({
        name: r.name,
        syncStatus: r.syncStatus,
        lastSyncAt: r.lastSyncAt,
        lastSyncDurationMs: r.lastSyncDurationMs,
        headCommit: r.headCommit,
        error: r.syncError,
      }));
      return c.json({ jobs: (await deps.jobs?.status()) ?? null, repos });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/index/status',
      summary: 'Index state per repository and background jobs',
      response: { description: 'Index status' },
    },
    async (c) => {
      const jobs = (await deps.jobs?.status()) ?? null;
      return c.json({ ...(await indexStatus({}, requestContext(deps, c))), jobs });
    },
  );
}
