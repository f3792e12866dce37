import { z } from 'zod';
import type { RouteDeps } from './deps.js';
import { limitParam } from './params.js';
import type { Routes } from './route.js';
import { addToolRoute, runTool, toolOutput } from './toolRoute.js';

/** Commits per page over HTTP. */
export const MAX_LIMIT = 100;

export const commitsQuery = z.object({
  repo: z.string({ error: 'repo is required' }).min(1, 'repo is required').describe('repository name'),
  path: z.string().min(1).optional().describe('limit to a path'),
  author: z.string().min(1).optional().describe('author name or email'),
  since: z.string().min(1).optional().describe('date'),
  until: z.string().min(1).optional().describe('date'),
  grep: z.string().min(1).optional().describe('text in the message'),
  order: z.enum(['newest', 'oldest']).optional().describe('newest or oldest first'),
  merges: z.enum(['true', 'false', '1', '0']).optional().describe('include merges'),
  limit: limitParam(MAX_LIMIT).optional().describe('page size'),
});

/** History: the commit timeline and one commit. */
export function registerCommitRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/commits',
      summary: 'Commit timeline as in `gitlore log --json`',
      query: commitsQuery,
      what: 'commit parameters',
      response: { description: 'Commits', schema: toolOutput('get_commit_timeline') },
    },
    async (c, { query }) => {
      const { merges, ...rest } = query;
      const input = { ...rest, ...(merges ? { merges: merges === 'true' || merges === '1' } : {}) };
      return c.json(await runTool(deps, c, 'get_commit_timeline', input));
    },
  );
  addToolRoute(routes, deps, {
    path: '/api/commits/:repo/:hash',
    summary: 'One commit',
    tool: 'get_commit',
    params: ['repo', 'hash'],
    description: 'Commit',
  });
}
