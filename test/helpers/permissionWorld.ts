import { join } from 'node:path';
import { seal } from '../../src/core/auth/secretBox.js';
import type { Store, UserRecord } from '../../src/store/index.js';

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
