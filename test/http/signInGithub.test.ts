import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { open } from '../../src/core/auth/secretBox.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { type FakeGithubOauth, githubOauthRoutes } from '../fakes/githubOauth.js';
import { type FakeGithubRoute, type FakeGithubServer, startGithubServer } from '../fakes/githubServer.js';
import { loginAtIssuer, type OidcIssuer, startOidcIssuer } from '../fakes/oidcIssuer.js';
import { tempDir } from '../helpers/git.js';
import { captureLogger, openTestApp } from '../mcp/fixture.js';
import { CALLBACK, setCookieLine, TestBrowser, whoIs } from './signInHelpers.js';

/**
 * GitHub sign-in (GITLORE_AUTH=github) on the GitHub fake, linking GitHub from an OIDC user, and signing out: the
 * allowed-org rule, the user's OAuth token stored sealed, logout and logout everywhere, and no secret in logs or pages.
 */
const SECRET_KEY = 'github-test-secret-key-0123456789';
let github: FakeGithubServer;
let oauth: FakeGithubOauth;
let dataDir: string;
let app: App;
let http: ReturnType<typeof createHttpApp>;
const logs = captureLogger();
const pages: string[] = [];

const ACCOUNTS = {
  octocat: { id: 101, name: 'Octo Cat', emails: [{ email: 'octo@acme.dev', primary: true, verified: true }], orgs: ['acme'] },
  outsider: { id: 102, emails: [{ email: 'out@else.example', primary: true, verified: true }], orgs: ['other'] },
  ada: { id: 103, name: 'Ada', emails: [{ email: 'ada-gh@users.example', primary: true, verified: true }], orgs: [] },
  broken: { id: 104, emails: [{ email: 'broken@acme.dev', primary: true, verified: true }], orgs: ['acme'] },
};

beforeAll(async () => {
  const made = githubOauthRoutes(ACCOUNTS);
  oauth = made.oauth;
  // GitHub fails the permission sync of one account (a 410 on its token), to show it never undoes a sign-in.
  const goneForBroken: FakeGithubRoute = (call) => {
    if (call.login !== 'broken' || call.url.pathname !== '/user/repos') return false;
    call.reply(410, { message: 'Gone' });
    return true;
  };
  github = await startGithubServer({ routes: [goneForBroken, ...made.routes] });
  const root = tempDir('gitlore-signin-github-');
  dataDir = join(root, 'data');
  app = await openTestApp(
    dataDir,
    root,
    {
      GITLORE_AUTH: 'github',
      SECRET_KEY,
      GITHUB_API_URL: github.url,
      GITHUB_CLIENT_ID: oauth.clientId,
      GITHUB_CLIENT_SECRET: oauth.clientSecret,
      GITLORE_ALLOWED_ORGS: 'acme',
    },
    logs.log,
  );
  http = createHttpApp({
    app,
    version: 'test',
    scheduler: null,
    requireAuth: true,
  });
});

afterAll(async () => {
  await app?.close();
  await github?.close();
});

