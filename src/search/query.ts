import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { isPastedText } from '../shared/queryLanguage.js';
import {
  MAX_QUERY_BYTES,
  MAX_TEXT_QUERY_BYTES,
  SEARCH_LIMIT,
  SEARCH_MODES,
  type SearchMode,
  TEXT_QUERY_HINT,
} from '../shared/searchLimits.js';
import { compileRegex } from './regexPattern.js';

export { languagesFor } from '../shared/languages.js';

/** Throws QUERY_INVALID for empty or oversized queries, invalid regexes (RE2 syntax) and unknown modes. */
export function validateQuery(query: string, mode: SearchMode): void {
  validateQueryText(query, queryByteLimit(query, mode));
  if (mode === 'regex') compileRegex(query);
  validateMode(mode);
}

/**
 * The longest a code search query may be, in UTF-8 bytes: pasted text (an issue, a stack trace) up to
 * MAX_TEXT_QUERY_BYTES, a typed query or a regex up to MAX_QUERY_BYTES.
 */
export function queryByteLimit(query: string, mode: string): number {
  return mode !== 'regex' && isPastedText(query) ? MAX_TEXT_QUERY_BYTES : MAX_QUERY_BYTES;
}

/** Throws QUERY_INVALID for an empty query, or one over `limit` bytes (MAX_QUERY_BYTES unless told). */
export function validateQueryText(query: string, limit: number = MAX_QUERY_BYTES): void {
  if (typeof query !== 'string' || query.trim().length === 0) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, 'The search query is empty.', { hint: 'Pass some words, an identifier or a regex.' });
  }
  const bytes = Buffer.byteLength(query);
  if (bytes <= limit) return;
  if (limit >= MAX_TEXT_QUERY_BYTES) {
    throw new GitloreError(
      ERROR_CODES.QUERY_INVALID,
      `The search text is ${bytes} bytes; the limit is ${limit} (${limit / 1024 / 1024} MB).`,
      { hint: TEXT_QUERY_HINT },
    );
  }
  throw new GitloreError(ERROR_CODES.QUERY_INVALID, `The search query is ${bytes} bytes; the limit is ${limit}.`, {
    hint: 'Shorten the query to the words or identifier you are looking for.',
  });
}

/** Throws QUERY_INVALID for a mode that is not one of SEARCH_MODES. */
export function validateMode(mode: string): void {
  if (!(SEARCH_MODES as readonly string[]).includes(mode)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Unknown search mode "${mode}".`, { hint: `Use one of ${SEARCH_MODES.join(', ')}.` });
  }
}

/** Throws QUERY_INVALID unless the limit is a whole number within SEARCH_LIMIT (undefined: the default applies). */
export function validateLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < SEARCH_LIMIT.min || limit > SEARCH_LIMIT.max)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid limit ${limit}.`, {
      hint: `Use an integer from ${SEARCH_LIMIT.min} to ${SEARCH_LIMIT.max}.`,
    });
  }
}

/** The limit a search runs with: clamped into SEARCH_LIMIT (the engine never fails on a limit). */
export function clampLimit(limit: number): number {
  return Math.max(SEARCH_LIMIT.min, Math.min(limit, SEARCH_LIMIT.max));
}
