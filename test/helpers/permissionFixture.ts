import { loadConfig } from '../../src/config/index.js';
import { createApiToken } from '../../src/core/apiTokens.js';
import type { App } from '../../src/core/app.js';
import { startSession } from '../../src/core/auth/sessions.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { addRepo } from '../../src/core/repos.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { csrfToken } from '../../src/server/session.js';
import { silentLogger } from '../../src/shared/logger.js';
import { hashedEmbedder } from './embedders.js';
import { commitFiles, gitEnv, makeRepo, tempDir } from './git.js';

export const PERMISSION_SECRET_KEY = 'permission-matrix-secret-key-0123456789';

/** The three kinds of GitHub repository a member may meet. */
export const MATRIX_REPOS = {
  /** Public on GitHub: every signed-in user reads it. */
  open: 'open-lib',
  /** Private, and member A is granted it. */
  granted: 'granted-svc',
  /** Private, and nobody but admins reads it. */
  denied: 'denied-vault',
} as const;

export type MatrixUser = 'admin' | 'alice' | 'bob';

export interface MatrixCredentials {
  id: string;
  /** A user API token (`Authorization: Bearer`). */
  token: string;
  /** The session cookie's value and its CSRF token. */
  session: string;
  csrf: string;
}

export interface PermissionFixture {
  app: App;
  dataDir: string;
  http: ReturnType<typeof createHttpApp>;
  root: string;
  users: Record<MatrixUser, MatrixCredentials>;
  repoIds: Record<keyof typeof MATRIX_REPOS, number>;
}

/** One distinctive symbol per repository, so a search or an answer shows which repository it came from. */
export const MATRIX_SYMBOLS: Record<keyof typeof MATRIX_REPOS, string> = {
  open: 'openHelperWidget',
  granted: 'grantedBillingRule',
  denied: 'deniedVaultSecret',
};

/**
 * Three real, synced and indexed repositories registered as GitHub repositories (one public, two private), and three
 * users: an admin, alice (granted the private `granted` repository) and bob (no grants), each with a session and a
 * user token. The HTTP app requires auth, as a server off loopback does.
 */
export async function makePermissionFixture(env: Record<string, string> = {}): Promise<PermissionFixture> {
  const root = tempDir('gitlore-perm-');
  const dataDir = `${root}/data`;
  const config = loadConfig({
    env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none', SECRET_KEY: PERMISSION_SECRET_KEY, ...env },
    cwd: root,
  });
  // A real (tiny) embedder, so the semantic and hybrid search modes are part of the matrix.
  const app = await createServices(config, { log: silentLogger, embedder: hashedEmbedder() });
  const ctx = createContext(app);
  const repoIds = {} as Record<keyof typeof MATRIX_REPOS, number>;
  for (const [kind, name] of Object.entries(MATRIX_REPOS) as [keyof typeof MATRIX_REPOS, string][]) {
    const origin = `${root}/upstream/${name}`;
    const symbol = MATRIX_SYMBOLS[kind];
    makeRepo(origin, {
      'README.md': `# ${name}\n\nThe ${kind} repository of the permission matrix.\n`,
      [`src/${kind}.ts`]: `export function ${symbol}(input: string): string {\n  return input.trim();\n}\n`,
    });
    commitFiles(
      origin,
      { [`docs/${kind}.md`]: `${symbol} notes\n` },
      `document ${symbol}`,
      gitEnv('2024-03-01T10:00:00+00:00', `${kind} author`, `${kind}@acme.dev`),
    );
    const added = await addRepo({ target: origin, name }, ctx);
    repoIds[kind] = added.id;
  }
  await syncRepos({}, ctx);
  await indexRepos({}, ctx);
  // Registered as GitHub repositories (the gate's rules for them), pointing at the local clones already synced.
  for (const [kind, name] of Object.entries(MATRIX_REPOS) as [keyof typeof MATRIX_REPOS, string][]) {
    const record = await app.store.repos.get(name);
    if (!record) throw new Error(`fixture repository ${name} missing`);
    await app.store.repos.upsert({
      name,
      sourceType: 'github',
      sourceKey: 'github:org/acme',
      fullName: `acme/${name}`,
      cloneUrl: record.cloneUrl,
      localPath: record.localPath,
      isPrivate: kind !== 'open',
    });
  }
  const http = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: true });
  const users = {} as Record<MatrixUser, MatrixCredentials>;
  for (const who of ['admin', 'alice', 'bob'] as const) {
    const user = await app.store.users.signIn(
      { provider: 'oidc', subject: who, email: `${who}@acme.dev` },
      { role: who === 'admin' ? 'admin' : 'member', linkByEmail: false },
    );
    const session = (await startSession(app.store.sessions, user, app.config)).secret;
    users[who] = {
      id: user.id,
      token: (await createApiToken(app.store.tokens, `${who}-token`, { userId: user.id })).token,
      session,
      csrf: csrfToken(PERMISSION_SECRET_KEY, session),
    };
  }
  await app.store.access.replaceForUser(users.alice.id, 'user', [repoIds.granted]);
  return { app, http, root, dataDir, users, repoIds };
}

/** How a request authenticates: a browser session cookie (with its CSRF token) or a user API token. */
export type Via = 'session' | 'token';

/** A request as `who` through `via`; JSON bodies for POST. */
export function requestAs(
  fixture: PermissionFixture,
  who: MatrixUser,
  via: Via,
  path: string,
  init: { method?: string; body?: unknown; accept?: string } = {},
): Promise<Response> {
  const user = fixture.users[who];
  const headers: Record<string, string> =
    via === 'token' ? { authorization: `Bearer ${user.token}` } : { cookie: `gitlore_session=${user.session}`, 'x-csrf-token': user.csrf };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.accept) headers.accept = init.accept;
  return Promise.resolve(
    fixture.http.request(path, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );
}
