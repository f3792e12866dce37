import type { Logger } from '../../shared/logger.js';

/** What GitHub's answer means for the access gitlore mirrors. */
export type GithubFailure =
  /** 401, 403 (not a rate limit) or 410: the token no longer reads what it did; access goes at once. */
  | { kind: 'revoked'; status: number; message: string }
  /** 5xx, rate limits, network: the last known access stays and the sync is retried later. */
  | { kind: 'transient'; status: number | null; message: string };

export interface GithubReadOptions {
  apiUrl: string;
  token: string;
  log: Logger;
  signal?: AbortSignal;
  /** Scales Octokit's retry waits (1000 = seconds); tests and benches lower it. */
  retryAfterBaseMs?: number;
}

/** A GitHub account with access to a repository, as the collaborators listing names it. */
export interface GithubCollaborator {
  login: string;
  id: number;
}

type Octokit = Awaited<ReturnType<typeof octokitFor>>;

async function octokitFor(options: GithubReadOptions) {
  // Octokit is a fifth of a CLI start-up: loaded only when a sync talks to GitHub.
  const { createOctokit } = await import('../../sources/github.js');
  return createOctokit(options);
}

/** A reader bound to one token: the user's own (user-driven) or the org's (repo-driven). */
export interface GithubPermissionReader {
  /** Full names (`owner/name`) of every repository the token's user can read: owned, collaborator, organization member. */
  readableRepoNames(): Promise<string[]>;
  /** Everyone with access to the repository: outside and direct collaborators, team members and org members. */
  collaborators(fullName: string): Promise<GithubCollaborator[]>;
}

export async function githubPermissionReader(options: GithubReadOptions): Promise<GithubPermissionReader> {
  const octokit: Octokit = await octokitFor(options);
  return {
    async readableRepoNames() {
      const repos = (await octokit.paginate('GET /user/repos', {
        affiliation: 'owner,collaborator,organization_member',
        per_page: 100,
      })) as { full_name: string }[];
      return repos.map((r) => r.full_name);
    },
    async collaborators(fullName) {
      const [owner = '', repo = ''] = fullName.split('/');
      const people = (await octokit.paginate('GET /repos/{owner}/{repo}/collaborators', {
        owner,
        repo,
        affiliation: 'all',
        per_page: 100,
      })) as { login: string; id: number }[];
      return people.map((p) => ({ login: p.login, id: p.id }));
    },
  };
}

/**
 * Reads an Octokit error the way the rule needs it: a rate limit (403/429 with `x-ratelimit-remaining: 0`, or
 * a secondary limit) is transient even though its status is 403. The message never holds the token: Octokit's
 * messages carry GitHub's text and the URL, not the Authorization header.
 */
export function classifyGithubFailure(error: unknown): GithubFailure {
  const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string | undefined> } };
  const status = typeof e.status === 'number' ? e.status : null;
  const message = (e.message ?? String(error)).split('\n')[0] ?? '';
  const rateLimited =
    status === 429 || (status === 403 && (e.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)));
  if (rateLimited) return { kind: 'transient', status, message: `GitHub rate limit (${status}): ${message}` };
  if (status === 401 || status === 403 || status === 410)
    return { kind: 'revoked', status, message: `GitHub answered ${status}: ${message}` };
  return { kind: 'transient', status, message: status ? `GitHub answered ${status}: ${message}` : message };
}
