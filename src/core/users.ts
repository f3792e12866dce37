import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { PermissionSyncState, UserRecord, UserRole } from '../store/index.js';
import { recordAudit } from './audit.js';
import type { RequestContext } from './context.js';
import { requireAdmin } from './roles.js';
import type { Services } from './services.js';

/** A user named on the command line: by email, else by GitHub login, ignoring case; USAGE naming them when none. */
export async function findUser(services: Pick<Services, 'store'>, emailOrLogin: string): Promise<UserRecord> {
  const { users } = services.store;
  const wanted = emailOrLogin.trim().toLowerCase();
  const user = (await users.findByEmail(wanted)) ?? (await users.list()).find((u) => u.githubLogin?.toLowerCase() === wanted);
  if (user) return user;
  throw new GitloreError(ERROR_CODES.USAGE, `No user ${emailOrLogin}.`, {
    hint: 'Users appear once they have signed in; check the email or GitHub login.',
  });
}

/** A user by id; USAGE naming the id when none. */
export async function userById(services: Pick<Services, 'store'>, id: string): Promise<UserRecord> {
  const user = await services.store.users.get(id);
  if (user) return user;
  throw new GitloreError(ERROR_CODES.USER_NOT_FOUND, `No user with id ${JSON.stringify(id)}.`, {
    hint: 'Users appear once they have signed in; `gitlore audit` names their ids.',
  });
}

export interface UserSummary {
  id: string;
  email: string | null;
  name: string | null;
  role: UserRole;
  githubLogin: string | null;
  createdAt: string;
  lastSignInAt: string | null;
  disabled: boolean;
  /** The last permission sync with GitHub; null when none ran for the user (no linked GitHub account yet). */
  permissions: Omit<PermissionSyncState, 'userId'> | null;
}

async function summarize(user: UserRecord, ctx: RequestContext): Promise<UserSummary> {
  const state = await ctx.services.store.access.syncState(user.id);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    githubLogin: user.githubLogin,
    createdAt: user.createdAt,
    lastSignInAt: user.lastSignInAt,
    disabled: user.disabledAt !== null,
    permissions: state && {
      status: state.status,
      lastSyncedAt: state.lastSyncedAt,
      lastError: state.lastError,
      repoCount: state.repoCount,
    },
  };
}

/** Everyone who has signed in, with role, last sign-in, whether disabled and their permission sync (admins). */
export async function listUsers(ctx: RequestContext): Promise<UserSummary[]> {
  requireAdmin(ctx, 'list users');
  const users = await ctx.services.store.users.list();
  return Promise.all(users.map((user) => summarize(user, ctx)));
}

const isActiveAdmin = (user: UserRecord) => user.role === 'admin' && user.disabledAt === null;

/**
 * Sets a user's role and whether they may sign in (admins); each change is audited. Disabling ends their sessions
 * at once (their tokens are refused by the auth gate while disabled). No change may leave no active admin.
 */
export async function updateUser(id: string, change: { role?: UserRole; disabled?: boolean }, ctx: RequestContext): Promise<UserSummary> {
  requireAdmin(ctx, "change users' roles or disable them");
  const { store } = ctx.services;
  const users = await store.users.list();
  const user = users.find((u) => u.id === id);
  if (!user) {
    throw new GitloreError(ERROR_CODES.USER_NOT_FOUND, `No user ${id}.`, { hint: 'GET /api/users lists users and their ids.' });
  }
  const role = change.role ?? user.role;
  const disabled = change.disabled ?? user.disabledAt !== null;
  const leavesNoAdmin = isActiveAdmin(user) && (role !== 'admin' || disabled) && !users.some((u) => u.id !== id && isActiveAdmin(u));
  if (leavesNoAdmin) {
    throw new GitloreError(ERROR_CODES.FORBIDDEN, `${user.email ?? id} is the last active admin and cannot be demoted or disabled.`, {
      hint: 'Make another user an admin first.',
    });
  }
  if (role !== user.role) {
    await store.users.setRole(id, role);
    await recordAudit(ctx, { action: 'role.set', target: id, detail: { from: user.role, to: role } });
  }
  if (disabled !== (user.disabledAt !== null)) {
    await store.users.setDisabled(id, disabled);
    const sessions = disabled ? await store.sessions.deleteForUser(id) : 0;
    await recordAudit(ctx, { action: disabled ? 'user.disable' : 'user.enable', target: id, detail: disabled ? { sessions } : {} });
  }
  return summarize((await store.users.get(id)) as UserRecord, ctx);
}
