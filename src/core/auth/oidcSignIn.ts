import * as oidc from 'openid-client';
import type { ResolvedConfig } from '../../config/index.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { FlowChecks, SignInProvider, VerifiedIdentity } from './identity.js';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** Seconds any call to the issuer (discovery, token, keys) may take. */
const ISSUER_TIMEOUT_S = 10;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The setting that names the issuer, for messages: OIDC_ISSUER, or GOOGLE_CLIENT_ID for Google. */
  origin: 'OIDC_ISSUER' | 'GOOGLE_CLIENT_ID';
}

type OidcConfig = Pick<ResolvedConfig, 'oidcIssuer' | 'oidcClientId' | 'oidcClientSecret' | 'googleClientId' | 'googleClientSecret'>;

/** The issuer to sign in with: OIDC_ISSUER when set, else Google when GOOGLE_CLIENT_ID/SECRET are; null when neither is complete. */
export function oidcSettings(config: OidcConfig): OidcSettings | null {
  if (config.oidcIssuer && config.oidcClientId && config.oidcClientSecret) {
    return { issuer: config.oidcIssuer, clientId: config.oidcClientId, clientSecret: config.oidcClientSecret, origin: 'OIDC_ISSUER' };
  }
  if (!config.oidcIssuer && config.googleClientId && config.googleClientSecret) {
    return { issuer: GOOGLE_ISSUER, clientId: config.googleClientId, clientSecret: config.googleClientSecret, origin: 'GOOGLE_CLIENT_ID' };
  }
  return null;
}

/** Plain http is allowed only for an issuer on this machine (a development or test issuer). */
function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function labelOf(settings: OidcSettings): string {
  return settings.issuer === GOOGLE_ISSUER ? 'Google' : new URL(settings.issuer).host;
}

/** An openid-client failure as one line a person can act on; the library's own wording names the check that failed. */
function callbackError(error: unknown, label: string): GitloreError {
  if (error instanceof GitloreError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    const why = error.error === 'access_denied' ? 'sign-in was cancelled or refused there' : (error.error_description ?? error.error);
    return new GitloreError(ERROR_CODES.UNAUTHORIZED, `${label} did not sign you in: ${why} (${error.error}).`, {
      hint: 'Try again; if it keeps failing, ask whoever runs gitlore to check the OIDC client settings.',
    });
  }
  if (error instanceof oidc.ResponseBodyError) {
    return new GitloreError(ERROR_CODES.UNAUTHORIZED, `${label} refused the sign-in code: ${error.error_description ?? error.error}.`, {
      hint: 'Sign-in codes work once and expire within minutes: start again.',
    });
  }
  const cause = error as { message?: string; code?: string; cause?: { code?: string } };
  if (cause.code === 'OAUTH_TIMEOUT' || cause.cause?.code === 'ECONNREFUSED' || cause.message === 'fetch failed') {
    return new GitloreError(ERROR_CODES.NETWORK, `${label} cannot be reached to finish sign-in.`, {
      hint: 'Try again in a moment; the server running gitlore must reach the issuer.',
      cause: error,
    });
  }
  // openid-client's own message is generic ("unexpected JWT claim value encountered"); its cause names the check.
  const detail = cause.cause instanceof Error ? cause.cause.message : (cause.message ?? String(error));
  return new GitloreError(ERROR_CODES.UNAUTHORIZED, `The answer from ${label} did not check out: ${detail.replace(/\.$/, '')}.`, {
    hint: 'Start sign-in again; an old or copied sign-in link cannot be reused.',
    cause: error,
  });
}

/**
 * OpenID Connect sign-in with openid-client: discovery (cached once it succeeds), authorization code with PKCE, state
 * and nonce, and the ID token validated by the library (issuer, audience, signature, expiry, nonce), never by hand.
 */
export function createOidcSignIn(settings: OidcSettings): SignInProvider {
  const label = labelOf(settings);
  const issuer = new URL(settings.issuer);
  let discovered: Promise<oidc.Configuration> | null = null;

  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        timeout: ISSUER_TIMEOUT_S,
        // Non-repudiation: the ID token's signature is checked against the issuer's keys even though it came straight
        // from the token endpoint (the library otherwise trusts TLS for that, and a bad signature would pass).
        execute: [
          oidc.enableNonRepudiationChecks,
          ...(issuer.protocol === 'http:' && isLoopbackUrl(issuer) ? [oidc.allowInsecureRequests] : []),
        ],
      })
      .catch((error: unknown) => {
        discovered = null;
        const reason = (error as { message?: string }).message ?? String(error);
        throw new GitloreError(
          ERROR_CODES.NETWORK,
          `Sign-in is unavailable: the issuer ${settings.issuer} (${settings.origin}) could not be discovered: ${reason}.`,
          {
            hint: `Check ${settings.origin} and that this server reaches ${issuer.origin}/.well-known/openid-configuration.`,
            cause: error,
          },
        );
      });
    return discovered;
  };

  return {
    kind: 'oidc',
    label,
    async start(redirectUri) {
      const config = await configuration();
      const checks: FlowChecks = { state: oidc.randomState(), codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid email profile',
        state: checks.state,
        nonce: checks.nonce as string,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, checks };
    },
    async finish(callbackQuery, checks, redirectUri) {
      const config = await configuration();
      // The redirect URI with the provider's answer: openid-client sends it (less the answer) to the token endpoint.
      const current = new URL(redirectUri);
      current.search = callbackQuery.toString();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error('no ID token');
        return identityOf(claims);
      } catch (error) {
        throw callbackError(error, label);
      }
    },
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The ID token's claims as gitlore keeps them: the subject qualified by its issuer, so two issuers never share a user. */
function identityOf(claims: oidc.IDToken): VerifiedIdentity {
  const email = text(claims.email);
  const hostedDomain = text(claims.hd);
  return {
    claims: { provider: 'oidc', subject: `${claims.iss}|${claims.sub}`, email, name: text(claims.name) },
    facts: { email, emailVerified: claims.email_verified === true, hostedDomain },
  };
}
