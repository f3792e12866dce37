import { z } from 'zod';
import { getContributors } from '../history.js';
import { defineTool } from './types.js';

export const getContributorsTool = defineTool({
  name: 'get_contributors',
  title: 'Contributors',
  description:
    'Authors of a repository, or of one file or folder in it, ranked by the number of non-merge commits touching it (names and emails after .mailmap). Use for "who knows this code", "who owns this folder".',
  inputSchema: {
    repo: z.string().min(1).describe('repository name as listed by list_repos'),
    path: z.string().optional().describe('file or folder path relative to the repo root; whole repo when absent'),
    limit: z.number().int().min(1).max(1000).optional().describe('authors to return (default 20)'),
  },
  outputSchema: {
    repo: z.string(),
    path: z.string().nullable(),
    totalCommits: z.number().int(),
    contributors: z.array(
      z.object({ name: z.string(), email: z.string(), commits: z.number().int(), firstDate: z.string(), lastDate: z.string() }),
    ),
  },
  async execute(input, ctx) {
    return getContributors(input, ctx);
  },
  toText(output) {
    const where = output.path ? `${output.repo}:${output.path}` : output.repo;
    if (output.contributors.length === 0) return `No non-merge commits touch ${where}.`;
    return [
      `Contributors to ${where} (${output.totalCommits} non-merge commits):`,
      ...output.contributors.map(
        (c) => `- ${c.name} <${c.email}>: ${c.commits} commits (${c.firstDate.slice(0, 10)} … ${c.lastDate.slice(0, 10)})`,
      ),
    ].join('\n');
  },
});
