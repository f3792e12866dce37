import type { UserRecord } from './userStore.js';

/** A browser session: the cookie holds a random secret, the store only its SHA-256. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute expiry; the idle expiry is checked against lastSeenAt by the caller. */
  expiresAt: string;
  userAgent: string | null;
}

export interface SessionStore {
  create(session: { idHash: string; userId: string; expiresAt: string; userAgent?: string | null }): Promise<SessionRecord>;
  /** The session and its user, or null (unknown, or its user is disabled). */
  find(idHash: string): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  touch(idHash: string, at: string): Promise<void>;
  delete(idHash: string): Promise<boolean>;
  /** Logout everywhere: every session of the user; returns how many. */
  deleteForUser(userId: string): Promise<number>;
  /** Sessions past their absolute expiry or idle since `idleBefore`; returns how many were removed. */
  deleteExpired(now: string, idleBefore: string): Promise<number>;
}
