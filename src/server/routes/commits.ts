import { z } from 'zod';
import { commitDiff, MAX_LINES_PER_FILE } from '../../core/commitDiff.js';
import { getCommitDetail } from '../../core/history.js';
import type { RouteDeps } from './deps.js';
import { limitParam } from './params.js';
import type { Routes } from './route.js';
import { addToolRoute, requestContext, runTool, toolOutput } from './toolRoute.js';

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
  fullHistory: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .describe("with a path: every commit that changed it (git log --full-history), not git's default simplification"),
  limit: limitParam(MAX_LIMIT).optional().describe('page size'),
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int('offset must be an integer')
    .min(0, 'offset must be at least 0')
    .optional()
    .describe('commits to skip, for paging'),
});

const diffLine = z.object({
  kind: z.enum(['context', 'add', 'del', 'note']),
  oldLine: z.number().int().nullable(),
  newLine: z.number().int().nullable(),
  text: z.string(),
});

const commitParams = z.object({
  repo: z.string().min(1).describe('repository name'),
  hash: z.string().min(4).max(40).describe('commit hash or unique prefix'),
});

/** The answer of GET /api/commits/:repo/:hash/diff (core/commitDiff.ts). */
export const commitDiffSchema = z.object({
  repo: z.string(),
  hash: z.string(),
  parent: z.string().nullable().describe('the first parent the diff is against; null for a root commit'),
  files: z.array(
    z.object({
      path: z.string(),
      oldPath: z.string().optional(),
      status: z.enum(['A', 'M', 'D', 'R', 'C', 'T']),
      binary: z.boolean(),
      modeChange: z.string().optional(),
      hunks: z.array(
        z.object({
          oldStart: z.number().int(),
          oldCount: z.number().int(),
          newStart: z.number().int(),
          newCount: z.number().int(),
          section: z.string(),
          lines: z.array(diffLine),
        }),
      ),
      shownLines: z.number().int(),
      totalLines: z.number().int(),
      truncated: z.boolean().describe('lines were left out (the per-file or total limit)'),
    }),
  ),
  truncated: z.boolean().describe('the patch was cut: files after the last one listed are missing'),
  limits: z.object({ linesPerFile: z.number().int(), totalLines: z.number().int() }),
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
      const { merges, fullHistory, ...rest } = query;
      const flag = (value: string) => value === 'true' || value === '1';
      const input = {
        ...rest,
        ...(merges ? { merges: flag(merges) } : {}),
        ...(fullHistory ? { fullHistory: flag(fullHistory) } : {}),
      };
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
  routes.add(
    {
      method: 'get',
      path: '/api/commits/:repo/:hash/diff',
      summary: 'The diff of one commit against its first parent, parsed into files and hunks',
      params: commitParams,
      query: z.object({
        linesPerFile: z.coerce
          .number({ error: 'linesPerFile must be a number' })
          .int('linesPerFile must be an integer')
          .min(1, 'linesPerFile must be at least 1')
          .max(MAX_LINES_PER_FILE, `linesPerFile must be at most ${MAX_LINES_PER_FILE}`)
          .optional()
          .describe('hunk lines kept per file (default 1000)'),
      }),
      what: 'diff parameters',
      response: { description: 'Diff', schema: commitDiffSchema },
    },
    async (c, { params, query }) => c.json(await commitDiff({ ...params, ...query }, requestContext(deps, c))),
  );
  routes.add(
    {
      method: 'get',
      path: '/api/commits/:repo/:hash/patch',
      summary: 'The patch of one commit as text (git show --patch; a merge against its first parent), cut at 200 KB with a marker line',
      params: commitParams,
      what: 'patch parameters',
      response: { description: 'The unified diff, text/plain' },
    },
    async (c, { params }) => {
      const detail = await getCommitDetail({ ...params, patch: true }, requestContext(deps, c));
      c.header('Content-Type', 'text/plain; charset=utf-8');
      if (detail.patchTruncated) c.header('X-Gitlore-Truncated', 'true');
      return c.body(detail.patch ?? '');
    },
  );
}
