import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { createContext, type RequestContext } from '../core/context.js';
import { readRepoFile } from '../core/repoOverview.js';
import type { Services } from '../core/services.js';
import type { AnyTool } from '../core/tools/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { SEARCH_LIMIT, SEARCH_MODES } from '../shared/searchLimits.js';
import { parse } from './parse.js';

/** Commits per page over HTTP. */
export const MAX_LIMIT = 100;

const limitParam = (max: number) =>
  z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be at least 1')
    .max(max, `limit must be at most ${max}`);

export const searchQuery = z.object({
  q: z
    .string({ error: 'q (the search query) is required' })
    .trim()
    .min(1, 'q (the search query) is required')
    .max(1000, 'q is longer than 1000 characters'),
  repo: z.array(z.string().min(1)).optional(),
  lang: z.string().min(1).max(50).optional(),
  path: z.string().min(1).max(500).optional(),
  mode: z.enum(SEARCH_MODES).optional(),
  limit: limitParam(SEARCH_LIMIT.max).optional(),
});

export const commitsQuery = z.object({
  repo: z.string({ error: 'repo is required' }).min(1, 'repo is required'),
  path: z.string().min(1).optional(),
  author: z.string().min(1).optional(),
  since: z.string().min(1).optional(),
  until: z.string().min(1).optional(),
  grep: z.string().min(1).optional(),
  order: z.enum(['newest', 'oldest']).optional(),
  merges: z.enum(['true', 'false', '1', '0']).optional(),
  limit: limitParam(MAX_LIMIT).optional(),
});

export const fileQuery = z.object({
  ref: z.string().min(1).max(200).optional(),
  startLine: z.coerce.number().int().min(1).optional(),
  endLine: z.coerce.number().int().min(1).optional(),
});

/** The context of one HTTP request: the anonymous local user (tokens guard the door, not the repos yet) and the request's abort signal. */
export function requestContext(services: Services, c: Context): RequestContext {
  return createContext(services, { signal: c.req.raw.signal });
}

/**
 * The HTTP adapter of the shared tool definitions: the read routes of /api, each a tool run with
 * its input validated by the tool's own schema, in the request's context.
 */
export function registerToolRoutes(http: Hono, services: Services, tools: readonly AnyTool[]): void {
  const runTool = async (c: Context, name: string, input: Record<string, unknown>) => {
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `The ${name} tool is not available in this build.`);
    const parsed = parse(z.object(tool.inputSchema), input, `${name} arguments`);
    return tool.execute(parsed, requestContext(services, c));
  };

  http.get('/api/repos', async (c) => c.json(await runTool(c, 'list_repos', { query: c.req.query('q') ?? c.req.query('query') })));
  http.get('/api/repos/:repo', async (c) => c.json(await runTool(c, 'get_repo_overview', { repo: c.req.param('repo') })));
  http.get('/api/repos/:repo/contributors', async (c) =>
    c.json(
      await runTool(c, 'get_contributors', { repo: c.req.param('repo'), ...(c.req.query('path') ? { path: c.req.query('path') } : {}) }),
    ),
  );

  http.get('/api/search', async (c) => {
    const q = parse(searchQuery, { ...c.req.query(), repo: c.req.queries('repo') }, 'search parameters');
    const input: Record<string, unknown> = { query: q.q };
    if (q.repo) input.repos = q.repo;
    if (q.lang) input.language = q.lang;
    if (q.path) input.path = q.path;
    if (q.mode) input.mode = q.mode;
    if (q.limit) input.limit = q.limit;
    return c.json(await runTool(c, 'search_code', input));
  });

  http.get('/api/files/:repo/*', async (c) => {
    const repo = c.req.param('repo');
    const prefix = `/api/files/${encodeURIComponent(repo)}/`;
    const rawPath = new URL(c.req.url).pathname;
    const encoded = rawPath.startsWith(prefix) ? rawPath.slice(prefix.length) : rawPath.split('/').slice(4).join('/');
    let path: string;
    try {
      path = decodeURIComponent(encoded);
    } catch {
      throw new GitloreError(ERROR_CODES.PATH_INVALID, 'The file path is not valid URL encoding.');
    }
    const q = parse(fileQuery, c.req.query(), 'file parameters');
    const file = await readRepoFile({ repo, path, ref: q.ref ?? 'HEAD' }, requestContext(services, c));
    const lines = file.text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const startLine = q.startLine ?? 1;
    const endLine = Math.min(q.endLine ?? lines.length, lines.length);
    if (endLine < startLine && lines.length > 0) {
      throw new GitloreError(ERROR_CODES.QUERY_INVALID, `endLine (${endLine}) is before startLine (${startLine}).`);
    }
    return c.json({
      repo: file.repo.name,
      path: file.path,
      ref: file.ref,
      startLine,
      endLine,
      totalLines: lines.length,
      text: lines.slice(startLine - 1, endLine).join('\n'),
    });
  });

  http.get('/api/commits', async (c) => {
    const q = parse(commitsQuery, c.req.query(), 'commit parameters');
    const { merges, ...rest } = q;
    return c.json(await runTool(c, 'get_commit_timeline', { ...rest, ...(merges ? { merges: merges === 'true' || merges === '1' } : {}) }));
  });
  http.get('/api/commits/:repo/:hash', async (c) =>
    c.json(await runTool(c, 'get_commit', { repo: c.req.param('repo'), hash: c.req.param('hash') })),
  );
}
