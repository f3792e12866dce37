import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createContext, type RequestContext } from '../../src/core/context.js';
import { createServices, type Services } from '../../src/core/services.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { UserRecord, UserRole } from '../../src/store/index.js';
import { tempDir } from './git.js';

export interface UserServices {
  services: Services;
  /** ada, an admin, and bob, a member, signed in by OIDC. */
  admin: UserRecord;
  member: UserRecord;
  /** A user signed in by OIDC as `<subject>@acme.dev`. */
  signIn(subject: string, role: UserRole): Promise<UserRecord>;
  /** A request context acting as the user (with another role when given). */
  as(user: UserRecord, role?: UserRole): RequestContext;
}

/** Fresh services in a temporary data dir with an admin and a member: for core tests of user-facing use cases. */
export async function openUserServices(prefix: string): Promise<UserServices> {
  const root = tempDir(prefix);
  const services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data') }, cwd: root }), {
    log: silentLogger,
    embedder: null,
  });
  const signIn = (subject: string, role: UserRole) =>
    services.store.users.signIn({ provider: 'oidc', subject, email: `${subject}@acme.dev` }, { role, linkByEmail: false });
  return {
    services,
    admin: await signIn('ada', 'admin'),
    member: await signIn('bob', 'member'),
    signIn,
    as: (user, role = user.role) => createContext(services, { principal: { kind: 'user', id: user.id, role } }),
  };
}
