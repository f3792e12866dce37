import type { App } from '../../core/app.js';
import type { SignInProviders } from '../../core/auth/signIn.js';
import type { JobQueue } from '../../core/jobs.js';
import type { AnyTool } from '../../core/tools/index.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { ServerMetrics } from '../metrics.js';
import type { Assets } from '../web/assets.js';

/** Where the server is in its life: GET /ready answers 200 only when `ready`. */
export type ReadyPhase = 'starting' | 'ready' | 'stopping';

/** What the route modules are given: resolved once by createHttpApp. */
export interface RouteDeps {
  app: App;
  version: string;
  tools: readonly AnyTool[];
  requireAuth: boolean;
  startedAt: number;
  /** Background jobs; null where nothing runs in the background. */
  jobs: JobQueue | null;
  /** Routes reachable without a session or token (server/publicRoutes.ts). */
  publicRoutes: readonly string[];
  /** The web app's built bundles, for the HTML pages the sign-in routes answer with. */
  assets: Assets;
  /** The identity providers of this configuration (made once: OIDC discovery is cached in them). */
  signIn: SignInProviders;
  /** This process's Prometheus registry (GET /metrics). */
  metrics: ServerMetrics;
  readiness(): ReadyPhase;
}

/** The job queue, or NOT_CONFIGURED where this process runs no background jobs. */
export function requireJobs(deps: RouteDeps): JobQueue {
  if (!deps.jobs) {
    throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Background jobs are not running in this process.', {
      hint: 'Run `gitlore serve`.',
    });
  }
  return deps.jobs;
}
