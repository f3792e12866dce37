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
});