/** Signs the fake's current GitHub user in from this browser (GitHub authorizes at once); the callback's response. */
async function signInWithGithub(browser: TestBrowser, as: string, start = '/auth/login'): Promise<Response> {
  oauth.signedInAs = as;
  const started = await browser.visit(start);
  expect(started.status).toBe(302);
  const authorize = await fetch(started.headers.get('location') as string, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const res = await browser.visit(authorize.headers.get('location') as string);
  pages.push(await res.clone().text());
  return res;
}

describe('GitHub sign-in', () => {
  it('asks GitHub for the scopes permission sync needs, with state and PKCE, and signs an org member in', async () => {
    const browser = new TestBrowser(http);
    const done = await signInWithGithub(browser, 'octocat');
    expect(done.status).toBe(302);
    const asked = oauth.authorizeRequests.at(-1) as URLSearchParams;
    expect(Object.fromEntries(asked)).toMatchObject({
      client_id: oauth.clientId,
      redirect_uri: CALLBACK,
      scope: 'read:user user:email read:org repo',
      code_challenge_method: 'S256',
    });
    expect(oauth.tokenRequests.at(-1)?.get('code_verifier')).toMatch(/^[\w-]{43,}$/);
    expect(await whoIs(http, browser.session)).toEqual({ status: 200, email: 'octo@acme.dev', role: 'member' });
    const user = await app.store.users.findByEmail('octo@acme.dev');
    expect(user).toMatchObject({ githubLogin: 'octocat', githubId: 101, name: 'Octo Cat' });
    // Signing in refreshed the user's repository access from their token at once.
    expect(await app.store.access.syncState(user?.id as string)).toMatchObject({ status: 'ok', lastError: null });
    expect(github.requests.some((r) => r.startsWith('GET /user/repos'))).toBe(true);
  });

  it('stores the OAuth token sealed: it opens with SECRET_KEY, and the SQLite files never hold it in plain text', async () => {
    const user = await app.store.users.findByEmail('octo@acme.dev');
    const token = oauth.issued.at(-1) as string;
    const identity = await app.store.users.identity(user?.id as string, 'github');
    expect(identity?.sealedToken).toMatch(/^v1\./);
    expect(identity?.sealedToken).not.toContain(token);
    expect(open(SECRET_KEY, identity?.sealedToken as string)).toBe(token);
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith('gitlore.db'))) {
      expect(readFileSync(join(dataDir, file)).includes(Buffer.from(token)), file).toBe(false);
    }
  });

  it('refuses someone in none of GITLORE_ALLOWED_ORGS, with a page and an audit entry', async () => {
    const browser = new TestBrowser(http);
    const done = await signInWithGithub(browser, 'outsider');
    expect(done.status).toBe(403);
    expect(pages.at(-1)).toContain('out@else.example is not allowed to sign in to this gitlore.');
    expect(browser.session).toBeUndefined();
    const [refused] = await app.store.audit.list({ action: 'auth.sign_in_refused' });
    expect(refused?.detail).toMatchObject({ provider: 'github', githubLogin: 'outsider' });
    expect(await app.store.users.findByEmail('out@else.example')).toBeNull();
  });

  it('a permission sync that GitHub refuses during sign-in does not undo the sign-in; it is recorded', async () => {
    const browser = new TestBrowser(http);
    expect((await signInWithGithub(browser, 'broken')).status).toBe(302);
    expect((await whoIs(http, browser.session)).status).toBe(200);
    const user = await app.store.users.findByEmail('broken@acme.dev');
    expect((await app.store.access.syncState(user?.id as string))?.status).toBe('revoked');
  });

  it('logout ends this session only after the CSRF check; the stolen cookie is then dead for the API and pages', async () => {
    const browser = new TestBrowser(http);
    await signInWithGithub(browser, 'octocat');
    const other = new TestBrowser(http);
    await signInWithGithub(other, 'octocat');
    const stolen = browser.session as string;

    const forged = await browser.visit('/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(forged.status).toBe(403);
    expect((await whoIs(http, stolen)).status).toBe(200);

    const out = await browser.post('/auth/logout');
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ ok: true });
    expect(setCookieLine(out, 'gitlore_session')).toMatch(/Max-Age=0/);
    expect(browser.session).toBeUndefined();
    expect((await whoIs(http, stolen)).status).toBe(401);
    const page = await http.request('http://gitlore.test/', { headers: { cookie: `gitlore_session=${stolen}` } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
    // The other browser is still signed in.
    expect((await whoIs(http, other.session)).status).toBe(200);
    const [event] = await app.store.audit.list({ action: 'auth.sign_out' });
    expect(event?.target).toBe((await app.store.users.findByEmail('octo@acme.dev'))?.id);
  });

  it('logout everywhere ends every session of the user, audited', async () => {
    const one = new TestBrowser(http);
    const two = new TestBrowser(http);
    await signInWithGithub(one, 'octocat');
    await signInWithGithub(two, 'octocat');
    const res = await one.post('/auth/logout-everywhere');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; sessions: number };
    expect(body.ok).toBe(true);
    expect(body.sessions).toBeGreaterThanOrEqual(2);
    expect((await whoIs(http, one.session)).status).toBe(401);
    expect((await whoIs(http, two.session)).status).toBe(401);
    const [event] = await app.store.audit.list({ action: 'auth.sign_out_everywhere' });
    expect(event?.detail).toEqual({ sessions: body.sessions });
  });

  it('no token, client secret or session reaches the logs or a page', async () => {
    const browser = new TestBrowser(http);
    await signInWithGithub(browser, 'octocat');
    pages.push(await (await browser.visit('/')).text(), await (await browser.visit('/api/me')).text());
    const secrets = [...oauth.issued, oauth.clientSecret, SECRET_KEY, browser.session as string];
    const text = `${logs.lines.join('\n')}\n${pages.join('\n')}`;
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('linking GitHub to an OIDC user', () => {
  let issuer: OidcIssuer;
  let linkApp: App;
  let linkHttp: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    issuer = await startOidcIssuer({
      redirectUris: [CALLBACK],
      accounts: { ada: { email: 'ada@acme.dev', name: 'Ada' }, bob: { email: 'bob@acme.dev', name: 'Bob' } },
    });
    const root = tempDir('gitlore-signin-link-');
    linkApp = await openTestApp(join(root, 'data'), root, {
      GITLORE_AUTH: 'oidc',
      SECRET_KEY,
      OIDC_ISSUER: issuer.url,
      OIDC_CLIENT_ID: issuer.clientId,
      OIDC_CLIENT_SECRET: issuer.clientSecret,
      GITHUB_API_URL: github.url,
      GITHUB_CLIENT_ID: oauth.clientId,
      GITHUB_CLIENT_SECRET: oauth.clientSecret,
    });
    linkHttp = createHttpApp({ app: linkApp, version: 'test', scheduler: null, requireAuth: true });
  });
  afterAll(async () => {
    await linkApp?.close();
    await issuer?.close();
  });

  async function oidcSignIn(login: string): Promise<TestBrowser> {
    const browser = new TestBrowser(linkHttp);
    const start = await browser.visit('/auth/login');
    await browser.visit(await loginAtIssuer(start.headers.get('location') as string, login, CALLBACK));
    expect(browser.session).toBeDefined();
    return browser;
  }

  it('a signed-in user links their GitHub account once; the token is stored sealed and the link audited', async () => {
    const ada = await oidcSignIn('ada');
    const before = ada.session;
    const done = await signInWithGithub(ada, 'ada', '/auth/github/link?next=%2Fstatus');
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/status');
    // Linking keeps the session.
    expect(ada.session).toBe(before);
    const user = await linkApp.store.users.findByEmail('ada@acme.dev');
    expect(user).toMatchObject({ githubLogin: 'ada', githubId: 103, email: 'ada@acme.dev' });
    const sealed = (await linkApp.store.users.identity(user?.id as string, 'github'))?.sealedToken as string;
    expect(open(SECRET_KEY, sealed)).toBe(oauth.issued.at(-1));
    const [event] = await linkApp.store.audit.list({ action: 'identity.link' });
    expect(event).toMatchObject({ actor: user?.id, detail: { provider: 'github', githubLogin: 'ada', githubId: 103 } });
  });

  it('another user cannot take a GitHub account already linked; linking needs a session', async () => {
    const bob = await oidcSignIn('bob');
    const taken = await signInWithGithub(bob, 'ada', '/auth/github/link');
    expect(taken.status).toBe(409);
    expect(pages.at(-1)).toContain('GitHub was not linked');
    expect((await linkApp.store.users.findByEmail('bob@acme.dev'))?.githubLogin).toBeNull();

    const anonymous = await new TestBrowser(linkHttp).visit('/auth/github/link');
    expect(anonymous.status).toBe(401);
  });
});
