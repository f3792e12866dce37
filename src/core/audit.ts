import { parseDateBound } from '../history/index.js';
import type { AuditEvent, AuditQuery } from '../store/index.js';
import type { Principal, RequestContext } from './context.js';
import { requireAdmin } from './roles.js';

/** How a principal appears in the audit log. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'local' ? 'local' : principal.id;
}

/** Appends one event for the request's principal; the detail must never hold a secret. */
export function recordAudit(
  ctx: RequestContext,
  event: { action: string; target?: string | null; detail?: Record<string, unknown>; ip?: string | null; actor?: string },
): Promise<AuditEvent> {
  return ctx.services.store.audit.append({
    actor: event.actor ?? actorOf(ctx.principal),
    action: event.action,
    target: event.target ?? null,
    detail: event.detail ?? {},
    ip: event.ip ?? null,
  });
}

/** The audit log, newest first: the local operator and admins only. `since` takes the history filters' dates. */
export async function listAudit(query: AuditQuery, ctx: RequestContext): Promise<AuditEvent[]> {
  requireAdmin(ctx, 'read the audit log');
  const since = query.since === undefined ? undefined : new Date(parseDateBound(query.since, 'since') * 1000).toISOString();
  return ctx.services.store.audit.list({ ...query, since });
}
