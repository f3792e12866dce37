import { z } from 'zod';
import { SEARCH_LIMIT, SEARCH_MODES } from '../../shared/searchLimits.js';
import type { RouteDeps } from './deps.js';
import { limitParam } from './params.js';
import type { Routes } from './route.js';
import { runTool, toolOutput } from './toolRoute.js';

export const searchQuery = z.object({
  q: z
    .string({ error: 'q (the search query) is required' })
    .trim()
    .min(1, 'q (the search query) is required')
    .max(1000, 'q is longer than 1000 characters')
    .describe('the query'),
  repo: z.array(z.string().min(1)).optional().describe('repository name; repeatable'),
  lang: z.string().min(1).max(50).optional().describe('language'),
  path: z.string().min(1).max(500).optional().describe('path glob'),
  mode: z.enum(SEARCH_MODES).optional().describe('search mode'),
  limit: limitParam(SEARCH_LIMIT.max).optional().describe(`max results (default ${SEARCH_LIMIT.default})`),
});

/** Code search: the search_code tool with the query string's short names. */
export function registerSearchRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/search',
      summary: 'Search code',
      query: searchQuery,
      what: 'search parameters',
      response: { description: 'Hits as in `gitlore search --json`', schema: toolOutput('search_code') },
    },
    async (c, { query: q }) => {
      const input: Record<string, unknown> = { query: q.q };
      if (q.repo) input.repos = q.repo;
      if (q.lang) input.language = q.lang;
      if (q.path) input.path = q.path;
      if (q.mode) input.mode = q.mode;
      if (q.limit) input.limit = q.limit;
      return c.json(await runTool(deps, c, 'search_code', input));
    },
  );
}
