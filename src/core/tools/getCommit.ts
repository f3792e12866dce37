import { z } from 'zod';
import { MAX_PATCH_BYTES } from '../../history/index.js';
import { getCommitDetail } from '../history.js';
import { defineTool } from './types.js';

export const getCommitTool = defineTool({
  name: 'get_commit',
  title: 'Commit details',
  description: `One commit of a repository: full message, author and committer with dates, parents, and the files changed with status (A/M/D/R, old path for renames) and added/removed line counts. \`hash\` may be a unique prefix (at least 4 hex digits). With patch: true, also the diff text (\`git show --patch\`, against the first parent for a merge), cut at ${MAX_PATCH_BYTES / 1024} KB with a marker line.`,
  inputSchema: {
    repo: z.string().min(1).describe('repository name as listed by list_repos'),
    hash: z.string().min(4).max(40).describe('commit hash or unique prefix'),
    patch: z
      .boolean()
      .optional()
      .describe(`include the diff text (at most ${MAX_PATCH_BYTES / 1024} KB)`),
  },
  outputSchema: {
    repo: z.string(),
    hash: z.string(),
    parents: z.array(z.string()),
    isMerge: z.boolean(),
    author: z.string(),
    email: z.string(),
    date: z.string(),
    committer: z.string(),
    committerEmail: z.string(),
    committerDate: z.string(),
    subject: z.string(),
    body: z.string(),
    message: z.string(),
    files: z.array(
      z.object({
        path: z.string(),
        status: z.string(),
        oldPath: z.string().optional(),
        added: z.number().int().nullable(),
        removed: z.number().int().nullable(),
      }),
    ),
    stats: z.object({ files: z.number().int(), additions: z.number().int(), deletions: z.number().int() }),
    url: z.string().nullable(),
    patch: z.string().optional().describe('the unified diff, when asked for'),
    patchTruncated: z.boolean().optional().describe('the patch was cut; its last line says so'),
  },
  async execute(input, ctx) {
    return getCommitDetail(input, ctx);
  },
  toText(c) {
    const lines = [
      `commit ${c.hash}${c.isMerge ? ` (merge of ${c.parents.map((p) => p.slice(0, 10)).join(' ')})` : ''}`,
      `Author: ${c.author} <${c.email}>`,
      `Date:   ${c.date}`,
      '',
      ...c.message.split('\n').map((l) => `    ${l}`),
      '',
      `${c.stats.files} files changed, +${c.stats.additions} -${c.stats.deletions}`,
      ...c.files.map((f) => `  ${f.status} ${f.added ?? '-'}\t${f.removed ?? '-'}\t${f.oldPath ? `${f.oldPath} -> ` : ''}${f.path}`),
      ...(c.patch === undefined ? [] : ['', c.patch.replace(/\n$/, '')]),
    ];
    return lines.join('\n');
  },
});
