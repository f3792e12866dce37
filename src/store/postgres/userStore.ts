import { githubOf, identityTakenError, newUserId, USER_COLUMNS, userGoneError } from '../userColumns.js';
import type { IdentityClaims, UserRecord, UserStore } from '../userStore.js';
import type { PgDb, PgQueryable } from './database.js';
import { changedRows } from './rowCount.js';

// lower() in the "C" collation folds ASCII only, as SQLite's does (and matches the users_email index).
const BY_EMAIL = `SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email COLLATE "C") = lower($1::text COLLATE "C")`;
const BY_IDENTITY = `SELECT ${USER_COLUMNS} FROM users u JOIN user_identities i ON i.user_id = u.id WHERE i.provider = $1 AND i.subject = $2`;

async function one<R extends UserRecord>(on: PgQueryable, text: string, params: unknown[]): Promise<R | null> {
  return (await on.query<R>(text, params)).rows[0] ?? null;
}

const getUser = (on: PgQueryable, id: string) => one(on, `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);

async function insertIdentity(on: PgQueryable, claims: IdentityClaims, userId: string, email: string | null, now: string): Promise<void> {
  await on.query('INSERT INTO user_identities (provider, subject, user_id, email, created_at) VALUES ($1, $2, $3, $4, $5)', [
    claims.provider,
    claims.subject,
    userId,
    email,
    now,
  ]);
}

/** Updates the row with the claims, leaving the email alone when another user holds it. */
async function applyClaims(on: PgQueryable, userId: string, claims: IdentityClaims): Promise<void> {
  const owner = claims.email ? await one(on, BY_EMAIL, [claims.email]) : null;
  const email = owner && owner.id !== userId ? null : (claims.email ?? null);
  const gh = githubOf(claims);
  await on.query(
    `UPDATE users SET email = coalesce($1, email), name = coalesce($2, name),
       github_login = coalesce($3, github_login), github_id = coalesce($4, github_id) WHERE id = $5`,
    [email, claims.name ?? null, gh.login, gh.id, userId],
  );
}

export function createPgUserStore(db: PgDb): UserStore {
  // Sign-ins and links read then write; one at a time across processes, as SQLite's single writer makes them.
  const serialized = <T>(work: (client: PgQueryable) => Promise<T>) =>
    db.tx(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('gitlore.users'))`);
      return work(client);
    });

  return {
    signIn: (claims, options) =>
      serialized(async (client) => {
        const now = new Date().toISOString();
        let user = await one(client, BY_IDENTITY, [claims.provider, claims.subject]);
        if (!user && options.linkByEmail && claims.email) {
          user = await one(client, BY_EMAIL, [claims.email]);
          if (user) await insertIdentity(client, claims, user.id, claims.email, now);
        }
        if (user) await applyClaims(client, user.id, claims);
        else {
          const id = newUserId();
          const gh = githubOf(claims);
          // An email another user already has (unverified or not linked) stays off the new row.
          const email = claims.email && !(await one(client, BY_EMAIL, [claims.email])) ? claims.email : null;
          await client.query(
            'INSERT INTO users (id, email, name, role, github_login, github_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
            [id, email, claims.name ?? null, options.role, gh.login, gh.id, now],
          );
          await insertIdentity(client, claims, id, claims.email ?? null, now);
          user = { id } as UserRecord;
        }
        await client.query('UPDATE users SET last_sign_in_at = $1 WHERE id = $2', [now, user.id]);
        return (await getUser(client, user.id)) as UserRecord;
      }),
    link: (userId, claims) =>
      serialized(async (client) => {
        const holder = await one(client, BY_IDENTITY, [claims.provider, claims.subject]);
        if (holder && holder.id !== userId) throw identityTakenError(claims);
        if (!(await getUser(client, userId))) throw userGoneError();
        if (!holder) await insertIdentity(client, claims, userId, claims.email ?? null, new Date().toISOString());
        await applyClaims(client, userId, { ...claims, name: null });
        return (await getUser(client, userId)) as UserRecord;
      }),
    get: (id) => getUser(db.pool, id),
    findByEmail: (email) => one(db.pool, BY_EMAIL, [email]),
    async list() {
      return db.rows<UserRecord>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.created_at COLLATE "C", u.id COLLATE "C"`);
    },
    async setRole(id, role) {
      return (await changedRows(db.pool, 'UPDATE users SET role = $1 WHERE id = $2', [role, id])) > 0;
    },
    async setDisabled(id, disabled) {
      const at = disabled ? new Date().toISOString() : null;
      return (await changedRows(db.pool, 'UPDATE users SET disabled_at = $1 WHERE id = $2', [at, id])) > 0;
    },
    async setIdentityToken(userId, provider, sealedToken) {
      const sql = 'UPDATE user_identities SET sealed_token = $1 WHERE user_id = $2 AND provider = $3';
      return (await changedRows(db.pool, sql, [sealedToken, userId, provider])) > 0;
    },
    async identity(userId, provider) {
      return db.row<{ subject: string; sealedToken: string | null }>(
        `SELECT subject, sealed_token AS "sealedToken" FROM user_identities WHERE user_id = $1 AND provider = $2
         ORDER BY created_at COLLATE "C" DESC LIMIT 1`,
        [userId, provider],
      );
    },
  };
}
