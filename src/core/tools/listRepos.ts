import { z } from 'zod';
import { visibleRepos } from '../repoGate.js';
import { defineTool } from './types.js';

const repoShape = z.object({
  name: z.string(),
  fullName: z.string(),
  description: z.string().nullable(),
  language: z.string().nullable(),
  defaultBranch: z.string().nullable(),
  url: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  syncStatus: z.string(),
  headCommit: z.string().nullable(),
});

export const listReposTool = defineTool({
  name: 'list_repos',
  title: 'List repositories',
  description:
    'Lists the repositories gitlore knows (name, description, main language, default branch, last sync). Optional `query` filters by a case-insensitive substring of the name or description. Use the `name` values as `repo` arguments of the other tools.',
  inputSchema: {
    query: z.string().max(200).optional().describe('substring of the name or description to filter by'),
  },
  outputSchema: {
    total: z.number().int(),
    repos: z.array(repoShape),
  },
  async execute(input, ctx) {
    ctx.signal.throwIfAborted();
    const needle = input.query?.trim().toLowerCase();
    const repos = (await visibleRepos(ctx))
      .filter((r) => !needle || r.name.toLowerCase().includes(needle) || (r.description ?? '').toLowerCase().includes(needle))
      .map((r) => ({
        name: r.name,
        fullName: r.fullName,
        description: r.description,
        language: r.language,
        defaultBranch: r.defaultBranch,
        url: r.htmlUrl,
        lastSyncAt: r.lastSyncAt,
        syncStatus: r.syncStatus,
        headCommit: r.headCommit,
      }));
    return { total: repos.length, repos };
  },
  toText(output) {
    if (output.repos.length === 0)
      return 'No repositories. Add one with `gitlore repo add` or configure GITHUB_ORG, then run `gitlore sync`.';
    return [
      `${output.total} repositories:`,
      ...output.repos.map(
        (r) =>
          `- ${r.name}${r.language ? ` [${r.language}]` : ''}${r.description ? ` — ${r.description}` : ''} (branch ${r.defaultBranch ?? '?'}, last sync ${r.lastSyncAt ?? 'never'})`,
      ),
    ].join('\n');
  },
});
