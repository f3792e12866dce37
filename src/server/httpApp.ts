import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { auditTokenUse } from '../core/apiTokens.js';
import type { App } from '../core/app.js';
import { createSignInProviders } from '../core/auth/signIn.js';
import { createContext } from '../core/context.js';
import type { JobQueue } from '../core/jobs.js';
import { ALL_TOOLS, type AnyTool } from '../core/tools/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';
import { MAX_TEXT_QUERY_BYTES, TEXT_QUERY_HINT } from '../shared/searchLimits.js';
import { requireSignedIn } from './auth.js';
import { clientIp, proxyTrust, resolveClientAddress } from './clientAddress.js';
import { sendError } from './errors.js';
import { createServerMetrics, routeTemplate, type ServerMetrics } from './metrics.js';
import { metricsTokenMatches } from './metricsAccess.js';
import { isApiPath, PUBLIC_ROUTES } from './publicRoutes.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerAskRoutes } from './routes/ask.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerChatRoutes } from './routes/chats.js';
import { registerCommitRoutes } from './routes/commits.js';
import type { ReadyPhase, RouteDeps } from './routes/deps.js';
import { registerFileRoutes } from './routes/files.js';
import { registerHealthRoutes, sendMetrics } from './routes/health.js';
import { registerMcpRoutes } from './routes/mcp.js';
import { registerOpenApiRoutes } from './routes/openapi.js';
import { registerPermissionRoutes } from './routes/permissions.js';
import { registerRefsRoutes } from './routes/refs.js';
import { registerRepoRoutes } from './routes/repos.js';
import { createRoutes, type Routes } from './routes/route.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerSyncRoutes } from './routes/sync.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { requireSameOriginJson } from './sameOrigin.js';
import { attachSession, requireCsrf } from './session.js';
import { type Assets, createAssets } from './web/assets.js';
import { notFoundPage, registerWebRoutes, sendErrorPage } from './web/webRoutes.js';

export interface HttpDeps {
  app: App;
  version: string;
  /** Background jobs; null where nothing runs in the background (then sync routes answer 501 NOT_CONFIGURED). */
  scheduler: JobQueue | null;
  /** A session or a token on every route but the public ones: on whenever HOST is not loopback or GITLORE_AUTH is set. */
  requireAuth: boolean;
  tools?: readonly AnyTool[];
  startedAt?: number;
  /**
   * Host headers accepted (e.g. `127.0.0.1:3000`, `localhost:3000`); null accepts any.
   * A tokenless loopback server checks them so a web page cannot reach it by DNS rebinding.
   */
  allowedHosts?: () => readonly string[] | null;
  /** The web app's built bundles; web/dist by default. */
  webAssets?: Assets;
  /** The process's Prometheus registry; one without process metrics is made when absent. */
  metrics?: ServerMetrics;
  /** Where the server is in its life, for GET /ready; always `ready` when absent (the store is open by then). */
  readiness?: () => ReadyPhase;
}

const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Bodies that may carry a pasted text as a search query (POST /api/search, /mcp): room for MAX_TEXT_QUERY_BYTES of
 * text after JSON escaping, so the search itself names the text limit when a text is over it.
 */
const MAX_TEXT_BODY_BYTES = 2 * MAX_TEXT_QUERY_BYTES + 64 * 1024;

/** Every route module, in registration order; each declares its routes with the schemas they validate with. */
const ROUTE_MODULES: readonly ((routes: Routes, deps: RouteDeps) => void)[] = [
  registerHealthRoutes,
  registerOpenApiRoutes,
  registerRepoRoutes,
  registerSearchRoutes,
  registerRefsRoutes,
  registerFileRoutes,
  registerCommitRoutes,
  registerAskRoutes,
  registerChatRoutes,
  registerSyncRoutes,
  registerMcpRoutes,
  registerWebhookRoutes,
  registerAuthRoutes,
  registerPermissionRoutes,
  registerAccountRoutes,
];

/** Parameters masked in logs: anything named like a secret, and the one-time sign-in `code` (with its `state`). */
const SECRET_PARAM = /([?&](?:[^=&]*(?:token|secret|key|password)[^=&]*|code|state)=)[^&]*/gi;

/** The request path and query as logged: secret-looking parameters masked, known secrets redacted. */
export function loggablePath(url: string): string {
  const u = new URL(url);
  return redact(`${u.pathname}${u.search}`.replace(SECRET_PARAM, '$1***'));
}

