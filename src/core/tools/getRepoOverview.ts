import { z } from 'zod';
import { indexStatus } from '../indexStatus.js';
import { type IndexStateLookup, repoOverview } from '../repoOverview.js';
import { defineTool } from './types.js';

/** The indexer's view of this repository (commit indexed, counts, state), or null before the first index. */
const indexState: IndexStateLookup = async (ctx, repo) => {
  ctx.signal.throwIfAborted();
  const status = await indexStatus({}, ctx);
  const entry = status.repos.find((r) => r.repo === repo.name);
  return entry ? { ...entry } : null;
};

export const getRepoOverviewTool = defineTool({
  name: 'get_repo_overview',
  title: 'Repository overview',
  description:
    'One repository at a glance: languages by bytes, size, the README first paragraph, top contributors, the 10 most recent commits and the index state. Start here before searching an unfamiliar repository.',
  inputSchema: {
    repo: z.string().min(1).max(200).describe('repository name as shown by list_repos'),
  },
  outputSchema: {
    name: z.string(),
    fullName: z.string(),
    description: z.string().nullable(),
    url: z.string().nullable(),
    defaultBranch: z.string().nullable(),
    headCommit: z.string().nullable(),
    lastSyncAt: z.string().nullable(),
    syncStatus: z.string(),
    languages: z.array(z.object({ language: z.string(), bytes: z.number(), files: z.number(), share: z.number() })),
    size: z.object({ files: z.number(), bytes: z.number() }),
    readmeSummary: z.string().nullable(),
    topContributors: z.array(z.object({ name: z.string(), email: z.string(), commits: z.number() })),
    recentCommits: z.array(z.object({ hash: z.string(), date: z.string(), author: z.string(), subject: z.string() })),
    index: z.record(z.string(), z.unknown()).nullable(),
  },
  async execute(input, ctx) {
    return repoOverview(input, ctx, { indexState });
  },
  toText(o) {
    const kb = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
    const lines = [
      `# ${o.name}${o.description ? ` — ${o.description}` : ''}`,
      `branch ${o.defaultBranch ?? '?'} at ${o.headCommit?.slice(0, 12) ?? 'not synced'}; ${o.size.files} files, ${kb(o.size.bytes)}; last sync ${o.lastSyncAt ?? 'never'} (${o.syncStatus})`,
      `languages: ${o.languages.map((l) => `${l.language} ${Math.round(l.share * 100)}%`).join(', ') || 'none detected'}`,
    ];
    if (o.readmeSummary) lines.push(`README: ${o.readmeSummary}`);
    if (o.topContributors.length) lines.push(`top contributors: ${o.topContributors.map((c) => `${c.name} (${c.commits})`).join(', ')}`);
    if (o.recentCommits.length) {
      lines.push(
        'recent commits:',
        ...o.recentCommits.map((c) => `- ${c.hash.slice(0, 10)} ${c.date.slice(0, 10)} ${c.author}: ${c.subject}`),
      );
    }
    lines.push(`index: ${o.index ? JSON.stringify(o.index) : 'not indexed yet'}`);
    return lines.join('\n');
  },
});
