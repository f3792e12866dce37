/** What happened, by whom: sign-ins (and refusals), tokens, admin actions, permission changes. */
export interface AuditEvent {
  id: number;
  at: string;
  /** A user id, `local` (the operator at this machine), `token:<id>`, or `anonymous` for a refused sign-in. */
  actor: string;
  /** Dotted verb, e.g. `signin`, `signin.refused`, `token.create`, `token.revoke`, `role.set`, `permissions.sync`. */
  action: string;
  /** What it acted on (a user id, a token name, a repository); null when nothing. */
  target: string | null;
  /** Small structured detail; never a secret. */
  detail: Record<string, unknown>;
  /** The client address, when the event came over HTTP. */
  ip: string | null;
}

export interface AuditQuery {
  actor?: string;
  /** An action or a prefix ending in `.` (`token.`). */
  action?: string;
  since?: string;
  /** Events older than this id (paging back). */
  beforeId?: number;
  limit?: number;
}

/** An append-only log; newest first when read. */
export interface AuditStore {
  append(event: Omit<AuditEvent, 'id' | 'at'> & { at?: string }): Promise<AuditEvent>;
  list(query?: AuditQuery): Promise<AuditEvent[]>;
}
