import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RepoRecord } from '../store/index.js';
import type { RequestContext } from './context.js';

/**
 * The one gate between a principal and the repositories: every read by name, and every read by
 * chunk, file or commit id, asks it. The anonymous local user sees every registered repository;
 * login plugs its permissions in here and nowhere else.
 */
export async function visibleRepos(ctx: RequestContext): Promise<RepoRecord[]> {
  const all = await ctx.services.store.repos.list();
  switch (ctx.principal.kind) {
    case 'local':
      return all;
  }
}

/** The ids a principal may read, or null when it may read every repository (no filter needed). */
export async function visibleRepoIds(ctx: RequestContext): Promise<Set<number> | null> {
  if (ctx.principal.kind === 'local') return null;
  return new Set((await visibleRepos(ctx)).map((r) => r.id));
}

/**
 * A repository by name, the same way at every door: the exact name, else the name or owner/name
 * ignoring case. A repository the principal may not see answers REPO_NOT_FOUND like a missing one.
 */
export async function resolveRepo(ctx: RequestContext, name: string): Promise<RepoRecord> {
  const repo = matchRepoName(await visibleRepos(ctx), name);
  if (repo) return repo;
  throw new GitloreError(ERROR_CODES.REPO_NOT_FOUND, `No repository named ${JSON.stringify(name)}.`, {
    hint: 'Run `gitlore repo list` to see the registered names.',
  });
}

/** The repository a name designates among these: exact name first, then name or full name ignoring case. */
export function matchRepoName(repos: readonly RepoRecord[], name: string): RepoRecord | undefined {
  const lower = name.toLowerCase();
  return (
    repos.find((r) => r.name === name) ??
    repos.find((r) => r.name.toLowerCase() === lower) ??
    repos.find((r) => r.fullName.toLowerCase() === lower)
  );
}
