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

describe('repo gate for signed-in users', () => {
  async function servicesWith(visibility: 'all' | 'admins') {
    const root = tempDir('gitlore-gate-users-');
    const s = await createServices(
      loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_DEFAULT_VISIBILITY: visibility }, cwd: root }),
      { log: silentLogger, embedder: null },
    );
    const github = (name: string, isPrivate: boolean) =>
      s.store.repos.upsert({
        name,
        sourceType: 'github',
        sourceKey: 'github:org/acme',
        fullName: `acme/${name}`,
        cloneUrl: `https://github.com/acme/${name}.git`,
        localPath: join(root, name),
        isPrivate,
      });
    await github('public', false);
    const granted = await github('granted', true);
    await github('denied', true);
    await s.store.repos.upsert({
      name: 'local',
      sourceType: 'local',
      sourceKey: 'local:/srv',
      fullName: 'local',
      cloneUrl: '/srv/local',
      localPath: '/srv/local',
    });
    const user = (subject: string) => s.store.users.signIn({ provider: 'github', subject }, { role: 'member', linkByEmail: false });
    const member = await user('1');
    await s.store.access.replaceForUser(member.id, 'user', [granted.id]);
    return { s, member, granted };
  }
  const names = async (ctx: Parameters<typeof visibleRepos>[0]) => (await visibleRepos(ctx)).map((r) => r.name).sort();

  it('a member sees public GitHub repositories, the private ones granted, and others per GITLORE_DEFAULT_VISIBILITY', async () => {
    for (const visibility of ['all', 'admins'] as const) {
      const { s, member, granted } = await servicesWith(visibility);
      const ctx = createContext(s, { principal: { kind: 'user', id: member.id, role: 'member' } });
      expect(await names(ctx)).toEqual(visibility === 'all' ? ['granted', 'local', 'public'] : ['granted', 'public']);
      expect([...((await visibleRepoIds(ctx)) ?? [])].sort()).toEqual((await visibleRepos(ctx)).map((r) => r.id).sort());
      // A hidden repository, by its exact name or another spelling, is refused exactly like a missing one.
      for (const name of ['denied', 'DENIED', 'acme/denied']) {
        const hidden = await resolveRepo(ctx, name).catch((error: Error) => error.message);
        const missing = await resolveRepo(ctx, `${name}-missing`).catch((error: Error) => error.message);
        expect(hidden).toBe(String(missing).replace(`${name}-missing`, name));
      }
      if (visibility === 'admins') await expect(resolveRepo(ctx, 'local')).rejects.toMatchObject({ code: 'REPO_NOT_FOUND' });
      else expect((await resolveRepo(ctx, 'local')).name).toBe('local');
      expect((await resolveRepo(ctx, 'granted')).id).toBe(granted.id);
      expect((await resolveRepo(ctx, 'ACME/GRANTED')).id).toBe(granted.id);
      // Revoked at once when GitHub refuses the user's token.
      await s.store.access.revokeUser(member.id);
      expect(await names(ctx)).not.toContain('granted');
      // An admin sees everything, with no id filter.
      const admin = createContext(s, { principal: { kind: 'user', id: member.id, role: 'admin' } });
      expect(await names(admin)).toEqual(['denied', 'granted', 'local', 'public']);
      expect(await visibleRepoIds(admin)).toBeNull();
      await s.close();
    }
  });
});