/** The HTTP API, MCP over HTTP and the GitHub webhook, as one Hono app (testable with app.request()). */
export function createHttpApp(deps: HttpDeps): Hono {
  const { app } = deps;
  const log = app.log.child('http');
  const http = new Hono();

  http.onError((error, c) => {
    if (!(error instanceof GitloreError)) log.error(`${c.req.method} ${loggablePath(c.req.url)} failed`, { error: error.message });
    return sendError(c, error);
  });
  const assets = deps.webAssets ?? createAssets();
  http.notFound((c) =>
    !isApiPath(new URL(c.req.url).pathname)
      ? notFoundPage(c, assets)
      : sendError(
          c,
          new GitloreError(ERROR_CODES.ROUTE_NOT_FOUND, `No route ${c.req.method} ${new URL(c.req.url).pathname}.`, {
            hint: 'See /api/openapi.json.',
          }),
        ),
  );

  const metrics = deps.metrics ?? createServerMetrics(app, { jobs: deps.scheduler });
  // First, so every later step (audit log, sessions) sees the client's address, not the proxy's.
  http.use('*', resolveClientAddress(proxyTrust(app.config.trustProxy)));
  http.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    const elapsed = performance.now() - start;
    metrics.observeRequest(c.req.method, routeTemplate(c), c.res.status, elapsed / 1000);
    const ms = Math.round(elapsed * 10) / 10;
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
  const apiBody = tooLarge(MAX_BODY_BYTES);
  const textBody = tooLarge(MAX_TEXT_BODY_BYTES);
  http.use('/api/*', (c, next) => (c.req.path === '/api/search' ? textBody(c, next) : apiBody(c, next)));
  http.use('/mcp', textBody);
  // POST /search: the web page's "Paste an issue" form, multipart (the text as is), refused as a page past the same room.
  const pastedBody = bodyLimit({
    maxSize: MAX_TEXT_BODY_BYTES,
    onError: (c) =>
      sendErrorPage(
        c,
        assets,
        new GitloreError(
          ERROR_CODES.PAYLOAD_TOO_LARGE,
          `The pasted text is over ${MAX_TEXT_BODY_BYTES} bytes; the limit is ${MAX_TEXT_QUERY_BYTES} (${MAX_TEXT_QUERY_BYTES / 1024 / 1024} MB).`,
          { hint: TEXT_QUERY_HINT },
        ),
      ),
  });
  http.use('/search', (c, next) => (c.req.method === 'POST' ? pastedBody(c, next) : next()));
  // /webhooks/* checks the signature header first and streams its own capped body (routes/webhooks.ts).
  http.use('*', attachSession(app));
  http.use(
    '*',
    requireCsrf(() => app.config.secretKey),
  );
  if (deps.requireAuth) {
    // A Prometheus scraper shows GITLORE_METRICS_TOKEN instead of an API token (routes/health.ts checks the rest).
    const metricsToken = app.config.metricsToken;
    if (metricsToken) {
      http.get('/metrics', async (c, next) => {
        if (!metricsTokenMatches(c.req.header('authorization'), metricsToken)) return next();
        return sendMetrics({ metrics });
      });
    }
    http.use(
      '*',
      requireSignedIn({
        store: app.store,
        signIn: app.config.auth !== 'none',
        refusePage: (c, error) => sendErrorPage(c, assets, error),
        onTokenUsed: (c, token) => auditTokenUse(createContext(app), token, clientIp(c)),
      }),
    );
  }
  // The webhook is not behind it: GitHub signs its requests, and may send them form-encoded.
  for (const path of ['/api/*', '/mcp', '/auth/*']) http.use(path, requireSameOriginJson());

  const routeDeps: RouteDeps = {
    app,
    version: deps.version,
    tools: deps.tools ?? ALL_TOOLS,
    requireAuth: deps.requireAuth,
    startedAt: deps.startedAt ?? Date.now(),
    jobs: deps.scheduler,
    publicRoutes: Object.keys(PUBLIC_ROUTES),
    assets,
    signIn: createSignInProviders(createContext(app)),
    metrics,
    readiness: deps.readiness ?? (() => 'ready'),
  };
  const routes = createRoutes(http);
  for (const register of ROUTE_MODULES) register(routes, routeDeps);
  registerWebRoutes(http, routeDeps, assets, log);
  return http;
}
