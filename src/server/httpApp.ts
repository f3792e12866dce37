import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { App } from '../core/app.js';
import type { JobQueue } from '../core/jobs.js';
import { resolveRepo, visibleRepos } from '../core/repoGate.js';
import { ALL_TOOLS, type AnyTool } from '../core/tools/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { redact, registerSecret } from '../shared/redact.js';
import { requireToken } from './auth.js';
import { sendError } from './errors.js';
import { handleMcpRequest } from './mcpHttp.js';
import { openApiDocument } from './openapi.js';
import { parse } from './parse.js';
import { registerToolRoutes, requestContext } from './toolRoutes.js';
import { type PushEvent, verifyGithubSignature } from './webhook.js';

export interface HttpDeps {
  app: App;
  version: string;
  /** Background jobs; null where nothing runs in the background (then sync routes answer 503). */
  scheduler: JobQueue | null;
  /** Tokens on /api and /mcp: on whenever HOST is not loopback. */
  requireAuth: boolean;
  tools?: readonly AnyTool[];
  /** INDEX's indexStatus(app), when present. */
  indexStatus?: (app: App) => Promise<unknown>;
  startedAt?: number;
  /**
   * Host headers accepted (e.g. `127.0.0.1:3000`, `localhost:3000`); null accepts any.
   * A tokenless loopback server checks them so a web page cannot reach it by DNS rebinding.
   */
  allowedHosts?: () => readonly string[] | null;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export const syncBody = z.object({ repo: z.string().min(1).optional() }).strict();
export const ingestBody = z
  .object({
    username: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,39}$/, 'username must be a GitHub login')
      .optional(),
    org: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,39}$/, 'org must be a GitHub organization login')
      .optional(),
    github_token: z.string().min(1).max(500).optional(),
  })
  .refine((b) => b.username || b.org, 'give username or org');
export const queryBody = z.object({ question: z.string().min(1).max(4000), repos: z.array(z.string()).optional() });

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, 'Malformed JSON in the request body.', {
      hint: 'Send a JSON object with Content-Type: application/json.',
    });
  }
}

const SECRET_PARAM = /([?&][^=&]*(?:token|secret|key|password)[^=&]*=)[^&]*/gi;

/** The request path and query as logged: secret-looking parameters masked, known secrets redacted. */
export function loggablePath(url: string): string {
  const u = new URL(url);
  return redact(`${u.pathname}${u.search}`.replace(SECRET_PARAM, '$1***'));
}

