import { listDirectory } from '../git/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { githubPage } from '../sources/index.js';
import { credentialsFor } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { safeRepoPath } from './files.js';
import { resolveRepo } from './repoGate.js';

export interface TreeListing {
  repo: string;
  /** The folder, '' for the root. */
  path: string;
  commit: string;
  /** Folders first, then files, each by name. */
  entries: { name: string; path: string; type: 'file' | 'dir' | 'submodule'; size: number | null }[];
  /** The repository's page on GitHub, or null when it does not live there. */
  githubUrl: string | null;
}

const TYPE = { blob: 'file', tree: 'dir', commit: 'submodule' } as const;
const ORDER = { dir: 0, submodule: 1, file: 2 } as const;

/** One folder of a repository at the synced HEAD: its files and subfolders. Paths are checked as getFile checks them. */
export async function listTree(params: { repo: string; path?: string }, ctx: RequestContext): Promise<TreeListing> {
  ctx.signal.throwIfAborted();
  const repo = await resolveRepo(ctx, params.repo);
  const raw = (params.path ?? '').replace(/\/+$/, '');
  const path = raw === '' ? '' : safeRepoPath(raw);
  if (!repo.headCommit) {
    throw new GitloreError(ERROR_CODES.NOT_SYNCED, `${repo.name} has not been synced yet.`, {
      hint: `Run \`gitlore sync repo ${repo.name}\` first.`,
    });
  }
  const git = { credentials: credentialsFor(ctx.services, repo), signal: ctx.signal };
  const entries = await listDirectory(repo.localPath, repo.headCommit, path, git);
  if (!entries) {
    throw new GitloreError(ERROR_CODES.FILE_NOT_FOUND, `No folder ${path} in ${repo.name}.`, {
      hint: 'Check the path; open the repository root to browse.',
    });
  }
  return {
    repo: repo.name,
    path,
    commit: repo.headCommit,
    entries: entries
      .map((e) => ({ name: e.name, path: path ? `${path}/${e.name}` : e.name, type: TYPE[e.type], size: e.size }))
      .sort((a, b) => ORDER[a.type] - ORDER[b.type] || a.name.localeCompare(b.name)),
    githubUrl: githubPage(repo, ctx.services.config.githubApiUrl),
  };
}

/** The repository's page on GitHub, or null when it does not live there. */
export async function repoGithubUrl(params: { repo: string }, ctx: RequestContext): Promise<string | null> {
  return githubPage(await resolveRepo(ctx, params.repo), ctx.services.config.githubApiUrl);
}
