import pLimit from 'p-limit';
import { registerSecret } from '../../shared/redact.js';
import { githubAccess, sourceKey } from '../../sources/index.js';
import type { PermissionSyncState, RepoRecord, UserRecord } from '../../store/index.js';
import { recordAudit } from '../audit.js';
import type { RequestContext } from '../context.js';
import { requireAdmin } from '../roles.js';
import { userById } from '../users.js';
import { classifyGithubFailure, type GithubPermissionReader, githubPermissionReader } from './githubPermissions.js';
import { open } from './secretBox.js';

/** GitHub calls in flight at once, per pass: well under GitHub's secondary limit on concurrent requests (100). */
const CONCURRENCY = 8;

export interface PermissionSyncOptions {
  /** Scales Octokit's retry waits on 5xx and rate limits (1000 = seconds); tests and benches lower it. */
  retryAfterBaseMs?: number;
}

/** What one sync did for one user. `unlinked`: no GitHub token to ask, so only repo-driven grants apply. */
export interface UserPermissionOutcome {
  userId: string;
  status: PermissionSyncState['status'] | 'unlinked';
  /** Private repositories readable after the sync. */
  repoCount: number;
  added: number;
  removed: number;
  error: string | null;
}

export interface PermissionSyncReport {
  users: UserPermissionOutcome[];
  /** The repo-driven pass: private GitHub repositories whose collaborators were listed, and those that failed (their last grants stay). */
  repos: { checked: number; failed: { repoId: number; repo: string; error: string }[] };
  tookMs: number;
}

/**
 * Refreshes one user's access from their own GitHub token (user-driven): what `/user/repos` lists, mapped onto the
 * registered private GitHub repositories. Called on sign-in, from their page and by admins. A 401/403/410 revokes
 * their access at once and forgets the token; a 5xx or rate limit keeps the last known access and records the failure.
 */
export async function syncUserPermissions(
  input: { userId: string } & PermissionSyncOptions,
  ctx: RequestContext,
): Promise<UserPermissionOutcome> {
  requireSelfOrAdmin(ctx, input.userId, "refresh another user's permissions");
  const user = await userById(ctx.services, input.userId);
  const { access } = ctx.services.store;
  const before = await access.readableRepoIds(user.id);
  const outcome = await refreshFromUserToken(user, await privateGithubRepos(ctx), ctx, input);
  const after = await access.readableRepoIds(user.id);
  if (outcome.status !== 'revoked') await auditChange(ctx, user.id, before, after);
  return { ...outcome, ...diff(before, after) };
}

/**
 * The whole mirror (admins, the schedule): repo-driven for every registered private GitHub repository (its
 * collaborators, through the token its source syncs with), then user-driven for every user with a linked GitHub
 * token. `userIds` and `repoIds` narrow it (the schedule retries only what failed); absent means all.
 */
export async function syncAllPermissions(
  input: { userIds?: readonly string[]; repoIds?: readonly number[] } & PermissionSyncOptions,
  ctx: RequestContext,
): Promise<PermissionSyncReport> {
  requireAdmin(ctx, "sync everyone's repository permissions");
  const started = Date.now();
  const { store } = ctx.services;
  const repos = await privateGithubRepos(ctx);
  const everyone = await store.users.list();
  const linked = everyone.filter((u) => u.githubId !== null || u.githubLogin !== null);
  const users = input.userIds ? linked.filter((u) => input.userIds?.includes(u.id)) : linked;
  // Every linked user, not only those in scope: the repo-driven pass can change anyone's access.
  const before = new Map<string, Set<number>>();
  for (const user of linked) before.set(user.id, await store.access.readableRepoIds(user.id));

  const scoped = input.repoIds ? repos.filter((r) => input.repoIds?.includes(r.id)) : repos;
  const failed = await syncCollaborators(scoped, everyone, ctx, input);

  const limit = pLimit(CONCURRENCY);
  const outcomes = await Promise.all(
    users.map((user) =>
      limit(async (): Promise<UserPermissionOutcome> => {
        ctx.signal.throwIfAborted();
        const outcome = await refreshFromUserToken(user, repos, ctx, input);
        if (outcome.status === 'unlinked') {
          // Only the repo-driven pass speaks for this user; a revoked token stays revoked until they link again.
          const previous = await store.access.syncState(user.id);
          await store.access.setSyncState({
            userId: user.id,
            status: previous?.status === 'revoked' ? 'revoked' : 'ok',
            lastSyncedAt: new Date().toISOString(),
            lastError: previous?.status === 'revoked' ? previous.lastError : null,
            repoCount: outcome.repoCount,
          });
        }
        return outcome;
      }),
    ),
  );
  const byUser = new Map(outcomes.map((o) => [o.userId, o]));
  for (const [userId, was] of before) {
    const after = await store.access.readableRepoIds(userId);
    const outcome = byUser.get(userId);
    if (outcome?.status !== 'revoked') await auditChange(ctx, userId, was, after);
    if (outcome) Object.assign(outcome, diff(was, after), { repoCount: after.size });
  }
  return { users: outcomes, repos: { checked: scoped.length, failed }, tookMs: Date.now() - started };
}

