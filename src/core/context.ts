import type { Services } from './services.js';

/**
 * Who a request acts for. Today every caller is the anonymous local user (CLI, stdio MCP, the
 * loopback or token-guarded server); login adds kinds, and the repo gate (repoGate.ts) decides
 * from the principal which repositories it may see.
 */
export interface Principal {
  readonly kind: 'local';
  /** Stable id for logs and, later, for permission lookups. */
  readonly id: string;
}

/** The anonymous local user: sees every registered repository. */
export const LOCAL_PRINCIPAL: Principal = Object.freeze({ kind: 'local', id: 'local' });

/** Progress and events of a running use case (index phases, sync steps); the caller decides where they go. */
export interface ContextEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** What every use case and tool receives besides its input: `(input, ctx)`. */
export interface RequestContext {
  readonly services: Services;
  readonly principal: Principal;
  /** Aborted when the caller goes away (client disconnect, Ctrl-C, shutdown). */
  readonly signal: AbortSignal;
  readonly emit: (event: ContextEvent) => void;
}

const NEVER = new AbortController().signal;
const ignore = () => {};

/** A context for one request or command; the anonymous local user unless a principal is given. */
export function createContext(
  services: Services,
  options: { principal?: Principal; signal?: AbortSignal; emit?: (event: ContextEvent) => void } = {},
): RequestContext {
  return {
    services,
    principal: options.principal ?? LOCAL_PRINCIPAL,
    signal: options.signal ?? NEVER,
    emit: options.emit ?? ignore,
  };
}
