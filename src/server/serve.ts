import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { App } from '../core/app.js';
import { createPermissionSchedule, type PermissionScheduleOptions } from '../core/auth/permissionSchedule.js';
import { type BackupScheduleOptions, createBackupSchedule } from '../core/backup/index.js';
import type { JobQueue } from '../core/jobs.js';
import type { AnyTool } from '../core/tools/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { isLoopbackHost } from './auth.js';
import { createHttpApp } from './httpApp.js';
import { createServerMetrics } from './metrics.js';
import type { ReadyPhase } from './routes/deps.js';

export interface ServeOptions {
  app: App;
  version: string;
  host: string;
  port: number;
  /** Background sync and index jobs; null runs none (POST /api/sync answers 501). */
  jobs: JobQueue | null;
  /** Run the startup sync/index job and the interval (false with `--no-sync`). */
  background: boolean;
  tools?: readonly AnyTool[];
  /** How long shutdown waits for in-flight requests before cutting connections. */
  drainMs?: number;
  /** Retry delays of the scheduled permission sync (tests shorten them). */
  permissionSync?: PermissionScheduleOptions;
  /** Scheduled backups (GITLORE_BACKUP_URL): retry delay and a hook after each (tests). */
  backups?: Omit<BackupScheduleOptions, 'version'>;
}

export interface RunningServer {
  url: string;
  port: number;
  jobs: JobQueue | null;
  requireAuth: boolean;
  /** Settles when GET /ready starts answering 200 (or the server stopped first). */
  ready: Promise<void>;
  /** Stops listening, lets in-flight requests finish, cancels the running job cleanly. Idempotent. */
  close(): Promise<void>;
}

/**
 * Decides whether every route but the public ones needs a session or a token. Loopback without GITLORE_AUTH: no.
 * GITLORE_AUTH set: yes, with SECRET_KEY. Any other HOST without sign-in: yes, and the server refuses to start
 * until at least one token exists, so it is never open to the network.
 */
export async function resolveAuth(app: App, host: string): Promise<boolean> {
  const loopback = isLoopbackHost(host);
  if (loopback && app.config.auth === 'none') return false;
  if (app.config.auth !== 'none' && !app.config.secretKey) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `GITLORE_AUTH=${app.config.auth} needs SECRET_KEY.`, {
      hint: 'Set SECRET_KEY to a random string of at least 16 characters (for example `openssl rand -hex 32`).',
    });
  }
  // With sign-in on, people sign in in the browser; tokens come from their account pages.
  if (app.config.auth !== 'none') {
    checkSignInSettings(app.config);
    return true;
  }
  if ((await app.store.tokens.countActive()) === 0) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `HOST=${host} is reachable from other machines and no API token exists.`, {
      hint: 'Create one with `gitlore token create --name <who>` (clients send `Authorization: Bearer <token>`), or set HOST=127.0.0.1.',
    });
  }
  return true;
}

/** The provider settings GITLORE_AUTH needs, or CONFIG_INVALID naming the ones missing. */
function checkSignInSettings(config: App['config']): void {
  const unset = (names: Record<string, string | undefined>) => Object.keys(names).filter((name) => !names[name]);
  const list = (names: string[]) => (names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
  let missing: string[] = [];
  if (config.auth === 'github') {
    missing = unset({ GITHUB_CLIENT_ID: config.githubClientId, GITHUB_CLIENT_SECRET: config.githubClientSecret });
  } else if (config.auth === 'oidc') {
    const oidc = { OIDC_ISSUER: config.oidcIssuer, OIDC_CLIENT_ID: config.oidcClientId, OIDC_CLIENT_SECRET: config.oidcClientSecret };
    const google = { GOOGLE_CLIENT_ID: config.googleClientId, GOOGLE_CLIENT_SECRET: config.googleClientSecret };
    const googleStarted = unset(google).length < 2;
    missing = config.oidcIssuer || config.oidcClientId || !googleStarted ? unset(oidc) : unset(google);
    if (missing.length === 3) {
      throw new GitloreError(
        ERROR_CODES.CONFIG_INVALID,
        'GITLORE_AUTH=oidc needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
        {
          hint: 'Register gitlore at your identity provider with the redirect URI <GITLORE_PUBLIC_URL>/auth/callback; see docs/authentication.md.',
        },
      );
    }
  }
  if (missing.length > 0) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `GITLORE_AUTH=${config.auth} needs ${list(missing)}.`, {
      hint: 'Register gitlore at your identity provider with the redirect URI <GITLORE_PUBLIC_URL>/auth/callback; see docs/authentication.md.',
    });
  }
}

