import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/git.js';
import { loadConfig } from '../config/index.js';
import { createServices, type Services } from '../core/services.js';
import { silentLogger } from '../shared/logger.js';
import { resolveAuth } from './serve.js';

let services: Services | undefined;
afterEach(async () => {
  await services?.close();
});

async function servicesWith(env: Record<string, string>): Promise<Services> {
  const root = tempDir('gitlore-serve-auth-');
  services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data'), ...env }, cwd: root }), {
    log: silentLogger,
    embedder: null,
  });
  return services;
}

describe('resolveAuth', () => {
  it('with sign-in on, refuses to start without SECRET_KEY, naming it and never showing a key', async () => {
    const app = await servicesWith({ GITLORE_AUTH: 'oidc' });
    await expect(resolveAuth(app, '127.0.0.1')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'GITLORE_AUTH=oidc needs SECRET_KEY.',
      hint: expect.stringMatching(/at least 16 characters/),
    });
  });

  it('a loopback host without sign-in needs nothing', async () => {
    expect(await resolveAuth(await servicesWith({}), '127.0.0.1')).toBe(false);
  });

  const KEY = { SECRET_KEY: 'serve-test-secret-key-0123' };

  it('GITLORE_AUTH=oidc needs an issuer and its client, or Google, and names what is missing', async () => {
    await expect(resolveAuth(await servicesWith({ ...KEY, GITLORE_AUTH: 'oidc' }), '0.0.0.0')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'GITLORE_AUTH=oidc needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
      hint: expect.stringContaining('/auth/callback'),
    });
    await services?.close();
    const issuerOnly = await servicesWith({ ...KEY, GITLORE_AUTH: 'oidc', OIDC_ISSUER: 'https://id.example.com' });
    await expect(resolveAuth(issuerOnly, '0.0.0.0')).rejects.toMatchObject({
      message: 'GITLORE_AUTH=oidc needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.',
    });
    await services?.close();
    const googleHalf = await servicesWith({ ...KEY, GITLORE_AUTH: 'oidc', GOOGLE_CLIENT_ID: 'id.apps.googleusercontent.com' });
    await expect(resolveAuth(googleHalf, '0.0.0.0')).rejects.toMatchObject({ message: 'GITLORE_AUTH=oidc needs GOOGLE_CLIENT_SECRET.' });
    await services?.close();
    const google = await servicesWith({
      ...KEY,
      GITLORE_AUTH: 'oidc',
      GOOGLE_CLIENT_ID: 'id',
      GOOGLE_CLIENT_SECRET: 'google-secret-value',
    });
    expect(await resolveAuth(google, '0.0.0.0')).toBe(true);
  });

  it('GITLORE_AUTH=github needs the OAuth app, and its secret never shows in the message', async () => {
    const half = await servicesWith({ ...KEY, GITLORE_AUTH: 'github', GITHUB_CLIENT_SECRET: 'github-client-secret-value' });
    const error = await resolveAuth(half, '0.0.0.0').catch((e: Error & { hint?: string }) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', message: 'GITLORE_AUTH=github needs GITHUB_CLIENT_ID.' });
    expect(`${(error as Error).message} ${(error as { hint?: string }).hint}`).not.toContain('github-client-secret-value');
    await services?.close();
    const full = await servicesWith({
      ...KEY,
      GITLORE_AUTH: 'github',
      GITHUB_CLIENT_ID: 'Iv1.abc',
      GITHUB_CLIENT_SECRET: 'github-client-secret-value',
    });
    expect(await resolveAuth(full, '0.0.0.0')).toBe(true);
  });
});