/** The HTTP API, MCP over HTTP and the GitHub webhook, as one Hono app (testable with app.request()). */
export function createHttpApp(deps: HttpDeps): Hono {
  const { app } = deps;
  const tools = deps.tools ?? ALL_TOOLS;
  const log = app.log.child('http');
  const startedAt = deps.startedAt ?? Date.now();
  const http = new Hono();

  const scheduler = (): JobQueue => {
    if (!deps.scheduler) {
      throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Background jobs are not running in this process.', {
        hint: 'Run `gitlore serve`.',
      });
    }
    return deps.scheduler;
  };

  http.onError((error, c) => {
    if (!(error instanceof GitloreError)) log.error(`${c.req.method} ${loggablePath(c.req.url)} failed`, { error: error.message });
    return sendError(c, error);
  });
  http.notFound((c) =>
    sendError(
      c,
      new GitloreError(ERROR_CODES.ROUTE_NOT_FOUND, `No route ${c.req.method} ${new URL(c.req.url).pathname}.`, {
        hint: 'See /api/openapi.json.',
      }),
    ),
  );

  http.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    const ms = Math.round((performance.now() - start) * 10) / 10;
    const line = `${c.req.method} ${loggablePath(c.req.url)} ${c.res.status} ${ms}ms`;
    if (c.res.status >= 500) log.warn(line);
    else log.debug(line);
  });

  if (deps.allowedHosts) {
    const allowed = deps.allowedHosts;
    http.use('*', async (c, next) => {
      const hosts = allowed();
      const host = (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
      if (hosts && !hosts.includes(host)) {
        return sendError(
          c,
          new GitloreError(ERROR_CODES.FORBIDDEN, `Host ${host} is not served here.`, {
            hint: 'Use the URL gitlore printed (127.0.0.1 or localhost), or set HOST and create API tokens to serve other names.',
          }),
        );
      }
      await next();
    });
  }

  const tooLarge = (limit: number) =>
    bodyLimit({
      maxSize: limit,
      onError: (c) => sendError(c, new GitloreError(ERROR_CODES.PAYLOAD_TOO_LARGE, `The request body is larger than ${limit} bytes.`)),
    });
  http.use('/api/*', tooLarge(MAX_BODY_BYTES));
  http.use('/mcp', tooLarge(MAX_BODY_BYTES));
  http.use('/webhooks/*', tooLarge(MAX_WEBHOOK_BYTES));
  if (deps.requireAuth) {
    http.use('/api/*', requireToken(app.store.tokens));
    http.use('/mcp', requireToken(app.store.tokens));
  }

  http.get('/health', async (c) => {
    const jobStatus = (await deps.scheduler?.status()) ?? null;
    return c.json({
      status: 'ok',
      version: deps.version,
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      auth: deps.requireAuth ? 'token' : 'none',
      jobs: jobStatus ? { running: jobStatus.running?.scope ?? null, queued: jobStatus.queued.length } : null,
    });
  });

  http.get('/api/openapi.json', (c) => c.json(openApiDocument(deps.version)));

  registerToolRoutes(http, app, tools);

  const llmMissing = () => {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Question answering needs an LLM provider; none is configured.', {
      hint: 'Set GITLORE_LLM (openai, anthropic, bedrock or ollama) with its API key, or use /api/search and the MCP tools.',
    });
  };
  http.post('/api/ask', async (c) => {
    parse(queryBody, await readJson(c.req.raw), 'ask body');
    return llmMissing();
  });
  http.post('/api/query', async (c) => {
    parse(queryBody, await readJson(c.req.raw), 'query body');
    return llmMissing();
  });

  http.post('/api/ingest', async (c) => {
    const body = parse(ingestBody, await readJson(c.req.raw), 'ingest body');
    registerSecret(body.github_token);
    const token = body.github_token ? { token: body.github_token } : {};
    const sources = [
      ...(body.org ? [{ type: 'github' as const, org: body.org, ...token }] : []),
      ...(body.username ? [{ type: 'github' as const, user: body.username, ...token }] : []),
    ];
    const label = sources.map((s) => ('org' in s ? `github:org/${s.org}` : `github:user/${s.user}`)).join(',');
    const job = await scheduler().enqueue({ kind: 'source', label, sources }, 'ingest');
    return c.json({ queued: true, job }, 202);
  });

  http.post('/api/sync', async (c) => {
    const body = parse(syncBody, await readJson(c.req.raw), 'sync body');
    const repoName = body.repo ?? c.req.query('repo');
    const repo = repoName ? await resolveRepo(requestContext(app, c), repoName) : null;
    const job = await scheduler().enqueue(repo ? { kind: 'repo', name: repo.name } : { kind: 'all' }, 'api');
    return c.json({ queued: true, job }, 202);
  });

  http.get('/api/sync/status', async (c) => {
    const repos = (await visibleRepos(requestContext(app, c))).map((r) => ({
      name: r.name,
      syncStatus: r.syncStatus,
      lastSyncAt: r.lastSyncAt,
      lastSyncDurationMs: r.lastSyncDurationMs,
      headCommit: r.headCommit,
      error: r.syncError,
    }));
    return c.json({ jobs: (await deps.scheduler?.status()) ?? null, repos });
  });

  http.get('/api/index/status', async (c) => {
    const jobs = (await deps.scheduler?.status()) ?? null;
    const visible = await visibleRepos(requestContext(app, c));
    if (deps.indexStatus) {
      const status = (await deps.indexStatus(app)) as { repos?: { repo: string }[] };
      const names = new Set(visible.map((r) => r.name));
      const repos = Array.isArray(status.repos) ? status.repos.filter((r) => names.has(r.repo)) : status.repos;
      return c.json({ ...status, ...(repos ? { repos } : {}), jobs });
    }
    const repos = visible.map((r) => ({ name: r.name, indexed: null }));
    return c.json({ repos, jobs });
  });

  http.all('/mcp', (c) => handleMcpRequest(app, c.req.raw, { version: deps.version, tools }));

  http.post('/webhooks/github', async (c) => {
    const secret = app.config.webhookSecret;
    if (!secret) {
      throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Webhooks are off: GITHUB_WEBHOOK_SECRET is not set.', {
        hint: 'Set GITHUB_WEBHOOK_SECRET to the secret configured on the GitHub webhook.',
      });
    }
    const raw = await c.req.text();
    if (!verifyGithubSignature(secret, raw, c.req.header('x-hub-signature-256'))) {
      throw new GitloreError(ERROR_CODES.UNAUTHORIZED, 'The webhook signature does not match.', {
        hint: 'Check that GITHUB_WEBHOOK_SECRET equals the secret on the GitHub webhook (X-Hub-Signature-256).',
      });
    }
    const event = c.req.header('x-github-event') ?? '';
    if (event === 'ping') return c.json({ ok: true, event });
    if (event !== 'push') return c.json({ queued: false, event, reason: 'only push events trigger a sync' }, 202);
    let payload: PushEvent;
    try {
      payload = JSON.parse(raw) as PushEvent;
    } catch {
      throw new GitloreError(ERROR_CODES.QUERY_INVALID, 'Malformed JSON in the webhook payload.');
    }
    const fullName = payload.repository?.full_name?.toLowerCase();
    const shortName = payload.repository?.name;
    const repos = await app.store.repos.list();
    const repo = repos.find((r) => fullName && r.fullName.toLowerCase() === fullName) ?? repos.find((r) => r.name === shortName);
    if (!repo) {
      throw new GitloreError(
        ERROR_CODES.REPO_NOT_FOUND,
        `The pushed repository ${payload.repository?.full_name ?? '(unnamed)'} is not registered here.`,
        {
          hint: 'Add it with `gitlore repo add` or a configured source, then run `gitlore sync`.',
        },
      );
    }
    const job = await scheduler().enqueue({ kind: 'repo', name: repo.name }, 'webhook');
    return c.json({ queued: true, job }, 202);
  });

  http.all('/auth/*', () => {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Browser login is not available yet; it comes with the web app.', {
      hint: 'Use an API token: `gitlore token create`, then `Authorization: Bearer <token>`.',
    });
  });

  return http;
}
