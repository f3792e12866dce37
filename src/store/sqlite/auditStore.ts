import { type AuditRow, auditEventToAppend, auditListQuery, toAuditEvent } from '../auditQuery.js';
import type { AuditStore } from '../auditStore.js';
import type { Db } from './database.js';

export function createSqliteAuditStore(db: Db): AuditStore {
  const insert = db.prepare('INSERT INTO audit_events (at, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)');

  return {
    async append(input) {
      const event = auditEventToAppend(input);
      const info = insert.run(event.at, event.actor, event.action, event.target, JSON.stringify(event.detail), event.ip);
      return { id: Number(info.lastInsertRowid), ...event };
    },
    async list(query = {}) {
      const { sql, params } = auditListQuery(query, 'sqlite');
      return (db.prepare(sql).all(...params) as AuditRow[]).map(toAuditEvent);
    },
  };
}
