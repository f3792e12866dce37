import { z } from 'zod';
import { commitTimeline, MAX_TIMELINE_LIMIT } from '../history.js';
import { defineTool } from './types.js';

const fileShape = z.object({ status: z.string(), path: z.string(), oldPath: z.string().optional() });

export const timelineCommitShape = z.object({
  hash: z.string(),
  date: z.string().describe("ISO 8601 author date with the author's UTC offset"),
  author: z.string(),
  email: z.string(),
  subject: z.string(),
  files: z.array(fileShape).optional(),
});

export const historySemanticsShape = z
  .enum(['default-simplification', 'full-history', 'follow-renames', 'all-commits'])
  .describe(
    "which commits a path's history holds: git log -- path (default-simplification), git log --full-history -- path, --follow, or every commit (no path)",
  );

export const getCommitTimelineTool = defineTool({
  name: 'get_commit_timeline',
  title: 'Commit timeline',
  description:
    'Lists commits of one repository (its default branch), newest first, like `git log`: filter by path (file or folder), author (substring of name or email), since/until (author date, e.g. 2024-05-01 or 2024-05), grep (words in the message), include merges, oldest first, only root commits (roots: true with order oldest answers "first commit"). A path\'s history follows git\'s default simplification (`git log -- path`) unless fullHistory is true (`--full-history`: also side-branch commits whose change a merge did not keep); `semantics` says which was used. `total` counts every match; `limit` pages. Use for "who changed X", "what changed in Y last month", "when was Z introduced" (order oldest); for "who last changed X" pass merges: true and limit 1 (as `git log -1 -- X`: a merge that changed X against both parents counts).',
  inputSchema: {
    repo: z.string().min(1).describe('repository name as listed by list_repos'),
    path: z.string().optional().describe('file or folder path relative to the repo root'),
    author: z.string().optional().describe('substring of the author name or email, case-insensitive'),
    since: z.string().optional().describe('author date lower bound: 2024-05-01, 2024-05, or "3 weeks ago"'),
    until: z.string().optional().describe('author date upper bound (a bare date includes that whole day)'),
    grep: z.string().optional().describe('words that must all appear in the commit message'),
    order: z.enum(['newest', 'oldest']).optional().describe('newest first (default) or oldest first'),
    merges: z.boolean().optional().describe('include merge commits (default false)'),
    fullHistory: z
      .boolean()
      .optional()
      .describe("with a path: every commit that changed it (git log --full-history), not git's default simplification"),
    roots: z.boolean().optional().describe('only root commits (the first commit(s) of the repo), by author date'),
    follow: z.boolean().optional().describe('with a file path: follow it across renames'),
    files: z.boolean().optional().describe('list each commit’s changed files'),
    limit: z.number().int().min(1).max(MAX_TIMELINE_LIMIT).optional().describe('commits to return (default 50)'),
    offset: z.number().int().min(0).optional().describe('commits to skip, for paging'),
  },
  outputSchema: {
    total: z.number().int(),
    commits: z.array(timelineCommitShape),
    semantics: historySemanticsShape,
    semanticsNote: z.string().optional().describe('set when the answer only approximates `semantics`'),
  },
  async execute(input, ctx) {
    return commitTimeline(input, ctx);
  },
  toText(output) {
    const how = `${output.semantics}${output.semanticsNote ? `, ${output.semanticsNote}` : ''}`;
    if (output.commits.length === 0) return `No matching commits (total ${output.total}; ${how}).`;
    const lines = [
      `${output.total} matching commits${output.total > output.commits.length ? `, showing ${output.commits.length}` : ''} (${how}):`,
    ];
    for (const c of output.commits) {
      lines.push(`${c.hash.slice(0, 10)} ${c.date} ${c.author} <${c.email}> ${c.subject}`);
      for (const f of c.files ?? []) lines.push(`    ${f.status} ${f.oldPath ? `${f.oldPath} -> ` : ''}${f.path}`);
    }
    return lines.join('\n');
  },
});
