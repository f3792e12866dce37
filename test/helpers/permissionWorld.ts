import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { seal } from '../../src/core/auth/secretBox.js';
import { createServices, type Services } from '../../src/core/services.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store, UserRecord } from '../../src/store/index.js';
import { createFakePermissions, type FakePermissions, githubPermissionRoutes } from '../fakes/githubPermissions.js';
import { type FakeGithubServer, startGithubServer } from '../fakes/githubServer.js';
import { tempDir } from './git.js';

/** Registers a GitHub repository of the org `owner` as a sync would (no clone needed for permissions). */
export function addGithubRepo(store: Store, owner: string, name: string, isPrivate: boolean, dataDir = '/nonexistent') {
  return store.repos.upsert({
    name,
    sourceType: 'github',
    sourceKey: `github:org/${owner}`,
    fullName: `${owner}/${name}`,
    cloneUrl: `https://github.example/${owner}/${name}.git`,
    localPath: join(dataDir, name),
    isPrivate,
  });
}

/**
 * A user who signed in with GitHub (login, numeric id); with `token`, its OAuth token is stored sealed as the
 * sign-in flow stores it, so the user-driven sync can ask GitHub with it.
 */
export async function addGithubUser(
  store: Store,
  secretKey: string,
  user: { login: string; id: number; token?: string; role?: 'admin' | 'member'; email?: string },
): Promise<UserRecord> {
  const record = await store.users.signIn(
    {
      provider: 'github',
      subject: String(user.id),
      githubLogin: user.login,
      githubId: user.id,
      email: user.email ?? `${user.login}@acme.dev`,
    },
    { role: user.role ?? 'member', linkByEmail: false },
  );
  if (user.token) await store.users.setIdentityToken(record.id, 'github', seal(secretKey, user.token));
  return record;
}

export const WORLD_SECRET_KEY = 'permission-sync-secret-0123456789';
/** ada's token is shaped like a real one, so tests can check it is masked wherever it could leak. */
export const ADA_TOKEN = 'ghp_adaAdaAdaAdaAdaAdaAdaAdaAdaAda0001';

export interface PermissionWorld {
  github: FakeGithubServer;
  perms: FakePermissions;
  services: Services;
  /** Repository ids by name. */
  ids: Record<string, number>;
  users: { ada: UserRecord; bob: UserRecord; cy: UserRecord; dee: UserRecord; root: UserRecord };
  /** The environment the services were made from (a CLI child takes the same). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Org `acme` on the loopback GitHub with one public and three private repositories (pages of two). ada and bob signed
 * in with GitHub (tokens stored sealed), cy linked GitHub without a token, dee signed in with OIDC only, root is an
 * admin. gitlore's org token is `tok-org`.
 */
export async function createPermissionWorld(extraEnv: Record<string, string> = {}): Promise<PermissionWorld> {
  const perms = createFakePermissions();
  const repo = (name: string, isPrivate: boolean) => ({ owner: 'acme', name, cloneUrl: `https://x/${name}.git`, private: isPrivate });
  const github = await startGithubServer({
    orgs: new Map([['acme', [repo('pub', false), repo('alpha', true), repo('beta', true), repo('gamma', true)]]]),
    tokens: new Map([
      [ADA_TOKEN, 'ada'],
      ['tok-bob', 'bob'],
      ['tok-org', 'gitlore-bot'],
    ]),
    maxPerPage: 2,
    routes: githubPermissionRoutes(perms),
  });
  const root = tempDir('gitlore-perms-');
  const env = {
    GITLORE_DATA_DIR: join(root, 'data'),
    GITLORE_EMBEDDINGS: 'none',
    SECRET_KEY: WORLD_SECRET_KEY,
    GITHUB_TOKEN: 'tok-org',
    GITHUB_API_URL: github.url,
    GITHUB_ORG: 'acme',
    ...extraEnv,
  };
  const services = await createServices(loadConfig({ cwd: root, env }), { log: silentLogger, embedder: null });
  const { store } = services;
  const ids: Record<string, number> = {};
  for (const [name, isPrivate] of [
    ['pub', false],
    ['alpha', true],
    ['beta', true],
    ['gamma', true],
  ] as const)
    ids[name] = (await addGithubRepo(store, 'acme', name, isPrivate)).id;
  const users = {
    ada: await addGithubUser(store, WORLD_SECRET_KEY, { login: 'ada', id: perms.idOf('ada'), token: ADA_TOKEN }),
    bob: await addGithubUser(store, WORLD_SECRET_KEY, { login: 'bob', id: perms.idOf('bob'), token: 'tok-bob' }),
    cy: await addGithubUser(store, WORLD_SECRET_KEY, { login: 'cy', id: perms.idOf('cy') }),
    dee: await store.users.signIn({ provider: 'oidc', subject: 'iss|dee', email: 'dee@acme.dev' }, { role: 'member', linkByEmail: false }),
    root: await store.users.signIn(
      { provider: 'oidc', subject: 'iss|root', email: 'root@acme.dev' },
      { role: 'admin', linkByEmail: false },
    ),
  };
  return {
    github,
    perms,
    services,
    ids,
    users,
    env,
    async close() {
      await services.close();
      await github.close();
    },
  };
}