/** A user's sync state and the private repositories they may read (self or admin). */
export async function showPermissions(
  input: { userId: string },
  ctx: RequestContext,
): Promise<{ userId: string; githubLogin: string | null; linked: boolean; state: PermissionSyncState | null; repos: string[] }> {
  requireSelfOrAdmin(ctx, input.userId, "read another user's permissions");
  const user = await userById(ctx.services, input.userId);
  const { store } = ctx.services;
  const granted = await store.access.readableRepoIds(user.id);
  const repos = (await store.repos.list()).filter((r) => granted.has(r.id)).map((r) => r.name);
  const identity = await store.users.identity(user.id, 'github');
  return {
    userId: user.id,
    githubLogin: user.githubLogin,
    linked: Boolean(identity?.sealedToken),
    state: await store.access.syncState(user.id),
    repos: repos.sort(),
  };
}

function requireSelfOrAdmin(ctx: RequestContext, userId: string, action: string): void {
  if (ctx.principal.kind === 'user' && ctx.principal.id === userId) return;
  requireAdmin(ctx, action);
}

async function privateGithubRepos(ctx: RequestContext): Promise<RepoRecord[]> {
  return (await ctx.services.store.repos.list()).filter((r) => r.sourceType === 'github' && r.isPrivate);
}

/** The user-driven half for one user; writes the `user` grants and the sync state, revokes on 401/403/410. */
async function refreshFromUserToken(
  user: UserRecord,
  repos: readonly RepoRecord[],
  ctx: RequestContext,
  options: PermissionSyncOptions,
): Promise<UserPermissionOutcome> {
  const { store, config } = ctx.services;
  const log = ctx.services.log.child('permissions');
  const identity = await store.users.identity(user.id, 'github');
  const result = (status: UserPermissionOutcome['status'], repoCount: number, error: string | null): UserPermissionOutcome => ({
    userId: user.id,
    status,
    repoCount,
    added: 0,
    removed: 0,
    error,
  });
  if (!identity?.sealedToken) return result('unlinked', (await store.access.readableRepoIds(user.id)).size, null);
  const previous = await store.access.syncState(user.id);
  const fail = async (error: string): Promise<UserPermissionOutcome> => {
    const repoCount = (await store.access.readableRepoIds(user.id)).size;
    log.warn(`permission sync for user ${user.id} failed; keeping the last known access`, { error });
    await store.access.setSyncState({
      userId: user.id,
      status: 'failed',
      lastSyncedAt: previous?.lastSyncedAt ?? null,
      lastError: error,
      repoCount,
    });
    return result('failed', repoCount, error);
  };
  if (!config.secretKey) return fail('SECRET_KEY is not set, so the stored GitHub token cannot be opened.');
  let token: string;
  try {
    token = open(config.secretKey, identity.sealedToken);
  } catch (error) {
    return fail((error as Error).message);
  }
  registerSecret(token);
  try {
    const reader = await githubPermissionReader({ apiUrl: config.githubApiUrl, token, log, signal: ctx.signal, ...options });
    const byName = new Map(repos.map((r) => [r.fullName.toLowerCase(), r.id]));
    const ids = (await reader.readableRepoNames()).flatMap((name) => byName.get(name.toLowerCase()) ?? []);
    await store.access.replaceForUser(user.id, 'user', ids);
  } catch (error) {
    ctx.signal.throwIfAborted();
    const failure = classifyGithubFailure(error);
    if (failure.kind === 'transient') return fail(failure.message);
    const removed = (await store.access.readableRepoIds(user.id)).size;
    await store.access.revokeUser(user.id);
    await store.users.setIdentityToken(user.id, 'github', null);
    const message = `${failure.message}; access revoked and the token forgotten until the user links GitHub again.`;
    await store.access.setSyncState({
      userId: user.id,
      status: 'revoked',
      lastSyncedAt: new Date().toISOString(),
      lastError: message,
      repoCount: 0,
    });
    await recordAudit(ctx, { action: 'permissions.revoked', target: user.id, detail: { status: failure.status, removed } });
    log.warn(`GitHub refused user ${user.id}'s token (${failure.status}); their private repository access is revoked`);
    return result('revoked', 0, message);
  }
  const repoCount = (await store.access.readableRepoIds(user.id)).size;
  await store.access.setSyncState({ userId: user.id, status: 'ok', lastSyncedAt: new Date().toISOString(), lastError: null, repoCount });
  return result('ok', repoCount, null);
}

