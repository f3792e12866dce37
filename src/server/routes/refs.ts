import { z } from 'zod';
import { REFERENCES_LIMIT } from '../../shared/searchLimits.js';
import type { RouteDeps } from './deps.js';
import { limitParam } from './params.js';
import type { Routes } from './route.js';
import { runTool, toolOutput } from './toolRoute.js';

export const refsQuery = z.object({
  symbol: z
    .string({ error: 'symbol (the identifier to find uses of) is required' })
    .trim()
    .min(1, 'symbol (the identifier to find uses of) is required')
    .max(300, 'symbol is longer than 300 characters')
    .describe('identifier as written in code (case-sensitive), or Qualified.name'),
  repo: z.array(z.string().min(1)).optional().describe('repository name; repeatable'),
  lang: z.string().min(1).max(50).optional().describe('language'),
  limit: limitParam(REFERENCES_LIMIT.max).optional().describe(`references listed (default ${REFERENCES_LIMIT.default})`),
});

/** References: the find_references tool with the query string's short names, as `gitlore refs --json` prints it. */
export function registerRefsRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/refs',
      summary: 'Where a symbol is used (search-based references, grouped by file)',
      query: refsQuery,
      what: 'references parameters',
      response: { description: 'Definitions, total and files as in `gitlore refs --json`', schema: toolOutput('find_references') },
    },
    async (c, { query: q }) => {
      const input: Record<string, unknown> = { symbol: q.symbol };
      if (q.repo) input.repos = q.repo;
      if (q.lang) input.language = q.lang;
      if (q.limit) input.limit = q.limit;
      return c.json(await runTool(deps, c, 'find_references', input));
    },
  );
}
