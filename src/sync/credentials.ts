import type { ResolvedConfig, SourceConfig } from '../config/index.js';
import type { GitCredentials } from '../git/index.js';
import { isGithubUrl, sourceKey } from '../sources/index.js';
import type { RepoRecord } from '../store/index.js';

type CredentialConfig = Pick<ResolvedConfig, 'sources' | 'githubToken' | 'githubApiUrl'>;
type RepoRef = Pick<RepoRecord, 'sourceType' | 'sourceKey' | 'cloneUrl'>;

/** Which token each repository's remote takes; every git call that may reach the network asks it. */
export interface RepoCredentials {
  /** The token for this repository's remote, or null (local clones, other hosts, no token configured). */
  forRepo(repo: RepoRef): GitCredentials | null;
  /**
   * Sources a sync ran with beyond the config (`POST /api/ingest`): their own tokens then apply
   * to their repositories for the life of this process. Kept in memory only, never stored.
   */
  remember(sources: readonly SourceConfig[]): void;
}

/**
 * A GitHub repository takes its source's own token (from the config file, else from the ingest
 * request that listed it), else GITHUB_TOKEN. A git URL takes GITHUB_TOKEN only when it points at
 * the configured GitHub host. Local clones take none.
 */
export function createRepoCredentials(config: CredentialConfig): RepoCredentials {
  const configured = new Map(config.sources.map((s) => [sourceKey(s), s]));
  const remembered = new Map<string, SourceConfig>();
  const ownToken = (key: string): string | undefined => {
    const own = (source: SourceConfig | undefined) => (source?.type === 'github' ? source.token : undefined);
    return own(configured.get(key)) ?? own(remembered.get(key));
  };
  return {
    forRepo(repo) {
      if (!/^https?:\/\//i.test(repo.cloneUrl)) return null;
      let token: string | undefined;
      if (repo.sourceType === 'github') token = ownToken(repo.sourceKey) ?? config.githubToken;
      else if (repo.sourceType === 'git' && isGithubUrl(repo.cloneUrl, config.githubApiUrl)) token = config.githubToken;
      return token ? { token, url: repo.cloneUrl } : null;
    },
    remember(sources) {
      for (const source of sources) if (source.type === 'github' && source.token) remembered.set(sourceKey(source), source);
    },
  };
}

/** The process's resolver when the caller holds one, else one from its config (no ingest tokens). */
export function credentialsFor(app: { config: CredentialConfig; credentials?: RepoCredentials }, repo: RepoRef): GitCredentials | null {
  return (app.credentials ?? createRepoCredentials(app.config)).forRepo(repo);
}