/** Listens first, then starts background sync and indexing; resolves once the socket is bound. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { app } = options;
  const requireAuth = await resolveAuth(app, options.host);
  const scheduler = options.jobs;
  let allowedHosts: string[] | null = null;
  let phase: ReadyPhase = 'starting';
  const metrics = createServerMetrics(app, { jobs: scheduler, processMetrics: true });
  const http = createHttpApp({
    metrics,
    readiness: () => phase,
    allowedHosts: () => allowedHosts,
    app,
    version: options.version,
    scheduler,
    requireAuth,
    tools: options.tools,
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: http.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? 'Set PORT (or --port) to a free port.' : 'Check HOST and PORT.';
      reject(
        new GitloreError(ERROR_CODES.CONFIG_INVALID, `Cannot listen on ${options.host}:${options.port}: ${error.message}.`, {
          hint,
          cause: error,
        }),
      );
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}`;
  // Without tokens, only loopback names may address the server (DNS-rebinding guard).
  if (!requireAuth) allowedHosts = ['127.0.0.1', 'localhost', '[::1]', hostForUrl.toLowerCase()].map((h) => `${h}:${port}`);

  if (scheduler && options.background) await scheduler.start();
  // Permissions are mirrored whenever people sign in, `--no-sync` or not: access must not go stale with the code.
  // Where the queue runs it as a job (PostgreSQL: a worker does), the server only asks for it on the interval.
  const signIn = app.config.auth !== 'none';
  const permissions = signIn && !scheduler?.startPermissionSync ? createPermissionSchedule(app, options.permissionSync) : null;
  permissions?.start();
  const backups = createBackupSchedule(app, { version: options.version, ...options.backups });
  backups?.start();
  if (signIn) await scheduler?.startPermissionSync?.();
  // Ready once the index state has been read (on PostgreSQL: the database answered); the store was opened and
  // migrated before the server was built. /health answers from the first moment, /ready from then on.
  const ready = readIndexState(app, () => phase === 'stopping').then((loaded) => {
    if (loaded && phase === 'starting') phase = 'ready';
  });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Load balancers stop sending new requests while the in-flight ones finish.
      phase = 'stopping';
      metrics.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await Promise.all([permissions?.stop(), backups?.stop(), scheduler?.stop({ abort: true })]);
      const timer = setTimeout(() => {
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, options.drainMs ?? 10_000);
      timer.unref();
      await drained;
      clearTimeout(timer);
    })();
    return closing;
  };
  return { url, port, jobs: scheduler, requireAuth, ready, close };
}

/**
 * Reads what search needs before the first query: the embedding model record and, for it, the vector search state.
 * A read that fails (the database restarting) is retried every second until it succeeds or the server stops.
 */
async function readIndexState(app: App, stopped: () => boolean): Promise<boolean> {
  for (let attempt = 1; !stopped(); attempt++) {
    try {
      const model = await app.store.index.getMeta('embedding_model');
      if (model) await app.store.index.vectorSearchInfo(model);
      return true;
    } catch (error) {
      if (attempt === 1)
        app.log.warn('cannot read the index state yet; /ready answers 503 until it can', { error: (error as Error).message });
      await new Promise((resolve) => setTimeout(resolve, 1000).unref());
    }
  }
  return false;
}
