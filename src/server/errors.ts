import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, type GitloreError, toGitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';

/** The one place where error codes become HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  USAGE: 400,
  CONFIG_INVALID: 400,
  QUERY_INVALID: 400,
  PATH_INVALID: 400,
  AUTH_FAILED: 502,
  SOURCE_NOT_FOUND: 404,
  REPO_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  COMMIT_NOT_FOUND: 404,
  THREAD_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  IDENTITY_TAKEN: 409,
  REPO_EXISTS: 409,
  NOT_SYNCED: 409,
  NOT_INDEXED: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NOT_CONFIGURED: 501,
  STORE_CORRUPT: 500,
  GIT_FAILED: 500,
  NETWORK: 502,
  TIMEOUT: 504,
  ABORTED: 503,
  NOT_READY: 503,
  ROUTE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  STORE_UNWRITABLE: 507,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LOCKED: 409,
  BACKUP_INVALID: 422,
  FILE_TOO_LARGE: 413,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint?: string };
}

export function errorBody(error: GitloreError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: redact(error.code === 'INTERNAL' ? 'Internal error; see the server log.' : error.message),
      ...(error.hint ? { hint: redact(error.hint) } : {}),
    },
  };
}

/** Sends any thrown value as `{error: {code, message, hint?}}` with its status. */
export function sendError(c: Context, thrown: unknown): Response {
  const error = toGitloreError(thrown);
  return c.json(errorBody(error), HTTP_STATUS[error.code] ?? 500);
}
