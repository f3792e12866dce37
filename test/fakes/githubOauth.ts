import { createHash, randomBytes } from 'node:crypto';
import type { FakeGithubRoute } from './githubServer.js';

/** A GitHub account as the OAuth fake knows it. */
export interface FakeGithubAccount {
  id: number;
  name?: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
  orgs: string[];
}

export interface FakeGithubOauth {
  clientId: string;
  clientSecret: string;
  /** Login → account. */
  accounts: Map<string, FakeGithubAccount>;
  /** Who is signed in to GitHub in "the browser": /login/oauth/authorize authorizes this login. */
  signedInAs: string;
  /** The query of each authorize request, and the form of each token request. */
  authorizeRequests: URLSearchParams[];
  tokenRequests: URLSearchParams[];
  /** Tokens issued, newest last. */
  issued: string[];
}

interface PendingCode {
  login: string;
  redirectUri: string;
  challenge: string;
}

/**
 * GitHub's OAuth web flow and the identity endpoints for the GitHub fake (`startGithubServer({routes})`):
 * `/login/oauth/authorize` redirects straight back with a code and the state (checking client_id, redirect_uri and an
 * S256 code_challenge), `/login/oauth/access_token` redeems it (checking the client secret, the code and the PKCE
 * verifier; errors as GitHub gives them, 200 with `error`) and adds the token to the server's tokens; `/user`,
 * `/user/emails` and `/user/orgs` answer for the token's account.
 */
export function githubOauthRoutes(accounts: Record<string, FakeGithubAccount>): { oauth: FakeGithubOauth; routes: FakeGithubRoute[] } {
  const oauth: FakeGithubOauth = {
    clientId: 'Iv1.fakeclient',
    clientSecret: 'github-client-secret-0123456789',
    accounts: new Map(Object.entries(accounts)),
    signedInAs: Object.keys(accounts)[0] ?? '',
    authorizeRequests: [],
    tokenRequests: [],
    issued: [],
  };
  const codes = new Map<string, PendingCode>();

  const authorize: FakeGithubRoute = (call) => {
    if (call.url.pathname !== '/login/oauth/authorize') return false;
    const q = call.url.searchParams;
    oauth.authorizeRequests.push(q);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== oauth.clientId || !redirectUri) {
      call.reply(404, { message: 'The OAuth app was not found, or the redirect_uri is missing.' });
      return true;
    }
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
      call.reply(400, { message: 'code_challenge with code_challenge_method S256 expected' });
      return true;
    }
    const code = randomBytes(10).toString('hex');
    codes.set(code, { login: oauth.signedInAs, redirectUri, challenge: q.get('code_challenge') as string });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    call.reply(302, {}, { location: back.href });
    return true;
  };

  const accessToken: FakeGithubRoute = (call, state) => {
    if (call.url.pathname !== '/login/oauth/access_token' || call.method !== 'POST') return false;
    const form = new URLSearchParams(call.body);
    oauth.tokenRequests.push(form);
    if (!/application\/json/.test(String(call.headers.accept))) {
      call.reply(406, { message: 'This fake answers JSON only: send Accept: application/json.' });
      return true;
    }
    if (form.get('client_id') !== oauth.clientId || form.get('client_secret') !== oauth.clientSecret) {
      call.reply(200, {
        error: 'incorrect_client_credentials',
        error_description: 'The client_id and/or client_secret passed are incorrect.',
      });
      return true;
    }
    const pending = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const pkceOk = pending && createHash('sha256').update(verifier).digest('base64url') === pending.challenge;
    if (!pending || pending.redirectUri !== form.get('redirect_uri') || !pkceOk) {
      call.reply(200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      return true;
    }
    const token = `gho_${randomBytes(18).toString('hex')}`;
    state.tokens.set(token, pending.login);
    oauth.issued.push(token);
    call.reply(200, { access_token: token, token_type: 'bearer', scope: 'read:org,repo,user:email' });
    return true;
  };

  const identity: FakeGithubRoute = (call) => {
    const path = call.url.pathname;
    if (!['/user', '/user/emails', '/user/orgs'].includes(path)) return false;
    const account = call.login ? oauth.accounts.get(call.login) : undefined;
    if (!call.login || !account) {
      call.reply(401, { message: 'Requires authentication' });
      return true;
    }
    if (path === '/user') call.reply(200, { login: call.login, id: account.id, name: account.name ?? null, type: 'User' });
    else if (path === '/user/emails') call.replyPage(account.emails.map((e) => ({ ...e, visibility: e.primary ? 'public' : null })));
    else call.replyPage(account.orgs.map((login, i) => ({ login, id: 1000 + i })));
    return true;
  };

  return { oauth, routes: [authorize, accessToken, identity] };
}
