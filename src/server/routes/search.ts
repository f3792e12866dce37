import { z } from 'zod';
import { PER_FILE, SEARCH_GROUPS, SEARCH_LIMIT, SEARCH_MODES } from '../../shared/searchLimits.js';
import type { RouteDeps } from './deps.js';
import { limitParam } from './params.js';
import type { Routes } from './route.js';
import { runTool, toolOutput } from './toolRoute.js';

/** Longest `q` in a URL; longer text (an issue, a stack trace) goes in the body of POST /api/search. */
export const MAX_URL_QUERY_CHARS = 1000;

const filters = {
  lang: z.string().min(1).max(50).optional().describe('language'),
  path: z.string().min(1).max(500).optional().describe('path glob'),
  mode: z.enum(SEARCH_MODES).optional().describe('search mode'),
  limit: limitParam(SEARCH_LIMIT.max).optional().describe(`max results, or files with group=file (default ${SEARCH_LIMIT.default})`),
  group: z.enum(SEARCH_GROUPS).optional().describe('file: one result per file, with its best chunks'),
  perFile: z.coerce
    .number({ error: 'perFile must be a number' })
    .int('perFile must be an integer')
    .min(PER_FILE.min, `perFile must be at least ${PER_FILE.min}`)
    .max(PER_FILE.max, `perFile must be at most ${PER_FILE.max}`)
    .optional()
    .describe(
      `at most this many chunks of one file before the other files' next ones (default: past a file's ${PER_FILE.default} best, each further one ranks a little lower)`,
    ),
};

export const searchQuery = z.object({
  q: z
    .string({ error: 'q (the search query) is required' })
    .trim()
    .min(1, 'q (the search query) is required')
    .max(MAX_URL_QUERY_CHARS, `q is longer than ${MAX_URL_QUERY_CHARS} characters; send longer text as {"q": …} to POST /api/search`)
    .describe('the query'),
  repo: z.array(z.string().min(1)).optional().describe('repository name; repeatable'),
  ...filters,
});

/** POST /api/search: the same search with the query in a JSON body, for text too long for a URL (up to 1 MB). */
export const searchBody = z.object({
  q: z
    .string({ error: 'q (the search query or text) is required' })
    .refine((q) => q.trim().length > 0, 'q (the search query or text) is required')
    .describe('the query, or a pasted text (an issue, a stack trace) of up to 1 MB'),
  repo: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe('repository name, or several'),
  ...filters,
});

/** The search_code tool's input from the short names of the query string or body. */
function toolInput(q: Omit<z.output<typeof searchQuery>, 'repo'> & { repo?: string | string[] }): Record<string, unknown> {
  const input: Record<string, unknown> = { query: q.q };
  if (q.repo) input.repos = typeof q.repo === 'string' ? [q.repo] : q.repo;
  if (q.lang) input.language = q.lang;
  if (q.path) input.path = q.path;
  if (q.mode) input.mode = q.mode;
  if (q.limit) input.limit = q.limit;
  if (q.group) input.group = q.group;
  if (q.perFile) input.perFile = q.perFile;
  return input;
}

/** Code search: the search_code tool with the query string's short names, or a JSON body's. */
export function registerSearchRoutes(routes: Routes, deps: RouteDeps): void {
  const response = { description: 'Hits as in `gitlore search --json`', schema: toolOutput('search_code') };
  routes.add(
    { method: 'get', path: '/api/search', summary: 'Search code', query: searchQuery, what: 'search parameters', response },
    async (c, { query }) => c.json(await runTool(deps, c, 'search_code', toolInput(query))),
  );
  routes.add(
    {
      method: 'post',
      path: '/api/search',
      summary: 'Search code with the query in the body (long text: an issue, a stack trace)',
      body: searchBody,
      what: 'search parameters',
      response,
    },
    async (c, { body }) => c.json(await runTool(deps, c, 'search_code', toolInput(body))),
  );
}
