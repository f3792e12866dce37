import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { App } from '../core/app.js';
import { readRepoFile, requireRepo } from '../core/repoOverview.js';
import { ALL_TOOLS, type AnyTool } from '../core/tools/index.js';
import type { JobScheduler } from '../jobs/scheduler.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { redact, registerSecret } from '../shared/redact.js';
import { SEARCH_MODES } from '../shared/searchLimits.js';
import { requireToken } from './auth.js';
import { sendError } from './errors.js';
import { handleMcpRequest } from './mcpHttp.js';
import { openApiDocument } from './openapi.js';
import { type PushEvent, verifyGithubSignature } from './webhook.js';

export interface HttpDeps {
  app: App;
  version: string;
  /** Background jobs; null where nothing runs in the background (then sync routes answer 503). */
  scheduler: JobScheduler | null;
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

export const MAX_LIMIT = 100;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

const limitParam = z.coerce
  .number({ error: 'limit must be a number' })
  .int('limit must be an integer')
  .min(1, 'limit must be at least 1')
  .max(MAX_LIMIT, `limit must be at most ${MAX_LIMIT}`);

export const searchQuery = z.object({
  q: z
    .string({ error: 'q (the search query) is required' })
    .trim()
    .min(1, 'q (the search query) is required')
    .max(1000, 'q is longer than 1000 characters'),
  repo: z.array(z.string().min(1)).optional(),
  lang: z.string().min(1).max(50).optional(),
  path: z.string().min(1).max(500).optional(),
  mode: z.enum(SEARCH_MODES).optional(),
  limit: limitParam.optional(),
});

export const commitsQuery = z.object({
  repo: z.string({ error: 'repo is required' }).min(1, 'repo is required'),
  path: z.string().min(1).optional(),
  author: z.string().min(1).optional(),
  since: z.string().min(1).optional(),
  until: z.string().min(1).optional(),
  grep: z.string().min(1).optional(),
  order: z.enum(['newest', 'oldest']).optional(),
  merges: z.enum(['true', 'false', '1', '0']).optional(),
  limit: limitParam.optional(),
});

export const fileQuery = z.object({
  ref: z.string().min(1).max(200).optional(),
  startLine: z.coerce.number().int().min(1).optional(),
  endLine: z.coerce.number().int().min(1).optional(),
});

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

function invalid(error: z.ZodError, what: string): GitloreError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid ${what}: ${where}${issue?.message ?? 'bad value'}.`, {
    hint: 'See /api/openapi.json for the accepted parameters.',
  });
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}

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

  const tool = (name: string): AnyTool => {
    const found = tools.find((t) => t.name === name);
    if (!found) {
      throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `The ${name} tool is not available in this build.`);
    }
    return found;
  };
  const runTool = async (name: string, input: Record<string, unknown>, signal?: AbortSignal) => {
    const t = tool(name);
    const parsed = parse(z.object(t.inputSchema), input, `${name} arguments`);
    return t.execute(app, parsed, { signal });
  };
  const scheduler = (): JobScheduler => {
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

  http.get('/health', (c) =>
    c.json({
      status: 'ok',
      version: deps.version,
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      auth: deps.requireAuth ? 'token' : 'none',
      jobs: deps.scheduler
        ? { running: deps.scheduler.status().running?.scope ?? null, queued: deps.scheduler.status().queued.length }
        : null,
    }),
  );

  http.get('/api/openapi.json', (c) => c.json(openApiDocument(deps.version)));

  http.get('/api/repos', async (c) => c.json(await runTool('list_repos', { query: c.req.query('q') ?? c.req.query('query') })));
  http.get('/api/repos/:repo', async (c) => c.json(await runTool('get_repo_overview', { repo: c.req.param('repo') })));
  http.get('/api/repos/:repo/contributors', async (c) =>
    c.json(await runTool('get_contributors', { repo: c.req.param('repo'), ...(c.req.query('path') ? { path: c.req.query('path') } : {}) })),
  );

  http.get('/api/search', async (c) => {
    const q = parse(searchQuery, { ...c.req.query(), repo: c.req.queries('repo') }, 'search parameters');
    const input: Record<string, unknown> = { query: q.q };
    if (q.repo) input.repos = q.repo;
    if (q.lang) input.language = q.lang;
    if (q.path) input.path = q.path;
    if (q.mode) input.mode = q.mode;
    if (q.limit) input.limit = q.limit;
    return c.json(await runTool('search_code', input, c.req.raw.signal));
  });

  http.get('/api/files/:repo/*', async (c) => {
    const repo = c.req.param('repo');
    const prefix = `/api/files/${encodeURIComponent(repo)}/`;
    const rawPath = new URL(c.req.url).pathname;
    const encoded = rawPath.startsWith(prefix) ? rawPath.slice(prefix.length) : rawPath.split('/').slice(4).join('/');
    let path: string;
    try {
      path = decodeURIComponent(encoded);
    } catch {
      throw new GitloreError(ERROR_CODES.PATH_INVALID, 'The file path is not valid URL encoding.');
    }
    const q = parse(fileQuery, c.req.query(), 'file parameters');
    const file = await readRepoFile(app, repo, path, q.ref ?? 'HEAD');
    const lines = file.text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const startLine = q.startLine ?? 1;
    const endLine = Math.min(q.endLine ?? lines.length, lines.length);
    if (endLine < startLine && lines.length > 0) {
      throw new GitloreError(ERROR_CODES.QUERY_INVALID, `endLine (${endLine}) is before startLine (${startLine}).`);
    }
    return c.json({
      repo: file.repo.name,
      path: file.path,
      ref: file.ref,
      startLine,
      endLine,
      totalLines: lines.length,
      text: lines.slice(startLine - 1, endLine).join('\n'),
    });
  });

  http.get('/api/commits', async (c) => {
    const q = parse(commitsQuery, c.req.query(), 'commit parameters');
    await requireRepo(app, q.repo);
    const { merges, ...rest } = q;
    return c.json(await runTool('get_commit_timeline', { ...rest, ...(merges ? { merges: merges === 'true' || merges === '1' } : {}) }));
  });
  http.get('/api/commits/:repo/:hash', async (c) =>
    c.json(await runTool('get_commit', { repo: c.req.param('repo'), hash: c.req.param('hash') })),
  );

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
    const job = scheduler().enqueue({ kind: 'source', label, sources }, 'ingest');
    return c.json({ queued: true, job }, 202);
  });

  http.post('/api/sync', async (c) => {
    const body = parse(syncBody, await readJson(c.req.raw), 'sync body');
    const repoName = body.repo ?? c.req.query('repo');
    if (repoName) await requireRepo(app, repoName);
    const job = scheduler().enqueue(repoName ? { kind: 'repo', name: repoName } : { kind: 'all' }, 'api');
    return c.json({ queued: true, job }, 202);
  });

  http.get('/api/sync/status', async (c) => {
    const repos = (await app.store.repos.list()).map((r) => ({
      name: r.name,
      syncStatus: r.syncStatus,
      lastSyncAt: r.lastSyncAt,
      lastSyncDurationMs: r.lastSyncDurationMs,
      headCommit: r.headCommit,
      error: r.syncError,
    }));
    return c.json({ jobs: deps.scheduler?.status() ?? null, repos });
  });

  http.get('/api/index/status', async (c) => {
    const jobs = deps.scheduler?.status() ?? null;
    if (deps.indexStatus) {
      const status = await deps.indexStatus(app);
      return c.json({ ...(status as object), jobs });
    }
    const repos = (await app.store.repos.list()).map((r) => ({ name: r.name, indexed: null }));
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
    const job = scheduler().enqueue({ kind: 'repo', name: repo.name }, 'webhook');
    return c.json({ queued: true, job }, 202);
  });

  http.all('/auth/*', () => {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Browser login is not available yet; it comes with the web app.', {
      hint: 'Use an API token: `gitlore token create`, then `Authorization: Bearer <token>`.',
    });
  });

  return http;
}
