import { randomBytes } from 'node:crypto';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { IdentityClaims } from './userStore.js';

/** The `users u` columns as UserRecord fields, the same in every backend. */
export const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.github_login AS "githubLogin", u.github_id AS "githubId",
  u.created_at AS "createdAt", u.last_sign_in_at AS "lastSignInAt", u.disabled_at AS "disabledAt"`;

/** The `sessions s` columns as SessionRecord fields. */
export const SESSION_COLUMNS = `s.id_hash AS "idHash", s.user_id AS "userId", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt",
  s.expires_at AS "expiresAt", s.user_agent AS "userAgent"`;

/** A new user's opaque id. */
export const newUserId = () => `u_${randomBytes(12).toString('base64url')}`;

/** The GitHub account the claims name (a GitHub identity carries it), for the user row. */
export const githubOf = (claims: IdentityClaims) => ({ login: claims.githubLogin ?? null, id: claims.githubId ?? null });

export function identityTakenError(claims: IdentityClaims): GitloreError {
  return new GitloreError(ERROR_CODES.IDENTITY_TAKEN, `That ${claims.provider} account is already linked to another gitlore user.`, {
    hint: 'Sign in as that user and unlink it first, or ask an admin.',
  });
}

export const userGoneError = () => new GitloreError(ERROR_CODES.UNAUTHORIZED, 'The signed-in user no longer exists.');
