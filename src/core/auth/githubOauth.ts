import { timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { ResolvedConfig } from '../../config/index.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { createOctokit } from '../../sources/github.js';
import type { FlowChecks, SignInProvider, VerifiedIdentity } from './identity.js';

/** read:user and user:email say who the person is; read:org lists private org memberships; repo lets permission sync list their private repositories. */
export const GITHUB_SCOPES = 'read:user user:email read:org repo';

/** Seconds the code exchange may take. */
const EXCHANGE_TIMEOUT_MS = 10_000;

/**
 * The web origin the OAuth pages live on, from the API URL: api.github.com → github.com; GitHub Enterprise's
 * `https://ghe.example.com/api/v3` → https://ghe.example.com; anything else (a proxy, a test fake) → its own origin.
 */
export function githubWebBase(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return url.origin;
}

export interface GithubOAuthSettings {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}

/** GitHub OAuth settings when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are both set, else null. */
export function githubOAuthSettings(
  config: Pick<ResolvedConfig, 'githubApiUrl' | 'githubClientId' | 'githubClientSecret'>,
): GithubOAuthSettings | null {
  if (!config.githubClientId || !config.githubClientSecret) return null;
  return { apiUrl: config.githubApiUrl, clientId: config.githubClientId, clientSecret: config.githubClientSecret };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const unauthorized = (message: string, hint = 'Start sign-in again; an old or copied sign-in link cannot be reused.') =>
  new GitloreError(ERROR_CODES.UNAUTHORIZED, message, { hint });

/**
 * GitHub's OAuth web flow (github.com or GitHub Enterprise): state and PKCE (S256) on the authorize redirect, the
 * code redeemed at /login/oauth/access_token, then who the user is from /user, /user/emails and /user/orgs.
 */
export function createGithubOAuth(settings: GithubOAuthSettings, log: Logger): SignInProvider {
  const web = githubWebBase(settings.apiUrl);
  const label = new URL(web).hostname === 'github.com' ? 'GitHub' : `GitHub (${new URL(web).host})`;

  async function exchange(code: string, checks: FlowChecks, redirectUri: string, signal?: AbortSignal): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${web}/login/oauth/access_token`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'gitlore' },
        body: new URLSearchParams({
          client_id: settings.clientId,
          client_secret: settings.clientSecret,
          code,
          redirect_uri: redirectUri,
          code_verifier: checks.codeVerifier,
        }),
        signal: AbortSignal.any([AbortSignal.timeout(EXCHANGE_TIMEOUT_MS), ...(signal ? [signal] : [])]),
      });
    } catch (error) {
      throw new GitloreError(ERROR_CODES.NETWORK, `${label} cannot be reached to finish sign-in.`, {
        hint: `Try again in a moment; the server running gitlore must reach ${web}.`,
        cause: error,
      });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: string; error_description?: string };
    // GitHub answers a bad code with 200 and an `error` field.
    if (!response.ok || typeof body.access_token !== 'string' || body.access_token === '') {
      const why = body.error_description ?? body.error ?? `HTTP ${response.status}`;
      if (body.error === 'incorrect_client_credentials') {
        throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `${label} refused gitlore's OAuth app credentials: ${why}.`, {
          hint: 'Check GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.',
        });
      }
      throw unauthorized(`${label} refused the sign-in code: ${why}.`, 'Sign-in codes work once and expire within minutes: start again.');
    }
    return body.access_token;
  }

  async function identity(token: string, signal?: AbortSignal): Promise<VerifiedIdentity> {
    const octokit = createOctokit({ apiUrl: settings.apiUrl, token, log, signal });
    try {
      const user = (await octokit.rest.users.getAuthenticated()).data;
      const emails = (await octokit.paginate(octokit.rest.users.listEmailsForAuthenticatedUser, { per_page: 100 })) as {
        email: string;
        primary: boolean;
        verified: boolean;
      }[];
      const orgs = (await octokit.paginate(octokit.rest.orgs.listForAuthenticatedUser, { per_page: 100 })) as { login: string }[];
      const primary = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified) ?? emails.find((e) => e.primary);
      const email = primary?.email ?? null;
      return {
        claims: {
          provider: 'github',
          subject: String(user.id),
          email,
          name: user.name ?? null,
          githubLogin: user.login,
          githubId: user.id,
        },
        facts: { email, emailVerified: primary?.verified ?? false, githubLogin: user.login, githubOrgs: orgs.map((o) => o.login) },
        githubToken: token,
      };
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 403) {
        throw unauthorized(
          `${label} did not accept the new token (HTTP ${status}).`,
          'Try again; if it keeps failing, check the OAuth app.',
        );
      }
      throw new GitloreError(ERROR_CODES.NETWORK, `${label} could not tell who signed in: ${(error as Error).message}.`, {
        hint: 'Try again in a moment.',
        cause: error,
      });
    }
  }

  return {
    kind: 'github',
    label,
    async start(redirectUri) {
      const checks: FlowChecks = { state: oidc.randomState(), codeVerifier: oidc.randomPKCECodeVerifier() };
      const url = new URL('/login/oauth/authorize', web);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        scope: GITHUB_SCOPES,
        state: checks.state,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        allow_signup: 'false',
      }).toString();
      return { url: url.href, checks };
    },
    async finish(query, checks, redirectUri, signal) {
      const error = query.get('error');
      if (error) {
        const why = error === 'access_denied' ? 'sign-in was cancelled or refused there' : (query.get('error_description') ?? error);
        throw unauthorized(`${label} did not sign you in: ${why} (${error}).`, 'Try again, and authorize the gitlore app on GitHub.');
      }
      if (!sameText(query.get('state') ?? '', checks.state)) {
        throw unauthorized(`The answer from ${label} did not check out: its state does not match this browser's sign-in.`);
      }
      const code = query.get('code');
      if (!code) throw unauthorized(`The answer from ${label} has no code.`);
      return identity(await exchange(code, checks, redirectUri, signal), signal);
    },
  };
}
