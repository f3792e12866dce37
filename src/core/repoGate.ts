import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RepoRecord } from '../store/index.js';
import type { RequestContext } from './context.js';

/**
 * The one gate between a principal and the repositories: every read by name, and every read by
 * chunk, file or commit id, asks it. The local operator and admins see every registered repository.
 * A signed-in member sees public GitHub repositories, the private ones GitHub lets them read
 * (mirrored into the store by the permission sync), and git-URL and local-folder repositories
 * when GITLORE_DEFAULT_VISIBILITY is `all`.
 */
export async function visibleRepos(ctx: RequestContext): Promise<RepoRecord[]> {
  const [all, mayRead] = await Promise.all([ctx.services.store.repos.list(), readRule(ctx)]);
  return mayRead ? all.filter(mayRead) : all;
}

/** Whether the principal may read a repository, as a predicate; null when it may read every one. */
async function readRule(ctx: RequestContext): Promise<((repo: RepoRecord) => boolean) | null> {
  const { principal, services } = ctx;
  if (principal.kind === 'local' || principal.role === 'admin') return null;
  const granted = await services.store.access.readableRepoIds(principal.id);
  const others = services.config.defaultVisibility === 'all';
  return (repo) => (repo.sourceType === 'github' ? !repo.isPrivate || granted.has(repo.id) : others);
}

/** The ids a principal may read, or null when it may read every repository (no filter needed). */
export async function visibleRepoIds(ctx: RequestContext): Promise<Set<number> | null> {
  if (ctx.principal.kind === 'local' || ctx.principal.role === 'admin') return null;
  return new Set((await visibleRepos(ctx)).map((r) => r.id));
}

/**
 * A repository by name, the same way at every door: the exact name, else the name or owner/name
 * ignoring case. A repository the principal may not see answers REPO_NOT_FOUND like a missing one.
 */
export async function resolveRepo(ctx: RequestContext, name: string): Promise<RepoRecord> {
  // The exact name, the common case, is one indexed lookup instead of listing every repository (1,000: ~1 ms).
  const [exact, mayRead] = await Promise.all([ctx.services.store.repos.get(name), readRule(ctx)]);
  if (exact?.name === name && (!mayRead || mayRead(exact))) return exact;
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
