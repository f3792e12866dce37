/** Search modes and result limits: every door (CLI, HTTP, MCP tool, core) takes them from here. */
export type SearchMode = 'hybrid' | 'lexical' | 'semantic' | 'symbol' | 'regex';
export const SEARCH_MODES = ['hybrid', 'lexical', 'semantic', 'symbol', 'regex'] as const satisfies readonly SearchMode[];
export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';

/** Results per search: at least 1, at most `max`, `default` when not asked. */
export const SEARCH_LIMIT = { min: 1, max: 200, default: 10 } as const;

/** `file`: one result per file (its best chunk, with its best few listed), so ten results are ten files. */
export const SEARCH_GROUPS = ['file'] as const;
export type SearchGroup = (typeof SEARCH_GROUPS)[number];

/**
 * Ungrouped results, so that the first page spans more files: `perFile` N puts at most N chunks of one file before
 * every other file's next ones (the rest follow); without it, each chunk of a file past its `default` best ranks a
 * little lower (search/selectHits.ts SPREAD_DECAY, measured there).
 */
export const PER_FILE = { min: 1, max: SEARCH_LIMIT.max, default: 3 } as const;

/** Chunks listed with each file when results are grouped by file (its best first). */
export const FILE_GROUP_CHUNKS = 3;

/** Largest file get_file and GET /api/files read, in bytes; checked from the blob's size before reading it. */
export const MAX_FILE_READ_BYTES = 8 * 1024 * 1024;

/** Longest typed query or regex accepted, in UTF-8 bytes. */
export const MAX_QUERY_BYTES = 10 * 1024;

/**
 * Longest text accepted as a code search query when it is pasted rather than typed (an issue, a stack trace, a log:
 * isPastedText), in UTF-8 bytes. Its identifiers, paths and frames are extracted (search/issueText.ts), so its length
 * costs little; the limit keeps one request from holding megabytes.
 */
export const MAX_TEXT_QUERY_BYTES = 1024 * 1024;

/** What to do about a pasted text over MAX_TEXT_QUERY_BYTES (every door says the same). */
export const TEXT_QUERY_HINT =
  'Search with the part that matters: the error message, the stack trace, the names of the functions and files involved.';

/** References listed by `gitlore refs`, `find_references` and `/api/refs`. */
export const REFERENCES_LIMIT = { min: 1, default: 100, max: 1000 } as const;
