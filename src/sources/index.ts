import picomatch from 'picomatch';
import type { ResolvedConfig, SourceConfig } from '../config/index.js';
import type { Logger } from '../shared/logger.js';
import { gitUrlRepo } from './gitUrl.js';
import { listLocalRepos } from './local.js';
import type { DiscoveredRepo } from './types.js';

export type { GithubOwner } from './github.js';
export { githubHost, githubPage, isGithubUrl } from './githubUrl.js';
export { assertNoCredentials, gitUrlRepo, isRemoteUrl, nameFromUrl } from './gitUrl.js';
export { isRepoFolder, listLocalRepos, localRepo, localRepoName } from './local.js';
export type { DiscoveredRepo } from './types.js';

export interface DiscoverOptions {
  log: Logger;
  signal?: AbortSignal;
  retryAfterBaseMs?: number;
}

export interface Discovery {
  repos: DiscoveredRepo[];
  /** Source keys of every configured source (all listed successfully, else discovery throws). */
  sourceKeys: string[];
  /** Repos dropped by the archived/fork/include/exclude filters. */
  filtered: number;
}

export function sourceKey(source: SourceConfig): string {
  if (source.type === 'github') return 'org' in source ? `github:org/${source.org}` : `github:user/${source.user}`;
  if (source.type === 'git') return `git:${source.url}`;
  return `local:${source.path}`;
}

/** The token and API base a GitHub source uses: its own, else the global ones. */
export function githubAccess(source: SourceConfig | undefined, config: ResolvedConfig): { token?: string; apiUrl: string } {
  const own = source?.type === 'github' ? source : undefined;
  return { token: own?.token ?? config.githubToken, apiUrl: own?.apiUrl ?? config.githubApiUrl };
}

/**
 * Lists every configured source and applies the archived/fork and include/exclude
 * filters. A source that cannot be listed throws (bad token, unknown org).
 */
export async function discoverRepos(config: ResolvedConfig, options: DiscoverOptions): Promise<Discovery> {
  const all: DiscoveredRepo[] = [];
  for (const source of config.sources) {
    const key = sourceKey(source);
    if (source.type === 'github') {
      const owner = 'org' in source ? { org: source.org } : { user: source.user };
      const access = githubAccess(source, config);
      // Octokit is a fifth of a CLI start-up: loaded only when a GitHub source is listed.
      const { listGithubRepos } = await import('./github.js');
      const repos = await listGithubRepos(owner, {
        ...access,
        log: options.log,
        signal: options.signal,
        retryAfterBaseMs: options.retryAfterBaseMs,
      });
      options.log.debug(`listed ${repos.length} repositories from ${key}`);
      all.push(...repos);
    } else if (source.type === 'git') {
      all.push(gitUrlRepo(source.url, { name: source.name, sourceKey: key }));
    } else {
      const repos = listLocalRepos(source.path, { name: source.name, sourceKey: key });
      if (repos.length === 0) options.log.warn(`local source ${source.path} matched no git repositories`);
      all.push(...repos);
    }
  }
  const keep = repoFilter(config);
  const repos = all.filter(keep);
  return { repos, sourceKeys: config.sources.map(sourceKey), filtered: all.length - repos.length };
}

/** Archived repos and forks are skipped unless configured; include/exclude globs match `owner/name` or `name`. */
export function repoFilter(config: Pick<ResolvedConfig, 'include' | 'exclude' | 'includeArchived' | 'includeForks'>) {
  const include = config.include.length > 0 ? picomatch([...config.include], { nocase: true }) : null;
  const exclude = config.exclude.length > 0 ? picomatch([...config.exclude], { nocase: true }) : null;
  return (repo: DiscoveredRepo): boolean => {
    if (repo.isArchived && !config.includeArchived) return false;
    if (repo.isFork && !config.includeForks) return false;
    const names = [repo.fullName, repo.name];
    if (include && !names.some((n) => include(n))) return false;
    if (exclude && names.some((n) => exclude(n))) return false;
    return true;
  };
}
