import type { AuditEvent, AuditStore } from '../auditStore.js';
import type { Db } from './database.js';

const MAX_LIMIT = 1000;

interface AuditRow extends Omit<AuditEvent, 'detail'> {
  detail: string;
}

export function createSqliteAuditStore(db: Db): AuditStore {
  const insert = db.prepare('INSERT INTO audit_events (at, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)');
  const toEvent = (row: AuditRow): AuditEvent => ({ ...row, detail: JSON.parse(row.detail) });

  return {
    async append(event) {
      const at = event.at ?? new Date().toISOString();
      const detail = JSON.stringify(event.detail ?? {});
      const info = insert.run(at, event.actor, event.action, event.target ?? null, detail, event.ip ?? null);
      return {
        id: Number(info.lastInsertRowid),
        at,
        actor: event.actor,
        action: event.action,
        target: event.target ?? null,
        detail: event.detail ?? {},
        ip: event.ip ?? null,
      };
    },
    async list(query = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.actor) {
        where.push('actor = ?');
        params.push(query.actor);
      }
      if (query.action) {
        if (query.action.endsWith('.')) {
          where.push('substr(action, 1, ?) = ?');
          params.push(query.action.length, query.action);
        } else {
          where.push('action = ?');
          params.push(query.action);
        }
      }
      if (query.since) {
        where.push('at >= ?');
        params.push(query.since);
      }
      if (query.beforeId !== undefined) {
        where.push('id < ?');
        params.push(query.beforeId);
      }
      const limit = Math.min(Math.max(query.limit ?? 100, 1), MAX_LIMIT);
      const sql = `SELECT id, at, actor, action, target, detail, ip FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...params, limit) as AuditRow[]).map(toEvent);
    },
  };
}
