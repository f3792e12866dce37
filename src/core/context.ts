import type { UserRole } from '../store/index.js';
import type { Services } from './services.js';

/**
 * Who a request acts for: the local operator (CLI, stdio MCP, a server without login), or a signed-in
 * user (a session, or an API token that carries its user's permissions). The repo gate (repoGate.ts)
 * decides from the principal which repositories it may see.
 */
export type Principal =
  | {
      readonly kind: 'local';
      /** Stable id for logs and ownership (threads). */
      readonly id: string;
    }
  | {
      readonly kind: 'user';
      /** The user's id (store/userStore.ts). */
      readonly id: string;
      readonly role: UserRole;
    };

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
