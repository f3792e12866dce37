import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type GitOptions, runGit } from './git.js';

export interface RemoteHead {
  /** Commit the remote's HEAD points at, or null for an empty repository. */
  sha: string | null;
  /** The remote's default branch (from the HEAD symref), when it advertises one. */
  branch: string | null;
}

/** One round trip that reads the remote default branch and its commit, without fetching. */
export async function lsRemoteHead(url: string, options: GitOptions = {}): Promise<RemoteHead> {
  const { stdout } = await runGit(['ls-remote', '--symref', '--', url, 'HEAD'], options);
  let sha: string | null = null;
  let branch: string | null = null;
  for (const line of stdout.split('\n')) {
    const symref = /^ref: refs\/heads\/(\S+)\s+HEAD$/.exec(line);
    if (symref) branch = symref[1] ?? null;
    const ref = /^([0-9a-f]{40,64})\s+HEAD$/.exec(line);
    if (ref) sha = ref[1] ?? null;
  }
  return { sha, branch };
}

export interface CloneOptions extends GitOptions {
  /** `--filter=blob:none`: full history, blobs fetched on demand. Ignored for local paths by git. */
  partial?: boolean;
  branch?: string | null;
}

export async function cloneRepo(url: string, dest: string, options: CloneOptions = {}): Promise<void> {
  const args = ['clone', '--quiet', options.onProgress ? '--progress' : '--no-progress'];
  if (options.partial) args.push('--filter=blob:none');
  if (options.branch) args.push('--branch', options.branch);
  args.push('--', url, dest);
  await runGit(args, options);
}

/**
 * Fetches every branch (force-updating rewritten ones) and hard-resets the working tree
 * to the remote default branch, discarding anything local.
 */
export async function fetchAndReset(dir: string, branch: string, options: GitOptions = {}): Promise<boolean> {
  const progress = options.onProgress ? '--progress' : '--no-progress';
  await runGit(['-C', dir, 'fetch', '--quiet', progress, '--prune', '--force', 'origin'], options);
  return resetTo(dir, branch, options);
}

/**
 * Fetches, then hard-resets to the commit the remote's HEAD points at, detached: for an upstream whose HEAD names
 * no branch (a local folder checked out at a commit), whose branches may all point elsewhere.
 */
export async function fetchAndResetToRemoteHead(dir: string, options: GitOptions = {}): Promise<void> {
  const progress = options.onProgress ? '--progress' : '--no-progress';
  await runGit(['-C', dir, 'fetch', '--quiet', progress, '--prune', '--force', 'origin'], options);
  await runGit(['-C', dir, 'fetch', '--quiet', '--no-progress', 'origin', 'HEAD'], options);
  await runGit(['-C', dir, 'checkout', '--quiet', '--force', '--detach', 'FETCH_HEAD'], options);
  await runGit(['-C', dir, 'clean', '-q', '-ffdx'], options);
}

/** Hard-resets to `origin/<branch>`; false when that branch does not exist (an empty upstream). */
export async function resetTo(dir: string, branch: string, options: GitOptions = {}): Promise<boolean> {
  const ref = `refs/remotes/origin/${branch}`;
  const exists = await runGit(['-C', dir, 'rev-parse', '--verify', '-q', ref], options)
    .then(() => true)
    .catch(() => false);
  if (!exists) return false;
  await runGit(['-C', dir, 'checkout', '--quiet', '--force', '-B', branch, ref], options);
  await runGit(['-C', dir, 'clean', '-q', '-ffdx'], options);
  return true;
}

export interface LocalHead {
  sha: string | null;
  branch: string | null;
}

export async function localHead(dir: string, options: GitOptions = {}): Promise<LocalHead> {
  // One process for both: prints the commit, then `refs/heads/<branch>` (or `HEAD` when detached).
  const both = await runGit(['-C', dir, 'rev-parse', 'HEAD', '--symbolic-full-name', 'HEAD'], options).catch(() => null);
  if (both) {
    const [sha, ref] = both.stdout.trim().split('\n');
    return { sha: sha || null, branch: ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null };
  }
  // An unborn branch (empty repository): no commit yet, but HEAD still names the branch.
  const branch = await runGit(['-C', dir, 'symbolic-ref', '--short', '-q', 'HEAD'], options)
    .then((r) => r.stdout.trim() || null)
    .catch(() => null);
  return { sha: null, branch };
}

/** A folder that holds a usable clone (not a half-written one). */
export function looksLikeClone(dir: string): boolean {
  return existsSync(join(dir, '.git', 'HEAD')) && existsSync(join(dir, '.git', 'objects'));
}

/** Is `path` inside a git work tree or a bare repository? */
export async function isGitRepository(path: string): Promise<boolean> {
  return runGit(['-C', path, 'rev-parse', '--git-dir'])
    .then(() => true)
    .catch(() => false);
}
