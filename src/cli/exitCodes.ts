import type { ErrorCode } from '../shared/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C or SIGTERM: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Usage and configuration mistakes exit 2; everything that went wrong at run time exits 1. */
const USAGE_CODES = new Set<ErrorCode>([
  'USAGE',
  'CONFIG_INVALID',
  'AUTH_FAILED',
  'SOURCE_NOT_FOUND',
  'REPO_NOT_FOUND',
  'THREAD_NOT_FOUND',
  'USER_NOT_FOUND',
  'TOKEN_NOT_FOUND',
  'REPO_EXISTS',
  'QUERY_INVALID',
  'PATH_INVALID',
  'NOT_CONFIGURED',
  'FILE_TOO_LARGE',
]);

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'ABORTED') return EXIT_INTERRUPTED;
  return USAGE_CODES.has(code) ? EXIT_USAGE : EXIT_FAILURE;
}
