import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OidcIssuer, startOidcIssuer } from '../fakes/oidcIssuer.js';
import { auditPage, startHarness, type WebHarness } from './browser.js';

/**
 * The whole browser sign-in in Chromium against a real OpenID Connect issuer (oidc-provider): a page without a
 * session → /login → the issuer's login and consent forms → back, signed in, on the page asked for; then sign-out.
 */
let issuer: OidcIssuer;
let web: WebHarness;

beforeAll(async () => {
  issuer = await startOidcIssuer({ accounts: { ada: { email: 'ada@acme.dev', name: 'Ada' } } });
  web = await startHarness({
    env: {
      GITLORE_AUTH: 'oidc',
      SECRET_KEY: 'browser-test-secret-key-0123456789',
      OIDC_ISSUER: issuer.url,
      OIDC_CLIENT_ID: issuer.clientId,
      OIDC_CLIENT_SECRET: issuer.clientSecret,
      GITLORE_ALLOWED_DOMAINS: 'acme.dev',
    },
  });
  issuer.setRedirectUris([`${web.url}/auth/callback`]);
});

afterAll(async () => {
  await web?.close();
  await issuer?.close();
});

describe('browser sign-in', () => {
  it('a page without a session → /login → issuer login and consent → back on the search page signed in; sign-out ends it', async () => {
    const page = await web.newPage();
    // The issuer is the one other origin this page may reach; its development pages import Google Fonts (no internet here).
    const fonts: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${issuer.url}/`)) return route.continue();
      if (new URL(url).hostname.endsWith('googleapis.com') || new URL(url).hostname.endsWith('gstatic.com')) {
        fonts.push(url);
        return route.abort('blockedbyclient');
      }
      return route.fallback();
    });

    await page.goto(`${web.url}/search?q=parseWidget`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/search?q=parseWidget');
    expect(await page.textContent('h1')).toBe('Sign in to gitlore');
    expect(await auditPage(page, 'login')).toEqual({});

    await page.click(`a.button:text("Sign in with ${new URL(issuer.url).host}")`);
    await page.waitForURL(`${issuer.url}/interaction/**`);
    await page.fill('input[name="login"]', 'ada');
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached' });
    await page.click('button[type="submit"]');
    await page.waitForURL(`${web.url}/search?q=parseWidget`);
    expect(await page.locator('input[name="q"]').inputValue()).toBe('parseWidget');
    const session = (await web.context.cookies(web.url)).find((c) => c.name === 'gitlore_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    const me = (await page.evaluate(`fetch('/api/me').then((r) => r.json())`)) as { email: string; kind: string };
    expect(me).toMatchObject({ kind: 'user', email: 'ada@acme.dev' });

    // Sign out as the web app does: a same-origin POST carrying the CSRF cookie in X-CSRF-Token.
    const out = await page.evaluate(`(() => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('gitlore_csrf='))?.slice('gitlore_csrf='.length) ?? '';
      return fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrf } }).then((r) => r.status);
    })()`);
    expect(out).toBe(200);
    expect((await web.context.cookies(web.url)).some((c) => c.name === 'gitlore_session')).toBe(false);
    await page.goto(`${web.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    // Nothing but the issuer and the blocked fonts was requested off the server.
    expect(web.offsite).toEqual([]);
    await page.close();
  });
});
