import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { type CraftedIssuer, type IdTokenFlaw, startCraftedIssuer } from '../fakes/craftedIssuer.js';
import { loginAtIssuer, type OidcIssuer, startOidcIssuer } from '../fakes/oidcIssuer.js';
import { tempDir } from '../helpers/git.js';
import { captureLogger, openTestApp } from '../mcp/fixture.js';
import { CALLBACK, setCookieLine, TestBrowser, whoIs } from './signInHelpers.js';

/**
 * Browser sign-in with OpenID Connect, end to end through the HTTP app: a real issuer (oidc-provider) for the flow,
 * the allow-lists, admins, cookies and rotation; a crafted issuer for ID tokens openid-client must refuse.
 */
const SECRET_KEY = 'oidc-test-secret-key-0123456789';
let issuer: OidcIssuer;
let app: App;
let http: ReturnType<typeof createHttpApp>;
const logs = captureLogger();

beforeAll(async () => {
  issuer = await startOidcIssuer({
    redirectUris: [CALLBACK],
    accounts: {
      ada: { email: 'ada@acme.dev', name: 'Ada' },
      boss: { email: 'boss@elsewhere.example', name: 'Boss' },
      eve: { email: 'eve@evil.example', name: 'Eve' },
      grace: { email: 'grace@gmail.example', hd: 'acme.dev', name: 'Grace' },
      mallory: { email: 'mallory@acme.dev', email_verified: false },
    },
  });
  const root = tempDir('gitlore-signin-oidc-');
  app = await openTestApp(
    `${root}/data`,
    root,
    {
      GITLORE_AUTH: 'oidc',
      SECRET_KEY,
      OIDC_ISSUER: issuer.url,
      OIDC_CLIENT_ID: issuer.clientId,
      OIDC_CLIENT_SECRET: issuer.clientSecret,
      GITLORE_ALLOWED_DOMAINS: 'acme.dev',
      GITLORE_ADMINS: 'boss@elsewhere.example',
    },
    logs.log,
  );
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: true });
});

afterAll(async () => {
  await app?.close();
  await issuer?.close();
});

