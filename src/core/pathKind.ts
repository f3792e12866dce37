import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { credentialsFor } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { blobInfo, safeRepoPath } from './files.js';
import { resolveRepo } from './repoGate.js';

/** What `path` is at the repository's synced HEAD: a file, a folder, or nothing (deleted, renamed, never there). */
export async function pathKindAtHead(params: { repo: string; path: string }, ctx: RequestContext): Promise<'file' | 'dir' | null> {
  ctx.signal.throwIfAborted();
  const repo = await resolveRepo(ctx, params.repo);
  const path = safeRepoPath(params.path.replace(/\/+$/, ''));
  if (!repo.headCommit) {
    throw new GitloreError(ERROR_CODES.NOT_SYNCED, `${repo.name} has not been synced yet.`, {
      hint: `Run \`gitlore sync repo ${repo.name}\` first.`,
    });
  }
  const info = await blobInfo(
    { cwd: repo.localPath, credentials: credentialsFor(ctx.services, repo), signal: ctx.signal },
    `${repo.headCommit}:${path}`,
  ).catch(() => {
    ctx.signal.throwIfAborted();
    return null;
  });
  return info?.type === 'blob' ? 'file' : info?.type === 'tree' ? 'dir' : null;
}
