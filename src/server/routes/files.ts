import { z } from 'zod';
import { readRepoFile } from '../../core/repoOverview.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext, runTool, toolOutput } from './toolRoute.js';

const fileParams = z.object({
  repo: z.string().describe('repository name'),
  path: z.string().describe('file path relative to the repository root; may contain slashes'),
});

const fileQuery = z.object({
  ref: z.string().min(1).max(200).optional().describe('branch, tag or commit'),
  startLine: z.coerce.number().int().min(1).optional().describe('1-based'),
  endLine: z.coerce.number().int().min(1).optional().describe('inclusive'),
});

const fileText = z.object({
  repo: z.string(),
  path: z.string(),
  ref: z.string(),
  startLine: z.number().int(),
  endLine: z.number().int(),
  totalLines: z.number().int(),
  text: z.string(),
});

/** The path parameter of `/…/:repo/*`, decoded. */
function filePath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, 'The file path is not valid URL encoding.');
  }
}

/** File text at a ref, by line range; and its blame. */
export function registerFileRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/blame/:repo/*',
      summary: 'Each line of a file (or of startLine..endLine) with the commit that last changed it, as the blame tool answers',
      params: fileParams,
      query: fileQuery,
      what: 'blame parameters',
      response: { description: 'Lines, groups of lines per commit, the commits and the last change', schema: toolOutput('blame') },
    },
    async (c, { params, query: q }) => c.json(await runTool(deps, c, 'blame', { repo: params.repo, path: filePath(params.path), ...q })),
  );
  routes.add(
    {
      method: 'get',
      path: '/api/files/:repo/*',
      summary: 'File text at a ref (HEAD by default); the path may contain slashes',
      params: fileParams,
      query: fileQuery,
      what: 'file parameters',
      response: { description: 'File text', schema: fileText },
    },
    async (c, { params, query: q }) => {
      const path = filePath(params.path);
      const file = await readRepoFile({ repo: params.repo, path, ref: q.ref ?? 'HEAD' }, requestContext(deps, c));
      const lines = file.text.split('\n');
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      const startLine = q.startLine ?? 1;
      const endLine = Math.min(q.endLine ?? lines.length, lines.length);
      if (endLine < startLine && lines.length > 0) {
        throw new GitloreError(ERROR_CODES.QUERY_INVALID, `endLine (${endLine}) is before startLine (${startLine}).`);
      }
      const body: z.input<typeof fileText> = {
        repo: file.repo.name,
        path: file.path,
        ref: file.ref,
        startLine,
        endLine,
        totalLines: lines.length,
        text: lines.slice(startLine - 1, endLine).join('\n'),
      };
      return c.json(body);
    },
  );
}
