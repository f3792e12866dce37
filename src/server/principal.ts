import type { Context } from 'hono';
import type { Principal } from '../core/context.js';

const KEY = 'gitlore.principal';

/** Who the request acts for, as the auth middleware found it (a token's user, a session's user). */
export function setPrincipal(c: Context, principal: Principal): void {
  c.set(KEY as never, principal as never);
}

/** The request's principal; undefined when no token or session named one (the local operator then). */
export function principalOf(c: Context): Principal | undefined {
  return c.get(KEY as never) as Principal | undefined;
}
