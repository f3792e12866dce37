import { githubOf as github, identityTakenError, newUserId, USER_COLUMNS, userGoneError } from '../userColumns.js';
import type { IdentityClaims, UserRecord, UserRole, UserStore } from '../userStore.js';
import type { Db } from './database.js';

export function createSqliteUserStore(db: Db): UserStore {
  const byId = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`);
  const byEmail = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = lower(?)`);
  const byIdentity = db.prepare(
    `SELECT ${USER_COLUMNS} FROM users u JOIN user_identities i ON i.user_id = u.id WHERE i.provider = ? AND i.subject = ?`,
  );
  const all = db.prepare(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.created_at, u.id`);
  const insertUser = db.prepare(
    'INSERT INTO users (id, email, name, role, github_login, github_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertIdentity = db.prepare('INSERT INTO user_identities (provider, subject, user_id, email, created_at) VALUES (?, ?, ?, ?, ?)');
  const update = db.prepare(`UPDATE users SET
      email = coalesce(?, email), name = coalesce(?, name),
      github_login = coalesce(?, github_login), github_id = coalesce(?, github_id)
    WHERE id = ?`);
  const signedIn = db.prepare('UPDATE users SET last_sign_in_at = ? WHERE id = ?');
  const setRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
  const setDisabled = db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?');
  const setToken = db.prepare('UPDATE user_identities SET sealed_token = ? WHERE user_id = ? AND provider = ?');
  const identityOf = db.prepare(
    'SELECT subject, sealed_token AS sealedToken FROM user_identities WHERE user_id = ? AND provider = ? ORDER BY created_at DESC LIMIT 1',
  );

  const get = (id: string) => (byId.get(id) as UserRecord | undefined) ?? null;
  const applyClaims = (userId: string, claims: IdentityClaims) => {
    const gh = github(claims);
    update.run(claims.email ?? null, claims.name ?? null, gh.login, gh.id, userId);
  };

  const signIn = db.transaction((claims: IdentityClaims, options: { role: UserRole; linkByEmail: boolean }): UserRecord => {
    const now = new Date().toISOString();
    let user = byIdentity.get(claims.provider, claims.subject) as UserRecord | undefined;
    if (!user && options.linkByEmail && claims.email) {
      user = byEmail.get(claims.email) as UserRecord | undefined;
      if (user) insertIdentity.run(claims.provider, claims.subject, user.id, claims.email, now);
    }
    if (!user) {
      const id = newUserId();
      const gh = github(claims);
      // An email another user already has (unverified or not linked) stays off the new row.
      const email = claims.email && !byEmail.get(claims.email) ? claims.email : null;
      insertUser.run(id, email, claims.name ?? null, options.role, gh.login, gh.id, now);
      insertIdentity.run(claims.provider, claims.subject, id, claims.email ?? null, now);
      user = get(id) as UserRecord;
    } else applyClaimsSafely(user.id, claims);
    signedIn.run(now, user.id);
    return get(user.id) as UserRecord;
  });

  /** Updates the row, leaving the email alone when another user holds it. */
  function applyClaimsSafely(userId: string, claims: IdentityClaims): void {
    const owner = claims.email ? (byEmail.get(claims.email) as UserRecord | undefined) : undefined;
    applyClaims(userId, owner && owner.id !== userId ? { ...claims, email: null } : claims);
  }

  const link = db.transaction((userId: string, claims: IdentityClaims): UserRecord => {
    const holder = byIdentity.get(claims.provider, claims.subject) as UserRecord | undefined;
    if (holder && holder.id !== userId) throw identityTakenError(claims);
    if (!get(userId)) throw userGoneError();
    if (!holder) insertIdentity.run(claims.provider, claims.subject, userId, claims.email ?? null, new Date().toISOString());
    applyClaimsSafely(userId, { ...claims, name: null });
    return get(userId) as UserRecord;
  });

  return {
    async signIn(claims, options) {
      return signIn(claims, options);
    },
    async link(userId, claims) {
      return link(userId, claims);
    },
    async get(id) {
      return get(id);
    },
    async findByEmail(email) {
      return (byEmail.get(email) as UserRecord | undefined) ?? null;
    },
    async list() {
      return all.all() as UserRecord[];
    },
    async setRole(id, role) {
      return setRole.run(role, id).changes > 0;
    },
    async setDisabled(id, disabled) {
      return setDisabled.run(disabled ? new Date().toISOString() : null, id).changes > 0;
    },
    async setIdentityToken(userId, provider, sealedToken) {
      return setToken.run(sealedToken, userId, provider).changes > 0;
    },
    async identity(userId, provider) {
      return (identityOf.get(userId, provider) as { subject: string; sealedToken: string | null } | undefined) ?? null;
    },
  };
}
