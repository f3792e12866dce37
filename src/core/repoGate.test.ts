import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/git.js';
import { loadConfig } from '../config/index.js';
import { silentLogger } from '../shared/logger.js';
import { createContext } from './context.js';
import { resolveRepo, visibleRepoIds, visibleRepos } from './repoGate.js';
import { removeRepo } from './repos.js';
import { createServices, type Services } from './services.js';

let services: Services;

beforeAll(async () => {
  const root = tempDir('gitlore-gate-');
  services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data') }, cwd: root }), {
    log: silentLogger,
    embedder: null,
  });
  const add = (name: string, fullName: string) =>
    services.store.repos.upsert({
      name,
      sourceType: 'git',
      sourceKey: 'manual',
      fullName,
      cloneUrl: `https://example.com/${fullName}.git`,
      localPath: join(root, name),
    });
  await add('Proj', 'acme/Proj');
  await add('proj-tools', 'acme/proj-tools');
  await add('other', 'Acme/Widgets');
});

afterAll(async () => {
  await services.close();
});

describe('repo gate', () => {
  it('resolves a name exactly, then ignoring case, then by owner/name', async () => {
    const ctx = createContext(services);
    expect((await resolveRepo(ctx, 'Proj')).name).toBe('Proj');
    expect((await resolveRepo(ctx, 'proj')).name).toBe('Proj');
    expect((await resolveRepo(ctx, 'PROJ-TOOLS')).name).toBe('proj-tools');
    expect((await resolveRepo(ctx, 'acme/widgets')).name).toBe('other');
    await expect(resolveRepo(ctx, 'pro')).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
      hint: expect.stringContaining('gitlore repo list'),
    });
  });

  it('shows the anonymous local user every repository, with no id filter', async () => {
    const ctx = createContext(services);
    expect((await visibleRepos(ctx)).map((r) => r.name).sort()).toEqual(['Proj', 'other', 'proj-tools']);
    expect(await visibleRepoIds(ctx)).toBeNull();
  });

  it('is the rule of the admin commands too', async () => {
    const ctx = createContext(services);
    await expect(removeRepo({ name: 'nope' }, ctx)).rejects.toMatchObject({ code: 'REPO_NOT_FOUND' });
    expect((await removeRepo({ name: 'ACME/WIDGETS' }, ctx)).repo.name).toBe('other');
    expect((await visibleRepos(ctx)).map((r) => r.name).sort()).toEqual(['Proj', 'proj-tools']);
  });
});
