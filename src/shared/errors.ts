/**
 * Every failure a user can act on is a GitloreError with a stable code.
 * Codes map to exit codes in cli/exitCodes.ts and to HTTP statuses in server/errors.ts.
 */
export const ERROR_CODES = {
  /** Bad command-line usage: unknown flag, missing argument. */
  USAGE: 'USAGE',
  /** A configuration value (env, .env, flag or config file) is invalid. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** The GitHub token was refused (401/403 without rate limit). */
  AUTH_FAILED: 'AUTH_FAILED',
  /** A GitHub organization or user does not exist or is not visible. */
  SOURCE_NOT_FOUND: 'SOURCE_NOT_FOUND',
  /** No repository with that name is registered. */
  REPO_NOT_FOUND: 'REPO_NOT_FOUND',
  /** A repository with that name is already registered. */
  REPO_EXISTS: 'REPO_EXISTS',
  /** The repository exists but has not been cloned yet. */
  NOT_SYNCED: 'NOT_SYNCED',
  /** Nothing is indexed yet for the requested repositories. */
  NOT_INDEXED: 'NOT_INDEXED',
  /** A file path is outside the repository or otherwise invalid. */
  PATH_INVALID: 'PATH_INVALID',
  /** The file does not exist at the requested revision. */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** The commit does not exist in the repository. */
  COMMIT_NOT_FOUND: 'COMMIT_NOT_FOUND',
  /** No ask thread with that id is visible to the caller. */
  THREAD_NOT_FOUND: 'THREAD_NOT_FOUND',
  /** No user with that id (account administration). */
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  /** No active API token with that id is visible to the caller. */
  TOKEN_NOT_FOUND: 'TOKEN_NOT_FOUND',
  /** A sign-in identity (e.g. a GitHub account) already belongs to another user. */
  IDENTITY_TAKEN: 'IDENTITY_TAKEN',
  /** A search query or other request parameter is invalid. */
  QUERY_INVALID: 'QUERY_INVALID',
  /** The database file is unreadable or not a gitlore database. */
  STORE_CORRUPT: 'STORE_CORRUPT',
  /** A git command failed. */
  GIT_FAILED: 'GIT_FAILED',
  /** A backup is missing, partial or corrupt (no manifest, a missing item, a checksum mismatch), or a restore target is not empty. */
  BACKUP_INVALID: 'BACKUP_INVALID',
  /** The remote API rate limit is exhausted. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The remote could not be reached. */
  NETWORK: 'NETWORK',
  /** The operation timed out. */
  TIMEOUT: 'TIMEOUT',
  /** The operation was cancelled (signal). */
  ABORTED: 'ABORTED',
  /** The server is starting or stopping, or its database does not answer (GET /ready). */
  NOT_READY: 'NOT_READY',
  /** An API token is missing, invalid or revoked. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The caller is authenticated but not allowed. */
  FORBIDDEN: 'FORBIDDEN',
  /** A feature is not configured (e.g. no LLM provider). */
  NOT_CONFIGURED: 'NOT_CONFIGURED',
  /** No HTTP route at that method and path (server only). */
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  /** The request or its body is larger than the server accepts (server only). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The data dir cannot be written: read-only, out of space or permission denied. */
  STORE_UNWRITABLE: 'STORE_UNWRITABLE',
  /** A state-changing request whose body is not JSON (server only; refuses cross-site form posts). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** Another gitlore process is writing to the same data (index, sync); wait for it or stop it. */
  LOCKED: 'LOCKED',
  /** A file is larger than gitlore serves (MAX_FILE_READ_BYTES). */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  /** A bug or an unexpected failure. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class GitloreError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it, naming the exact option or command. */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GitloreError';
    this.code = code;
    this.hint = options.hint;
  }

  /**
   * One line: the message, then the hint. A hint of several lines is a picture (a query, then a
   * caret under the column at fault followed by the advice): the line keeps only the advice.
   */
  toLine(): string {
    if (!this.hint) return this.message;
    const advice = this.hint.includes('\n') ? (this.hint.split('\n').at(-1) ?? '').replace(/^\s*\^\s*/, '') : this.hint;
    return advice ? `${this.message} ${advice}` : this.message;
  }
}

export function isGitloreError(value: unknown): value is GitloreError {
  return value instanceof GitloreError;
}

/** Wraps anything thrown into a GitloreError, keeping known ones as they are. */
export function toGitloreError(value: unknown): GitloreError {
  if (value instanceof GitloreError) return value;
  if (value instanceof Error && value.name === 'AbortError') {
    return new GitloreError(ERROR_CODES.ABORTED, 'Operation cancelled.', { cause: value });
  }
  const message = value instanceof Error ? value.message : String(value);
  return new GitloreError(ERROR_CODES.INTERNAL, message, { cause: value });
}
