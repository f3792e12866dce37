import { randomBytes } from 'node:crypto';
import type { ResolvedConfig } from '../../config/index.js';
import type { SessionStore, UserRecord } from '../../store/index.js';
import { hashToken } from '../apiTokens.js';

/** A session's last-seen time is written at most this often (every request would be a write). */
const TOUCH_EVERY_MS = 60_000;

export type SessionPolicy = Pick<ResolvedConfig, 'sessionIdleSec' | 'sessionMaxAgeSec'>;

export interface StartedSession {
  /** The cookie value: 256 random bits, given to the browser once; the store keeps only its SHA-256. */
  secret: string;
  expiresAt: string;
}

/**
 * A new session for a user who just signed in. Sign-in always makes a new one (the old cookie, if any,
 * is ended by the caller), so a session id fixed before sign-in is never promoted.
 */
export async function startSession(
  sessions: SessionStore,
  user: UserRecord,
  policy: SessionPolicy,
  userAgent?: string | null,
): Promise<StartedSession> {
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + policy.sessionMaxAgeSec * 1000).toISOString();
  await sessions.create({ idHash: hashToken(secret), userId: user.id, expiresAt, userAgent: userAgent?.slice(0, 300) ?? null });
  return { secret, expiresAt };
}

/**
 * The user a session cookie belongs to, or null when it is unknown, past its absolute expiry, idle
 * for longer than the idle limit, or its user is disabled. An expired session is deleted on sight.
 */
export async function resolveSession(
  sessions: SessionStore,
  secret: string,
  policy: SessionPolicy,
  now = Date.now(),
): Promise<UserRecord | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const idHash = hashToken(secret);
  const found = await sessions.find(idHash);
  if (!found) return null;
  const { session, user } = found;
  const lastSeen = Date.parse(session.lastSeenAt);
  if (Date.parse(session.expiresAt) <= now || lastSeen + policy.sessionIdleSec * 1000 <= now) {
    await sessions.delete(idHash);
    return null;
  }
  if (now - lastSeen >= TOUCH_EVERY_MS) await sessions.touch(idHash, new Date(now).toISOString());
  return user;
}

/** Logout: this session only. */
export async function endSession(sessions: SessionStore, secret: string): Promise<void> {
  await sessions.delete(hashToken(secret));
}
