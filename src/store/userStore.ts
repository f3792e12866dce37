export type UserRole = 'admin' | 'member';

/** Where a sign-in identity comes from: an OpenID Connect issuer (Google or any) or GitHub OAuth. */
export type IdentityProvider = 'oidc' | 'github';

export interface UserRecord {
  /** Opaque, stable; what sessions, tokens, threads and the audit log refer to. */
  id: string;
  email: string | null;
  name: string | null;
  role: UserRole;
  /** The linked GitHub account, whose repository access gitlore mirrors. */
  githubLogin: string | null;
  githubId: number | null;
  createdAt: string;
  lastSignInAt: string | null;
  disabledAt: string | null;
}

export interface IdentityClaims {
  provider: IdentityProvider;
  /** The provider's stable subject (`iss|sub` for OIDC, the numeric id for GitHub). */
  subject: string;
  email?: string | null;
  name?: string | null;
  githubLogin?: string | null;
  githubId?: number | null;
}

/** People who sign in, and the identities (OIDC subject, GitHub account) each is known by. */
export interface UserStore {
  /**
   * The user this identity belongs to, updated with the claims; a new user with `role` when the identity is
   * new. A new identity whose verified email matches a user's joins that user only when `linkByEmail` is true.
   */
  signIn(claims: IdentityClaims, options: { role: UserRole; linkByEmail: boolean }): Promise<UserRecord>;
  /** Adds an identity (a GitHub account) to a signed-in user; CONFLICT when another user already holds it. */
  link(userId: string, claims: IdentityClaims): Promise<UserRecord>;
  get(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  /** false when no such user. */
  setRole(id: string, role: UserRole): Promise<boolean>;
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
  /** Keeps (or with null forgets) the sealed OAuth token of the user's identity at this provider; false when the user has none there. */
  setIdentityToken(userId: string, provider: IdentityProvider, sealedToken: string | null): Promise<boolean>;
  /** The user's identity at this provider and its sealed token, or null when the user has no such identity. */
  identity(userId: string, provider: IdentityProvider): Promise<{ subject: string; sealedToken: string | null } | null>;
}