/** Signs `login` in at the issuer from this browser; the response of /auth/callback. */
async function signInAs(browser: TestBrowser, login: string, next = '/'): Promise<Response> {
  const start = await browser.visit(`/auth/login?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(302);
  const back = await loginAtIssuer(start.headers.get('location') as string, login, CALLBACK);
  return browser.visit(back);
}

describe('OIDC sign-in against a real issuer', () => {
  it('a page without a session goes to /login, whose button starts sign-in at the issuer with PKCE, state and nonce', async () => {
    const browser = new TestBrowser(http);
    const page = await browser.visit('/r/widgets?x=1');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fr%2Fwidgets%3Fx%3D1');
    const login = await browser.visit('/login?next=%2Fr%2Fwidgets%3Fx%3D1');
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain(`Sign in with ${new URL(issuer.url).host}`);
    expect(html).toContain('href="/auth/login?next=%2Fr%2Fwidgets%3Fx%3D1"');

    const start = await browser.visit('/auth/login?next=%2Fr%2Fwidgets');
    const authorize = new URL(start.headers.get('location') as string);
    expect(authorize.origin).toBe(issuer.url);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: issuer.clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    for (const key of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(key)).toMatch(/^[\w-]{20,}$/);
    // The flow cookie is sealed: neither the state nor the verifier can be read from it.
    const flow = setCookieLine(start, 'gitlore_signin') as string;
    expect(flow).toMatch(/HttpOnly/);
    expect(flow).toMatch(/Path=\/auth/);
    expect(flow).not.toContain(authorize.searchParams.get('state'));
  });

  it('signs a person of an allowed domain in: session cookie HttpOnly and SameSite=Lax, not Secure over plain http, back to next', async () => {
    const browser = new TestBrowser(http);
    const done = await signInAs(browser, 'ada', '/search?q=parse');
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/search?q=parse');
    const cookie = setCookieLine(done, 'gitlore_session') as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(setCookieLine(done, 'gitlore_csrf')).not.toMatch(/HttpOnly/);
    expect(await whoIs(http, browser.session)).toEqual({ status: 200, email: 'ada@acme.dev', role: 'member' });
    expect((await browser.visit('/')).status).toBe(200);
    const [event] = await app.store.audit.list({ action: 'auth.sign_in' });
    expect(event).toMatchObject({ action: 'auth.sign_in', detail: { provider: 'oidc', email: 'ada@acme.dev', role: 'member' } });
    const user = await app.store.users.findByEmail('ada@acme.dev');
    expect(event?.actor).toBe(user?.id);
  });

  it('marks the cookies Secure behind a proxy that says https', async () => {
    const browser = new TestBrowser(http, { 'x-forwarded-proto': 'https' });
    const done = await signInAs(browser, 'ada');
    expect(setCookieLine(done, 'gitlore_session')).toMatch(/; Secure/);
    expect(setCookieLine(done, 'gitlore_csrf')).toMatch(/; Secure/);
  });

  it('rotates the session on sign-in: the cookie held before is dead afterwards', async () => {
    const browser = new TestBrowser(http);
    await signInAs(browser, 'ada');
    const first = browser.session;
    expect((await whoIs(http, first)).status).toBe(200);
    await signInAs(browser, 'ada');
    expect(browser.session).toBeDefined();
    expect(browser.session).not.toBe(first);
    expect((await whoIs(http, first)).status).toBe(401);
    expect((await whoIs(http, browser.session)).status).toBe(200);
  });

  it('refuses people outside the allow-list with a page that says so, no session, and an audit entry with the reason', async () => {
    const browser = new TestBrowser(http);
    const done = await signInAs(browser, 'eve');
    expect(done.status).toBe(403);
    const html = await done.text();
    expect(html).toContain('eve@evil.example is not allowed to sign in to this gitlore.');
    expect(html).toContain('href="/login?next=%2F"');
    expect(browser.session).toBeUndefined();
    expect(setCookieLine(done, 'gitlore_session') ?? '').not.toMatch(/gitlore_session=[\w-]{43}/);
    const [refused] = await app.store.audit.list({ action: 'auth.sign_in_refused' });
    expect(refused).toMatchObject({
      actor: 'anonymous',
      detail: { email: 'eve@evil.example', reason: expect.stringContaining('not allowed') },
    });
    expect(await app.store.users.findByEmail('eve@evil.example')).toBeNull();

    // An address of the allowed domain that the issuer has not verified does not count either.
    const unverified = await signInAs(new TestBrowser(http), 'mallory');
    expect(unverified.status).toBe(403);
    expect(await unverified.text()).toContain('mallory@acme.dev (not verified) is not allowed');
  });

  it('admits a Google Workspace account by its hosted domain (hd), and makes GITLORE_ADMINS admins', async () => {
    const grace = new TestBrowser(http);
    expect((await signInAs(grace, 'grace')).status).toBe(302);
    expect(await whoIs(http, grace.session)).toEqual({ status: 200, email: 'grace@gmail.example', role: 'member' });
    const boss = new TestBrowser(http);
    expect((await signInAs(boss, 'boss')).status).toBe(302);
    expect(await whoIs(http, boss.session)).toEqual({ status: 200, email: 'boss@elsewhere.example', role: 'admin' });
  });

  it('never redirects off the site: next must be a path here', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/auth/logout']) {
      const browser = new TestBrowser(http);
      const done = await signInAs(browser, 'ada', next);
      expect(done.headers.get('location'), next).toBe('/');
    }
  });

  it('refuses an answer whose state is not this browser’s, an answer with no sign-in started, and a cancelled sign-in', async () => {
    const browser = new TestBrowser(http);
    const start = await browser.visit('/auth/login');
    const back = new URL(await loginAtIssuer(start.headers.get('location') as string, 'ada', CALLBACK));
    back.searchParams.set('state', 'forged-state-value-0123456789');
    const forged = await browser.visit(back.href);
    expect(forged.status).toBe(401);
    const html = await forged.text();
    expect(html).toContain('Sign-in did not finish');
    expect(html).toMatch(/state/);
    expect(html).toContain('Try again');
    expect(browser.session).toBeUndefined();

    // The flow cookie worked once: the same answer again has nothing to check against.
    const replay = await browser.visit(back.href);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('This sign-in has expired or was started in another browser.');

    const cancelled = new TestBrowser(http);
    const started = new URL((await cancelled.visit('/auth/login')).headers.get('location') as string);
    const denied = await cancelled.visit(
      `/auth/callback?error=access_denied&state=${started.searchParams.get('state')}&iss=${encodeURIComponent(issuer.url)}`,
    );
    expect(denied.status).toBe(401);
    expect(await denied.text()).toContain('sign-in was cancelled or refused there (access_denied)');
    const failures = await app.store.audit.list({ action: 'auth.sign_in_failed' });
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures[0]?.detail).toMatchObject({ kind: 'sign-in', code: 'UNAUTHORIZED' });
  });

  it('keeps secrets out of the log: no client secret, session or code', async () => {
    const text = logs.lines.join('\n');
    expect(text).not.toContain(issuer.clientSecret);
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toMatch(/code=[\w-]{20,}/);
  });
});

describe('OIDC sign-in: ID tokens openid-client must refuse', () => {
  let crafted: CraftedIssuer;
  let craftedApp: App;
  let craftedHttp: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    crafted = await startCraftedIssuer();
    const root = tempDir('gitlore-signin-crafted-');
    craftedApp = await openTestApp(`${root}/data`, root, {
      GITLORE_AUTH: 'oidc',
      SECRET_KEY,
      OIDC_ISSUER: crafted.url,
      OIDC_CLIENT_ID: crafted.clientId,
      OIDC_CLIENT_SECRET: crafted.clientSecret,
    });
    craftedHttp = createHttpApp({ app: craftedApp, version: 'test', scheduler: null, requireAuth: true });
  });
  afterAll(async () => {
    await craftedApp?.close();
    await crafted?.close();
  });

  /** Starts sign-in, has the crafted issuer answer with `flaw`, and returns the callback's response. */
  async function answerWith(flaw: IdTokenFlaw): Promise<{ res: Response; browser: TestBrowser; challenge: string }> {
    const browser = new TestBrowser(craftedHttp);
    const authorize = new URL((await browser.visit('/auth/login')).headers.get('location') as string);
    crafted.flaw = flaw;
    crafted.nonce = authorize.searchParams.get('nonce') as string;
    const res = await browser.visit(`/auth/callback?code=crafted-code&state=${authorize.searchParams.get('state')}`);
    return { res, browser, challenge: authorize.searchParams.get('code_challenge') as string };
  }

  it('a good token signs in, and the code went to the token endpoint with the PKCE verifier of the challenge', async () => {
    const { res, browser, challenge } = await answerWith('none');
    expect(res.status).toBe(302);
    expect(await whoIs(craftedHttp, browser.session)).toMatchObject({ status: 200, email: 'ada@acme.dev' });
    const sent = crafted.tokenRequests.at(-1) as URLSearchParams;
    expect(sent.get('client_secret')).toBe(crafted.clientSecret);
    expect(
      createHash('sha256')
        .update(sent.get('code_verifier') as string)
        .digest('base64url'),
    ).toBe(challenge);
    expect(sent.get('redirect_uri')).toBe(CALLBACK);
  });

  it.each([
    ['wrong-issuer', /iss/],
    ['wrong-audience', /aud/],
    ['wrong-nonce', /nonce/],
    ['expired', /exp|timestamp/],
    ['bad-signature', /signature/],
  ] as const)('%s: refused with a clear page, no session, audited', async (flaw, why) => {
    const before = (await craftedApp.store.audit.list({ action: 'auth.sign_in_failed' })).length;
    const { res, browser } = await answerWith(flaw);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Sign-in did not finish');
    expect(html).toMatch(new RegExp(`The answer from ${new URL(crafted.url).host.replace('.', '\\.')} did not check out: .*`));
    expect(html).toMatch(why);
    expect(html).toContain('Try again');
    expect(browser.session).toBeUndefined();
    expect((await craftedApp.store.audit.list({ action: 'auth.sign_in_failed' })).length).toBe(before + 1);
  });

  it('an issuer that cannot be discovered is one clear line naming OIDC_ISSUER', async () => {
    const root = tempDir('gitlore-signin-down-');
    const down = await openTestApp(`${root}/data`, root, {
      GITLORE_AUTH: 'oidc',
      SECRET_KEY,
      OIDC_ISSUER: 'http://127.0.0.1:9/nowhere',
      OIDC_CLIENT_ID: 'x',
      OIDC_CLIENT_SECRET: 'y-secret-value',
    });
    try {
      const res = await createHttpApp({ app: down, version: 'test', scheduler: null, requireAuth: true }).request(
        'http://gitlore.test/auth/login',
      );
      expect(res.status).toBe(502);
      const html = await res.text();
      expect(html).toContain('Sign-in is unavailable: the issuer http://127.0.0.1:9/nowhere (OIDC_ISSUER) could not be discovered');
      expect(html).not.toContain('y-secret-value');
    } finally {
      await down.close();
    }
  });
});