/**
 * The repo-driven half: each private repository's collaborators (direct, outside, team and org members), through
 * the token its source syncs with, mapped onto users by GitHub id, else login. A repository that cannot be listed
 * keeps its last grants: the token is gitlore's, so its failure says nothing about any user.
 */
async function syncCollaborators(
  repos: readonly RepoRecord[],
  users: readonly UserRecord[],
  ctx: RequestContext,
  options: PermissionSyncOptions,
): Promise<PermissionSyncReport['repos']['failed']> {
  const { store, config, credentials } = ctx.services;
  const log = ctx.services.log.child('permissions');
  const byId = new Map(users.flatMap((u) => (u.githubId !== null ? [[u.githubId, u.id] as const] : [])));
  const byLogin = new Map(users.flatMap((u) => (u.githubLogin ? [[u.githubLogin.toLowerCase(), u.id] as const] : [])));
  const sources = new Map(config.sources.map((s) => [sourceKey(s), s]));
  const readers = new Map<string, Promise<GithubPermissionReader>>();
  const failed: PermissionSyncReport['repos']['failed'] = [];
  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    repos.map((repo) =>
      limit(async () => {
        ctx.signal.throwIfAborted();
        const token = credentials.forRepo(repo)?.token;
        if (!token) {
          failed.push({
            repoId: repo.id,
            repo: repo.name,
            error: 'no GitHub token for this repository (GITHUB_TOKEN or its source token)',
          });
          return;
        }
        const apiUrl = githubAccess(sources.get(repo.sourceKey), config).apiUrl;
        const key = `${apiUrl} ${token}`;
        if (!readers.has(key)) readers.set(key, githubPermissionReader({ apiUrl, token, log, signal: ctx.signal, ...options }));
        try {
          const people = await (await (readers.get(key) as Promise<GithubPermissionReader>)).collaborators(repo.fullName);
          const userIds = people.flatMap((p) => byId.get(p.id) ?? byLogin.get(p.login.toLowerCase()) ?? []);
          await store.access.replaceForRepo(repo.id, [...new Set(userIds)]);
        } catch (error) {
          ctx.signal.throwIfAborted();
          const message = classifyGithubFailure(error).message;
          log.warn(`cannot list the collaborators of ${repo.fullName}; keeping its last known grants`, { error: message });
          failed.push({ repoId: repo.id, repo: repo.name, error: message });
        }
      }),
    ),
  );
  return failed;
}

function diff(before: ReadonlySet<number>, after: ReadonlySet<number>): { added: number; removed: number } {
  return { added: [...after].filter((id) => !before.has(id)).length, removed: [...before].filter((id) => !after.has(id)).length };
}

async function auditChange(ctx: RequestContext, userId: string, before: ReadonlySet<number>, after: ReadonlySet<number>): Promise<void> {
  const { added, removed } = diff(before, after);
  if (added === 0 && removed === 0) return;
  await recordAudit(ctx, { action: 'permissions.changed', target: userId, detail: { added, removed, repoCount: after.size } });
}
