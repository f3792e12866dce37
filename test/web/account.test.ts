import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/core/apiTokens.js';
import { startSession } from '../../src/core/auth/sessions.js';
import { csrfToken } from '../../src/server/session.js';
import type { UserRecord } from '../../src/store/index.js';
import { auditPage, startHarness, type WebHarness } from './browser.js';

/**
 * The account and admin pages in Chromium, signed in by session cookies made as the sign-in callback makes them
 * (gitlore_session, and gitlore_csrf that the pages' scripts send back in X-CSRF-Token).
 */
const SECRET_KEY = 'browser-test-secret-key-0123456789';
let web: WebHarness;
let member: UserRecord;
let admin: UserRecord;

async function signInAs(user: UserRecord): Promise<void> {
  const { app } = web.fixture;
  const { secret } = await startSession(app.store.sessions, user, app.config);
  await web.context.clearCookies();
  await web.context.addCookies([
    { name: 'gitlore_session', value: secret, url: web.url, httpOnly: true, sameSite: 'Lax' },
    { name: 'gitlore_csrf', value: csrfToken(SECRET_KEY, secret), url: web.url, sameSite: 'Lax' },
  ]);
}

beforeAll(async () => {
  web = await startHarness({ env: { SECRET_KEY } });
  const { users } = web.fixture.app.store;
  member = await users.signIn(
    { provider: 'oidc', subject: 'bob', email: 'bob@acme.dev', name: 'Bob' },
    { role: 'member', linkByEmail: false },
  );
  admin = await users.signIn(
    { provider: 'oidc', subject: 'ada', email: 'ada@acme.dev', name: 'Ada' },
    { role: 'admin', linkByEmail: false },
  );
});

afterAll(async () => {
  await web?.close();
});

describe('account page', () => {
  it('creates a token (secret and MCP settings shown once), then revokes it; the header names the user', async () => {
    await signInAs(member);
    const page = await web.newPage();
    await page.goto(`${web.url}/account`);
    await page.waitForSelector('html[data-ready="account"]');
    expect(await page.textContent('nav[aria-label="Account"] .who')).toBe('bob@acme.dev');
    expect(await page.locator('nav[aria-label="Account"] a[href="/admin"]').count()).toBe(0);
    expect(await page.getAttribute('a:text("Link GitHub")', 'href')).toBe('/auth/github/link');
    expect(await auditPage(page, 'account')).toEqual({});

    await page.getByLabel('Name').fill('laptop-claude');
    await page.getByLabel('Scope').selectOption('mcp');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.waitForSelector('#token-created:not([hidden])');
    const secret = await page.locator('#created-secret').inputValue();
    expect(secret).toMatch(/^glt_[0-9a-f]{64}$/);
    expect(JSON.parse(await page.locator('#created-json').inputValue())).toEqual({
      mcpServers: { gitlore: { type: 'http', url: `${web.url}/mcp`, headers: { Authorization: `Bearer ${secret}` } } },
    });
    expect(await page.locator('#created-command').inputValue()).toBe(
      `claude mcp add --transport http gitlore ${web.url}/mcp --header "Authorization: Bearer ${secret}"`,
    );
    expect(await page.evaluate('document.activeElement.id')).toBe('token-created');
    const row = page.locator('#tokens-live tr', { hasText: 'laptop-claude' });
    await row.waitFor();
    expect(await row.textContent()).toContain('mcp');
    expect(await auditPage(page, 'account-token-created')).toEqual({});

    // A reload shows the token's prefix only, never its secret.
    await page.reload();
    await page.waitForSelector('html[data-ready="account"]');
    expect(await page.content()).not.toContain(secret.slice(12));

    await page.getByRole('button', { name: 'Revoke token laptop-claude' }).click();
    await page.locator('#tokens-live tr', { hasText: 'laptop-claude' }).locator('.badge:text("revoked")').waitFor();
    expect(await page.textContent('#account-message')).toBe('Token laptop-claude revoked.');
    expect(await web.fixture.app.store.tokens.findActiveByHash(hashToken(secret))).toBeNull();
    expect(web.offsite).toEqual([]);
    await page.close();
  });

  it('a member gets the 403 page at /admin', async () => {
    await signInAs(member);
    const page = await web.newPage();
    const response = await page.goto(`${web.url}/admin`);
    expect(response?.status()).toBe(403);
    expect(await page.textContent('main')).toContain('Only admins can open the admin page.');
    await page.close();
  });
});

describe('admin page', () => {
  it('an admin makes a member an admin with the role select; the audit log shows it', async () => {
    await signInAs(admin);
    const page = await web.newPage();
    await page.goto(`${web.url}/admin`);
    await page.waitForSelector('html[data-ready="admin"]');
    expect(await page.locator('nav[aria-label="Account"] a[href="/admin"]').getAttribute('aria-current')).toBe('page');
    expect(await auditPage(page, 'admin')).toEqual({});

    await page.getByLabel('Role of bob@acme.dev').selectOption('admin');
    await page.locator('#admin-message', { hasText: 'Role of bob@acme.dev set to admin.' }).waitFor();
    expect((await web.fixture.app.store.users.get(member.id))?.role).toBe('admin');
    // The table is swapped in as the server renders it, focus staying on the same select.
    await expect.poll(() => page.evaluate('document.activeElement?.dataset?.role')).toBe(member.id);
    expect(await page.getByLabel('Role of bob@acme.dev').inputValue()).toBe('admin');

    await page.getByLabel('Action').fill('role.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=role\./);
    const audit = page.locator('table', { has: page.locator('caption:text("Audit log")') });
    expect(await audit.locator('tbody tr').count()).toBe(1);
    expect(await audit.locator('tbody tr').textContent()).toContain('bob@acme.dev');
    expect(await auditPage(page, 'admin-audit-filtered')).toEqual({});
    await page.close();
  });
});
