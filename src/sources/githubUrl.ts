const DEFAULT_API_URL = 'https://api.github.com';

/** The web and git host of the configured GitHub: `github.com` for api.github.com, else the API's own host (Enterprise). */
export function githubHost(apiUrl: string = DEFAULT_API_URL): string {
  const host = new URL(apiUrl).host.toLowerCase();
  return host === 'api.github.com' ? 'github.com' : host;
}

/**
 * The one rule for "is this a GitHub URL": an http(s) URL on github.com, or on the host of
 * GITHUB_API_URL for GitHub Enterprise. Paths, ssh URLs and other hosts are not.
 */
export function isGithubUrl(url: string | null | undefined, apiUrl?: string): boolean {
  if (!url || !/^https?:\/\//i.test(url)) return false;
  try {
    return new URL(url).host.toLowerCase() === githubHost(apiUrl);
  } catch {
    return false;
  }
}

/** A repository's page on GitHub (for links in results), or null when it does not live there. */
export function githubPage(repo: { sourceType: string; htmlUrl: string | null }, apiUrl?: string): string | null {
  if (!repo.htmlUrl) return null;
  return repo.sourceType === 'github' || isGithubUrl(repo.htmlUrl, apiUrl) ? repo.htmlUrl : null;
}
