import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RequestContext } from './context.js';

/** Admin rights: the local operator (no sign-in here) and users with the admin role. */
export function isAdmin(ctx: RequestContext): boolean {
  return ctx.principal.kind === 'local' || ctx.principal.role === 'admin';
}

/** FORBIDDEN naming the action unless the caller is an admin (sync, ingest, others' tokens, settings). */
export function requireAdmin(ctx: RequestContext, action: string): void {
  if (isAdmin(ctx)) return;
  throw new GitloreError(ERROR_CODES.FORBIDDEN, `Only admins can ${action}.`, {
    hint: 'Ask an admin (GITLORE_ADMINS) to do it, or to make you one.',
  });
}
