import type { UserRecord } from '../../store/index.js';
import { recordAudit } from '../audit.js';
import type { RequestContext } from '../context.js';
import { createGithubOAuth, githubOAuthSettings } from './githubOauth.js';
import type { SignInProvider, VerifiedIdentity } from './identity.js';
import { createOidcSignIn, oidcSettings } from './oidcSignIn.js';
import { syncUserPermissions } from './permissionSync.js';
import { seal } from './secretBox.js';
import { type StartedSession, startSession } from './sessions.js';
import { decideSignIn } from './signInPolicy.js';

export interface SignInProviders {
  /** The provider GITLORE_AUTH names; null when sign-in is off or not configured. */
  signIn: SignInProvider | null;
  /** GitHub, for linking a GitHub account to a user who signs in elsewhere (GITLORE_AUTH=oidc with GITHUB_CLIENT_ID/SECRET). */
  githubLink: SignInProvider | null;
}

/** The providers of this configuration, made once per server (each caches what it discovers). */
export function createSignInProviders(ctx: Pick<RequestContext, 'services'>): SignInProviders {
  const { config, log } = ctx.services;
  const github = githubOAuthSettings(config);
  const oidc = oidcSettings(config);
  const githubProvider = github ? createGithubOAuth(github, log.child('github-oauth')) : null;
  if (config.auth === 'github') return { signIn: githubProvider, githubLink: null };
  if (config.auth === 'oidc') return { signIn: oidc ? createOidcSignIn(oidc) : null, githubLink: githubProvider };
  return { signIn: null, githubLink: null };
}

export interface SignInOptions {
  ip?: string | null;
  userAgent?: string | null;
}

export type SignInOutcome = { ok: true; user: UserRecord; session: StartedSession } | { ok: false; reason: string };

/**
 * Signs a verified identity in: the policy (allow-lists, admins) decides; a refusal is audited and starts nothing;
 * otherwise the user is found or made (joined to an existing user by email only when the email is verified), made
 * admin when GITLORE_ADMINS names them, their GitHub token stored sealed, and a new session started. Ending the
 * browser's old session (rotation) is the caller's part.
 */
export async function signIn(identity: VerifiedIdentity, ctx: RequestContext, options: SignInOptions = {}): Promise<SignInOutcome> {
  const { store, config } = ctx.services;
  const ip = options.ip ?? null;
  const decision = decideSignIn(identity.facts, config);
  const who = { provider: identity.claims.provider, email: identity.facts.email, githubLogin: identity.facts.githubLogin ?? null };
  if (!decision.allowed) {
    await recordAudit(ctx, {
      actor: 'anonymous',
      action: 'auth.sign_in_refused',
      target: identity.claims.subject,
      detail: { ...who, reason: decision.reason },
      ip,
    });
    return { ok: false, reason: decision.reason };
  }
  const linkByEmail = identity.facts.emailVerified && identity.facts.email !== null;
  let user = await store.users.signIn(identity.claims, { role: decision.role, linkByEmail });
  if (user.disabledAt) {
    const reason = `${identity.facts.email ?? identity.facts.githubLogin ?? 'This account'} is disabled on this gitlore.`;
    await recordAudit(ctx, { actor: user.id, action: 'auth.sign_in_refused', target: user.id, detail: { ...who, reason }, ip });
    return { ok: false, reason };
  }
  if (decision.role === 'admin' && user.role !== 'admin') {
    await store.users.setRole(user.id, 'admin');
    user = { ...user, role: 'admin' };
    await recordAudit(ctx, { actor: 'local', action: 'role.set', target: user.id, detail: { role: 'admin', by: 'GITLORE_ADMINS' }, ip });
  }
  const session = await startSession(store.sessions, user, config, options.userAgent);
  await recordAudit(ctx, { actor: user.id, action: 'auth.sign_in', target: user.id, detail: { ...who, role: user.role }, ip });
  if (identity.githubToken) await keepGithubToken(user.id, identity.githubToken, ctx);
  return { ok: true, user, session };
}

/**
 * Links a GitHub account to a signed-in user (a Google or OIDC user, once): IDENTITY_TAKEN when another user holds it.
 * Audited as `identity.link`; the token is stored sealed and handed to permission sync.
 */
export async function linkGithub(
  userId: string,
  identity: VerifiedIdentity,
  ctx: RequestContext,
  options: SignInOptions = {},
): Promise<UserRecord> {
  const { users } = ctx.services.store;
  // The address the user signs in with stays theirs; a GitHub email fills it only when there is none.
  const current = await users.get(userId);
  const user = await users.link(userId, current?.email ? { ...identity.claims, email: null } : identity.claims);
  await recordAudit(ctx, {
    actor: userId,
    action: 'identity.link',
    target: userId,
    detail: { provider: 'github', githubLogin: identity.claims.githubLogin ?? null, githubId: identity.claims.githubId ?? null },
    ip: options.ip ?? null,
  });
  if (identity.githubToken) await keepGithubToken(userId, identity.githubToken, ctx);
  return user;
}

async function keepGithubToken(userId: string, token: string, ctx: RequestContext): Promise<void> {
  const { store, config, log } = ctx.services;
  // resolveAuth refuses to start sign-in without SECRET_KEY, so it is set here.
  await store.users.setIdentityToken(userId, 'github', seal(config.secretKey as string, token));
  // The user's repository access is refreshed now, so a new user sees their private repositories on the first page.
  // A GitHub failure keeps the last known access (the sync records it); it never undoes the sign-in.
  try {
    const user = await store.users.get(userId);
    if (user) await syncUserPermissions({ userId }, { ...ctx, principal: { kind: 'user', id: user.id, role: user.role } });
  } catch (error) {
    log.child('sign-in').warn(`Refreshing the repository access of ${userId} after sign-in failed; the next scheduled sync retries.`, {
      error: (error as Error).message,
    });
  }
}
