import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { DiscoveredRepo } from './types.js';

const ThrottledOctokit = Octokit.plugin(throttling, retry);

/** Longest rate-limit wait we sit out (seconds); beyond it the listing fails with RATE_LIMITED. */
const MAX_RATE_LIMIT_WAIT_S = 900;

export interface GithubSourceOptions {
  apiUrl: string;
  token?: string;
  log: Logger;
  signal?: AbortSignal;
  /** Scales Octokit's retry waits (1000 = seconds); tests lower it. */
  retryAfterBaseMs?: number;
}

export type GithubOwner = { org: string } | { user: string };

interface ApiRepo {
  name: string;
  full_name: string;
  owner?: { login?: string } | null;
  private?: boolean;
  fork?: boolean;
  archived?: boolean;
  default_branch?: string;
  description?: string | null;
  language?: string | null;
  pushed_at?: string | null;
  clone_url?: string;
  html_url?: string;
}

export function createOctokit(options: GithubSourceOptions): InstanceType<typeof ThrottledOctokit> {
  const log = options.log;
  const base = options.retryAfterBaseMs ?? 1000;
  return new ThrottledOctokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: 'gitlore',
    request: { signal: options.signal },
    log: { debug: () => {}, info: () => {}, warn: (m: string) => log.debug(m), error: (m: string) => log.debug(m) },
    retry: { retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
        if (retryCount >= 3 || retryAfter > MAX_RATE_LIMIT_WAIT_S) return false;
        log.warn(`GitHub rate limit reached; waiting ${retryAfter}s before retrying ${request.method} ${request.url}`);
        return true;
      },
      onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
        if (retryCount >= 3) return false;
        log.warn(`GitHub secondary rate limit; waiting ${retryAfter}s before retrying ${request.method} ${request.url}`);
        return true;
      },
    },
  });
}

/**
 * Every repository of an organization or user, all pages. With a token that belongs to
 * the user, their private repositories are listed too (`/user/repos`).
 */
export async function listGithubRepos(owner: GithubOwner, options: GithubSourceOptions): Promise<DiscoveredRepo[]> {
  const octokit = createOctokit(options);
  const what = 'org' in owner ? `organization ${owner.org}` : `user ${owner.user}`;
  const sourceKey = 'org' in owner ? `github:org/${owner.org}` : `github:user/${owner.user}`;
  try {
    let repos: ApiRepo[];
    if ('org' in owner) {
      repos = (await octokit.paginate(octokit.rest.repos.listForOrg, { org: owner.org, type: 'all', per_page: 100 })) as ApiRepo[];
    } else {
      const self = options.token ? await octokit.rest.users.getAuthenticated().then((r) => r.data.login) : null;
      repos =
        self && self.toLowerCase() === owner.user.toLowerCase()
          ? ((await octokit.paginate(octokit.rest.repos.listForAuthenticatedUser, { affiliation: 'owner', per_page: 100 })) as ApiRepo[])
          : ((await octokit.paginate(octokit.rest.repos.listForUser, { username: owner.user, type: 'owner', per_page: 100 })) as ApiRepo[]);
    }
    return repos.map((r) => toDiscovered(r, sourceKey));
  } catch (error) {
    throw githubError(error, what, options);
  }
}

function toDiscovered(r: ApiRepo, sourceKey: string): DiscoveredRepo {
  const owner = r.owner?.login ?? r.full_name.split('/')[0] ?? null;
  return {
    name: r.name,
    owner,
    sourceType: 'github',
    sourceKey,
    fullName: r.full_name,
    cloneUrl: r.clone_url ?? '',
    htmlUrl: r.html_url ?? null,
    defaultBranch: r.default_branch ?? null,
    description: r.description ?? null,
    language: r.language ?? null,
    isPrivate: r.private ?? false,
    isFork: r.fork ?? false,
    isArchived: r.archived ?? false,
    pushedAt: r.pushed_at ?? null,
  };
}

/** Turns Octokit's RequestError into a one-line GitloreError; never includes the token. */
function githubError(error: unknown, what: string, options: GithubSourceOptions): GitloreError {
  if (error instanceof GitloreError) return error;
  const e = error as { status?: number; name?: string; message?: string; response?: { headers?: Record<string, string> } };
  const api = options.apiUrl;
  if (e.name === 'AbortError') return new GitloreError(ERROR_CODES.ABORTED, `Listing ${what} was cancelled.`);
  if (e.status === 401) {
    return new GitloreError(ERROR_CODES.AUTH_FAILED, `GitHub (${api}) refused the token while listing ${what} (401 Bad credentials).`, {
      hint: 'Fix GITHUB_TOKEN (or GH_TOKEN): it is invalid, expired or revoked.',
    });
  }
  if ((e.status === 403 || e.status === 429) && e.response?.headers?.['x-ratelimit-remaining'] === '0') {
    const reset = Number(e.response.headers['x-ratelimit-reset'] ?? 0);
    return new GitloreError(ERROR_CODES.RATE_LIMITED, `GitHub rate limit exhausted while listing ${what}.`, {
      hint: reset ? `It resets at ${new Date(reset * 1000).toISOString()}; set GITHUB_TOKEN for a higher limit.` : 'Set GITHUB_TOKEN.',
    });
  }
  if (e.status === 403) {
    return new GitloreError(ERROR_CODES.AUTH_FAILED, `GitHub (${api}) denied access while listing ${what} (403).`, {
      hint: 'Check that GITHUB_TOKEN has the repo/read:org scopes for it.',
    });
  }
  if (e.status === 404) {
    return new GitloreError(ERROR_CODES.SOURCE_NOT_FOUND, `GitHub (${api}) has no ${what}, or it is not visible with this token.`, {
      hint: 'Check GITHUB_ORG / GITHUB_USER (and GITHUB_API_URL for Enterprise).',
    });
  }
  const message = (e.message ?? String(error)).split('\n')[0];
  return new GitloreError(ERROR_CODES.NETWORK, `Cannot list ${what} from ${api}: ${message}`, {
    hint: 'Check network access and GITHUB_API_URL.',
    cause: error,
  });
}
