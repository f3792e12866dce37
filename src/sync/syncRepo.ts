import { type Dirent, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  cloneRepo,
  fetchAndReset,
  fetchAndResetToRemoteHead,
  type GitCredentials,
  type GitProgress,
  isAuthError,
  localHead,
  looksLikeClone,
  lsRemoteHead,
} from '../git/index.js';
import { ERROR_CODES, type GitloreError, toGitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { redact } from '../shared/redact.js';
import type { RepoRecord, RepoStore, RepoSyncUpdate } from '../store/index.js';
import { makeTempPath } from './tempDirs.js';
import type { RepoSyncResult } from './types.js';

export interface SyncRepoOptions {
  store: RepoStore;
  log: Logger;
  reposPath: string;
  /** The token for this repository's remote (see RepoCredentials); reaches git only per invocation. */
  credentials?: GitCredentials | null;
  /** The record's pushedAt was just read from the API, so pushedAt === syncedPushedAt proves "unchanged". */
  freshPushedAt: boolean;
  timeoutMs: number;
  retries: number;
  /** First retry waits this long, then doubles. */
  retryBaseMs: number;
  signal?: AbortSignal;
  /** git's transfer progress while cloning or fetching (`Receiving objects`, percent). */
  onProgress?: (progress: GitProgress) => void;
}

/** Repos being synced in this process, so two callers (serve + webhook) share one run. */
const inFlight = new Map<string, Promise<RepoSyncResult>>();

/**
 * Brings one clone up to date: clone (partial, into a temp folder, then renamed) when
 * missing; skip when upstream has not moved; else fetch and hard-reset to the default branch.
 * Never throws: failures come back as `status: 'failed'` and are recorded in the store.
 */
export function syncRepo(repo: RepoRecord, options: SyncRepoOptions): Promise<RepoSyncResult> {
  const running = inFlight.get(repo.localPath);
  if (running) return running;
  const promise = syncRepoOnce(repo, options).finally(() => inFlight.delete(repo.localPath));
  inFlight.set(repo.localPath, promise);
  return promise;
}

async function syncRepoOnce(repo: RepoRecord, options: SyncRepoOptions): Promise<RepoSyncResult> {
  const started = Date.now();
  const log = options.log;
  const finish = async (result: Omit<RepoSyncResult, 'durationMs' | 'name'>, update: RepoSyncUpdate): Promise<RepoSyncResult> => {
    const durationMs = Date.now() - started;
    await options.store.updateSync(repo.id, { lastSyncAt: new Date().toISOString(), lastSyncDurationMs: durationMs, ...update });
    return { name: repo.name, ...result, durationMs };
  };

  if (repo.sourceType === 'local' && !existsSync(repo.cloneUrl)) {
    return finish(
      { status: 'gone', headCommit: repo.headCommit, error: `${repo.cloneUrl} no longer exists` },
      { syncStatus: 'gone', syncError: `${repo.cloneUrl} no longer exists` },
    );
  }

  // Fast path: the API says nothing was pushed since the last successful sync.
  if (
    repo.sourceType === 'github' &&
    options.freshPushedAt &&
    repo.pushedAt &&
    repo.pushedAt === repo.syncedPushedAt &&
    repo.syncStatus === 'ok' &&
    looksLikeClone(repo.localPath)
  ) {
    return finish({ status: 'unchanged', headCommit: repo.headCommit }, { syncStatus: 'ok', syncError: null });
  }

  let lastError: GitloreError | null = null;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) {
      const wait = options.retryBaseMs * 2 ** (attempt - 1);
      log.debug(`retrying ${repo.name} in ${wait}ms (attempt ${attempt + 1})`);
      await sleep(wait, options.signal);
    }
    try {
      const outcome = await attemptSync(repo, options);
      return finish(
        { status: outcome.status, headCommit: outcome.head },
        {
          syncStatus: 'ok',
          syncError: null,
          headCommit: outcome.head,
          defaultBranch: outcome.branch ?? repo.defaultBranch,
          syncedPushedAt: repo.pushedAt,
        },
      );
    } catch (error) {
      lastError = toGitloreError(error);
      const fatal = lastError.code === ERROR_CODES.ABORTED || isAuthError(lastError) || options.signal?.aborted;
      log.debug(`sync of ${repo.name} failed (attempt ${attempt + 1}): ${lastError.message}`);
      if (fatal) break;
    }
  }
  const message = redact(lastError?.toLine() ?? 'unknown error');
  return finish({ status: 'failed', headCommit: repo.headCommit, error: message }, { syncStatus: 'failed', syncError: message });
}

