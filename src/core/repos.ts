import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isGitRepository } from '../git/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { gitUrlRepo, isRemoteUrl, localRepo } from '../sources/index.js';
import type { RepoRecord } from '../store/index.js';

export type { RepoRecord };

import { NAME_PATTERN, sanitizeName, urlKey } from '../sync/index.js';
import type { App } from './app.js';
import { createContext } from './context.js';
import { resolveRepo } from './repoGate.js';

export interface AddRepoInput {
  /** A git URL (https, ssh, git, file) or a local folder. */
  target: string;
  name?: string;
}

/** Registers one repository (`gitlore repo add`); it is cloned by the next sync. */
export async function addRepo(app: App, input: AddRepoInput): Promise<RepoRecord> {
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
  let discovered: ReturnType<typeof localRepo>;
  if (isRemoteUrl(target)) {
    discovered = gitUrlRepo(target, { name: input.name, sourceKey: 'manual' });
  } else {
    const path = resolve(app.config.cwd, target);
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
  const all = await app.store.repos.list();
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
  return app.store.repos.upsert({
    name,
    sourceType: discovered.sourceType,
    sourceKey: 'manual',
    fullName: discovered.fullName,
    cloneUrl: discovered.cloneUrl,
    htmlUrl: discovered.htmlUrl,
    localPath: join(app.config.reposPath, name),
  });
}

export async function listRepos(app: App): Promise<RepoRecord[]> {
  return app.store.repos.list();
}

/** The repository with this name, or REPO_NOT_FOUND naming the command that lists them (the repo gate's rule). */
export async function getRepo(app: App, name: string): Promise<RepoRecord> {
  return resolveRepo(createContext(app), name);
}

/**
 * Unregisters a repository: deletes its record (with its index and history) and its clone.
 * A repository from a configured source comes back on the next sync unless excluded.
 */
export async function removeRepo(app: App, name: string): Promise<{ repo: RepoRecord; fromSource: boolean }> {
  const repo = await getRepo(app, name);
  await app.store.repos.remove(repo.id);
  deleteClone(app, repo);
  return { repo, fromSource: repo.sourceKey !== 'manual' };
}

/** Deletes a clone folder, but only one inside the configured repos folder. */
export function deleteClone(app: App, repo: RepoRecord): void {
  const rel = relative(app.config.reposPath, repo.localPath);
  if (!rel || rel.startsWith('..') || resolve(repo.localPath) === resolve(app.config.reposPath)) return;
  rmSync(repo.localPath, { recursive: true, force: true });
}
