import type { AuditEvent, AuditQuery } from './auditStore.js';

const MAX_LIMIT = 1000;

export interface AuditRow extends Omit<AuditEvent, 'detail'> {
  detail: string;
}

export const toAuditEvent = (row: AuditRow): AuditEvent => ({ ...row, detail: JSON.parse(row.detail) });

/** The event as appended: every optional field settled, `at` now unless given. */
export function auditEventToAppend(event: Omit<AuditEvent, 'id' | 'at'> & { at?: string }): Omit<AuditEvent, 'id'> {
  return {
    at: event.at ?? new Date().toISOString(),
    actor: event.actor,
    action: event.action,
    target: event.target ?? null,
    detail: event.detail ?? {},
    ip: event.ip ?? null,
  };
}

/**
 * The one `audit_events` query of `AuditStore.list` (newest first), so both backends filter and page alike.
 */
export function auditListQuery(query: AuditQuery, dialect: 'sqlite' | 'postgres'): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return dialect === 'sqlite' ? '?' : `$${params.length}`;
  };
  if (query.actor) where.push(`actor = ${bind(query.actor)}`);
  if (query.action?.endsWith('.')) where.push(`substr(action, 1, ${bind(query.action.length)}) = ${bind(query.action)}`);
  else if (query.action) where.push(`action = ${bind(query.action)}`);
  // SQLite compares text byte by byte; PostgreSQL does so only in the "C" collation.
  if (query.since) where.push(`at >= ${bind(query.since)}${dialect === 'postgres' ? ' COLLATE "C"' : ''}`);
  if (query.beforeId !== undefined) where.push(`id < ${bind(query.beforeId)}`);
  const limit = Math.min(Math.max(query.limit ?? 100, 1), MAX_LIMIT);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  return {
    sql: `SELECT id, at, actor, action, target, detail, ip FROM audit_events ${filter} ORDER BY id DESC LIMIT ${bind(limit)}`,
    params,
  };
}
