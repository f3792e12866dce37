import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isGitRepository } from '../git/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { assertNoCredentials, gitUrlRepo, isRemoteUrl, localRepo } from '../sources/index.js';
import type { RepoRecord } from '../store/index.js';

export type { RepoRecord };

import { NAME_PATTERN, sanitizeName, urlKey } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { resolveRepo, visibleRepos } from './repoGate.js';
import type { Services } from './services.js';
import { withWriterLock } from './writerLock.js';

export interface AddRepoInput {
  /** A git URL (https, ssh, git, file) or a local folder. */
  target: string;
  name?: string;
}

/** Registers one repository (`gitlore repo add`); it is cloned by the next sync. */
export async function addRepo(input: AddRepoInput, ctx: RequestContext): Promise<RepoRecord> {
  const { config, store } = ctx.services;
  const target = input.target.trim();
  if (!target)
    throw new GitloreError(ERROR_CODES.USAGE, 'Missing repository URL or path.', {
      hint: 'Usage: gitlore repo add <git-url | path> [--name NAME]',
    });
  if (input.name !== undefined && !NAME_PATTERN.test(input.name)) {
    throw new GitloreError(ERROR_CODES.USAGE, `Invalid --name ${JSON.stringify(input.name)}.`, {
      hint: 'Use letters, digits, ".", "_" or "-", not starting with "." or "-".',
    });
  }
  // Before anything that could echo the target: a URL with a password must not reach a message.
  assertNoCredentials(target);
  let discovered: ReturnType<typeof localRepo>;
  if (isRemoteUrl(target)) {
    discovered = gitUrlRepo(target, { name: input.name, sourceKey: 'manual' });
  } else {
    const path = resolve(config.cwd, target);
    if (!existsSync(path)) {
      throw new GitloreError(ERROR_CODES.PATH_INVALID, `${target} is neither a git URL nor an existing folder.`, {
        hint: 'Pass an https://, ssh:// or git@ URL, or the path of a local git repository.',
      });
    }
    if (!(await isGitRepository(path))) {
      throw new GitloreError(ERROR_CODES.PATH_INVALID, `${path} is not a git repository.`, {
        hint: 'Run `git init` there, or pass a repository folder.',
      });
    }
    discovered = localRepo(path, { name: input.name, sourceKey: 'manual' });
  }
  const name = input.name ?? sanitizeName(discovered.name);
  // Names and URLs are unique across every registered repository, seen by this principal or not.
  const all = await store.repos.list();
  const sameUrl = all.find((r) => urlKey(r.cloneUrl) === urlKey(discovered.cloneUrl));
  if (sameUrl) {
    throw new GitloreError(ERROR_CODES.REPO_EXISTS, `${discovered.cloneUrl} is already registered as ${sameUrl.name}.`, {
      hint: `Run \`gitlore repo remove ${sameUrl.name}\` first to re-add it.`,
    });
  }
  if (all.some((r) => r.name.toLowerCase() === name.toLowerCase())) {
    throw new GitloreError(ERROR_CODES.REPO_EXISTS, `A repository named ${name} is already registered.`, {
      hint: 'Choose another name with --name NAME.',
    });
  }
  ctx.signal.throwIfAborted();
  return store.repos.upsert({
    name,
    sourceType: discovered.sourceType,
    sourceKey: 'manual',
    fullName: discovered.fullName,
    cloneUrl: discovered.cloneUrl,
    htmlUrl: discovered.htmlUrl,
    localPath: join(config.reposPath, name),
  });
}

/** `gitlore repo list` and `sync status`: the repositories the principal may see. */
export async function listRepos(_input: Record<string, never>, ctx: RequestContext): Promise<RepoRecord[]> {
  return visibleRepos(ctx);
}

/**
 * Unregisters a repository: deletes its record (with its index and history) and its clone.
 * A repository from a configured source comes back on the next sync unless excluded.
 */
export async function removeRepo(input: { name: string }, ctx: RequestContext): Promise<{ repo: RepoRecord; fromSource: boolean }> {
  const repo = await resolveRepo(ctx, input.name);
  ctx.signal.throwIfAborted();
  // An index or sync writing this repository's rows or clone at the same time would race the delete.
  await withWriterLock(ctx, 'removing', async () => {
    await ctx.services.store.repos.remove(repo.id);
    deleteClone(ctx.services, repo);
  });
  return { repo, fromSource: repo.sourceKey !== 'manual' };
}

/** Deletes a clone folder, but only one inside the configured repos folder. */
export function deleteClone(services: Services, repo: RepoRecord): void {
  const { reposPath } = services.config;
  const rel = relative(reposPath, repo.localPath);
  if (!rel || rel.startsWith('..') || resolve(repo.localPath) === resolve(reposPath)) return;
  rmSync(repo.localPath, { recursive: true, force: true });
}
