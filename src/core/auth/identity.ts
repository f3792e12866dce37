import type { IdentityClaims, IdentityProvider } from '../../store/index.js';
import type { SignInFacts } from './signInPolicy.js';

/** What one trip to an identity provider proved: who the person is, and what the sign-in policy needs to know. */
export interface VerifiedIdentity {
  claims: IdentityClaims;
  facts: SignInFacts;
  /** GitHub only: the user's OAuth token, which permission sync reads their repositories with (stored sealed, never logged). */
  githubToken?: string;
}

/** The values that tie a provider's answer to the request that asked: kept by the browser in a sealed cookie until the callback. */
export interface FlowChecks {
  state: string;
  codeVerifier: string;
  /** OpenID Connect only: the ID token must carry it. */
  nonce?: string;
}

/** One identity provider's side of the authorization code flow. */
export interface SignInProvider {
  readonly kind: IdentityProvider;
  /** For the sign-in button: "Google", "GitHub", or an issuer's host name. */
  readonly label: string;
  /** Where to send the browser, and the checks its answer must pass. */
  start(redirectUri: string): Promise<{ url: string; checks: FlowChecks }>;
  /**
   * Checks the answer the browser brought back to `redirectUri` (its query in `callbackQuery`), redeems the code and
   * returns the identity; UNAUTHORIZED when the answer or the token does not check out, NETWORK when the provider is unreachable.
   */
  finish(callbackQuery: URLSearchParams, checks: FlowChecks, redirectUri: string, signal?: AbortSignal): Promise<VerifiedIdentity>;
}