interface Outcome {
  status: 'cloned' | 'updated' | 'unchanged';
  head: string | null;
  branch: string | null;
}

async function attemptSync(repo: RepoRecord, options: SyncRepoOptions): Promise<Outcome> {
  const git = { credentials: options.credentials, timeoutMs: options.timeoutMs, signal: options.signal };
  const transfer = { ...git, onProgress: options.onProgress };
  const dir = repo.localPath;

  if (looksLikeClone(dir)) {
    let branch = repo.defaultBranch;
    let detached = false;
    // With a fresh, changed pushed_at we already know we must fetch; otherwise ask the remote first.
    if (!(repo.sourceType === 'github' && options.freshPushedAt && branch)) {
      const remote = await lsRemoteHead(repo.cloneUrl, git);
      if (remote.sha && remote.sha === repo.headCommit) {
        // The store is written only after a complete sync; after anything else, check the clone itself.
        const trusted = repo.syncStatus === 'ok' || (await localHead(dir, git)).sha === remote.sha;
        if (trusted) return { status: 'unchanged', head: remote.sha, branch: remote.branch ?? branch };
      }
      branch = remote.branch ?? branch;
      detached = remote.sha !== null && remote.branch === null;
      if (!remote.sha) {
        // An empty upstream: nothing to fetch.
        return { status: 'unchanged', head: null, branch };
      }
    }
    await markSyncing(repo, options);
    const before = (await localHead(dir, git)).sha;
    removeStaleLocks(dir, options.log);
    // An upstream at a detached commit is followed there, not to whichever branch the clone last had.
    if (detached) await fetchAndResetToRemoteHead(dir, transfer);
    else await fetchAndReset(dir, branch ?? (await localHead(dir, git)).branch ?? 'main', transfer);
    const after = await localHead(dir, git);
    return { status: after.sha === before ? 'unchanged' : 'updated', head: after.sha, branch: after.branch ?? branch };
  }

  // Not a clone (never cloned, or a broken leftover): clone fresh into a temp folder.
  await markSyncing(repo, options);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const tmp = makeTempPath(options.reposPath, repo.name);
  try {
    const partial = repo.sourceType !== 'local' && !repo.cloneUrl.startsWith('/');
    await cloneRepo(repo.cloneUrl, tmp, { ...transfer, partial });
    renameSync(tmp, dir);
  } finally {
    if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  }
  const head = await localHead(dir, git);
  return { status: 'cloned', head: head.sha, branch: head.branch };
}

/** Recorded before git writes anything, so an interrupted sync shows as `syncing` and is re-checked next time. */
async function markSyncing(repo: RepoRecord, options: SyncRepoOptions): Promise<void> {
  if (repo.syncStatus !== 'syncing') await options.store.updateSync(repo.id, { syncStatus: 'syncing' });
  repo.syncStatus = 'syncing';
}

/** Lock files git takes at the top of a repository (index and checkout, HEAD, config, shallow, packed refs). */
const TOP_LOCKS = ['index.lock', 'HEAD.lock', 'ORIG_HEAD.lock', 'FETCH_HEAD.lock', 'config.lock', 'shallow.lock', 'packed-refs.lock'];

/**
 * Removes the lock files a killed git left in a clone (a `kill -9` during checkout leaves `index.lock`,
 * during fetch `refs/remotes/origin/<branch>.lock`), which would fail every later checkout or fetch.
 * Whatever their age: the caller holds the writer lock (core/syncRepos.ts), only its holder runs git in
 * the clones, and none of its git processes outlives its call (no detached gc, see git/env.ts), so no
 * live git of ours holds one.
 */
function removeStaleLocks(dir: string, log?: Logger): void {
  const gitDir = join(dir, '.git');
  const found = TOP_LOCKS.map((name) => join(gitDir, name)).filter((path) => existsSync(path));
  found.push(...lockFilesUnder(join(gitDir, 'refs')));
  for (const path of found) rmSync(path, { force: true });
  if (found.length > 0)
    log?.info(`removed lock files a stopped git left in ${dir}: ${found.map((p) => p.slice(gitDir.length + 1)).join(', ')}`);
}

function lockFilesUnder(folder: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return lockFilesUnder(path);
    return entry.name.endsWith('.lock') ? [path] : [];
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
