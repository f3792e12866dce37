import type { RequestContext } from './context.js';

export interface Me {
  /** `local`: the operator (no sign-in on this server); `user`: a signed-in user or a user's token. */
  kind: 'local' | 'user';
  id: string;
  role: 'admin' | 'member';
  email: string | null;
  name: string | null;
  githubLogin: string | null;
}

/** Who the caller is, as the web app shows it; the local operator acts as an admin. */
export async function whoAmI(ctx: RequestContext): Promise<Me> {
  const principal = ctx.principal;
  if (principal.kind === 'local') return { kind: 'local', id: principal.id, role: 'admin', email: null, name: null, githubLogin: null };
  const user = await ctx.services.store.users.get(principal.id);
  return {
    kind: 'user',
    id: principal.id,
    role: principal.role,
    email: user?.email ?? null,
    name: user?.name ?? null,
    githubLogin: user?.githubLogin ?? null,
  };
}
