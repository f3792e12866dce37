import { z } from 'zod';
import { getContributors } from '../history.js';
import { historySemanticsShape } from './getCommitTimeline.js';
import { defineTool } from './types.js';

export const getContributorsTool = defineTool({
  name: 'get_contributors',
  title: 'Contributors',
  description:
    'Authors of a repository, or of one file or folder in it, ranked by their commits in its history (names and emails after .mailmap), grouped as `git shortlog -sn --no-merges -- path` groups them: by author name unless groupBy says email or identity; merges: true counts merges as plain `git shortlog` does; fullHistory: true counts every commit that changed the path (`--full-history`). `semantics` says which history was counted. Use for "who knows this code", "who owns this folder".',
  inputSchema: {
    repo: z.string().min(1).describe('repository name as listed by list_repos'),
    path: z.string().optional().describe('file or folder path relative to the repo root; whole repo when absent'),
    limit: z.number().int().min(1).max(1000).optional().describe('authors to return (default 20)'),
    merges: z.boolean().optional().describe('count merge commits too (default false, as --no-merges)'),
    fullHistory: z
      .boolean()
      .optional()
      .describe("with a path: count every commit that changed it (--full-history), not git's default simplification"),
    groupBy: z
      .enum(['name', 'email', 'identity'])
      .optional()
      .describe('name (default, as git shortlog -sn), email (per address), identity (name and address, as -sne)'),
  },
  outputSchema: {
    repo: z.string(),
    path: z.string().nullable(),
    totalCommits: z.number().int(),
    contributors: z.array(
      z.object({ name: z.string(), email: z.string(), commits: z.number().int(), firstDate: z.string(), lastDate: z.string() }),
    ),
    semantics: historySemanticsShape,
    semanticsNote: z.string().optional().describe('set when the answer only approximates `semantics`'),
    groupBy: z.enum(['name', 'email', 'identity']),
    merges: z.boolean().describe('merge commits were counted'),
  },
  async execute(input, ctx) {
    return getContributors(input, ctx);
  },
  toText(output) {
    const where = output.path ? `${output.repo}:${output.path}` : output.repo;
    const kind = output.merges ? 'commits' : 'non-merge commits';
    const how = `${output.semantics}, by ${output.groupBy}${output.semanticsNote ? `; ${output.semanticsNote}` : ''}`;
    if (output.contributors.length === 0) return `No ${kind} touch ${where} (${how}).`;
    return [
      `Contributors to ${where} (${output.totalCommits} ${kind}; ${how}):`,
      ...output.contributors.map(
        (c) => `- ${c.name} <${c.email}>: ${c.commits} commits (${c.firstDate.slice(0, 10)} … ${c.lastDate.slice(0, 10)})`,
      ),
    ].join('\n');
  },
});
