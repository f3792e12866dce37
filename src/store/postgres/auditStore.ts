import { type AuditRow, auditEventToAppend, auditListQuery, toAuditEvent } from '../auditQuery.js';
import type { AuditStore } from '../auditStore.js';
import type { PgDb } from './database.js';

export function createPgAuditStore(db: PgDb): AuditStore {
  return {
    async append(input) {
      const event = auditEventToAppend(input);
      const row = await db.row<{ id: number }>(
        'INSERT INTO audit_events (at, actor, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [event.at, event.actor, event.action, event.target, JSON.stringify(event.detail), event.ip],
      );
      return { id: row?.id as number, ...event };
    },
    async list(query = {}) {
      const { sql, params } = auditListQuery(query, 'postgres');
      return (await db.rows<AuditRow>(sql, params)).map(toAuditEvent);
    },
  };
}
