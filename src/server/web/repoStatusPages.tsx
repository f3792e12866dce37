import type { Context } from 'hono';
import { type ActivityWindow, recentActivity } from '../../core/activity.js';
import type { RequestContext } from '../../core/context.js';
import { indexStatus, type RepoIndexStatus } from '../../core/indexStatus.js';
import { resolveRepo, visibleRepos } from '../../core/repoGate.js';
import type { RepoOverview } from '../../core/repoOverview.js';
import { isAdmin } from '../../core/roles.js';
import { listTree, repoGithubUrl, type TreeListing } from '../../core/tree.js';
import { ERROR_CODES, toGitloreError } from '../../shared/errors.js';
import type { RouteDeps } from '../routes/deps.js';
import { runTool } from '../routes/toolRoute.js';
import { OverviewPage } from './overviewPage.js';
import { loadReadme } from './readme.js';
import { StatusPage } from './statusPage.js';
import { type PageKit, sendPage } from './webRoutes.js';

/**
 * Whether the caller may start a sync from the status page (the Sync buttons): admins (the local operator on a
 * loopback host is one) when the server runs a job queue. POST /api/sync checks the same role itself.
 */
export function maySync(deps: RouteDeps, ctx: RequestContext): boolean {
  return deps.jobs !== null && isAdmin(ctx);
}

/** The root folder, or null before the first sync (the overview still shows the sync state). */
async function rootTree(repo: string, ctx: RequestContext): Promise<TreeListing | null> {
  try {
    return await listTree({ repo, path: '' }, ctx);
  } catch (error) {
    if (toGitloreError(error).code === ERROR_CODES.NOT_SYNCED) return null;
    throw error;
  }
}

/** `/r/:repo` (the repository overview) and `/status` (sync, index and jobs of every visible repository). */
export function registerRepoStatusPages({ http, deps, assets, ctx, page }: PageKit): void {
  http.get(
    '/r/:repo',
    page(async (c: Context) => {
      const context = ctx(c);
      const repo = await resolveRepo(context, c.req.param('repo') as string);
      const overview = (await runTool(deps, c, 'get_repo_overview', { repo: repo.name })) as RepoOverview;
      const synced = overview.headCommit !== null;
      const [tree, githubUrl] = await Promise.all([rootTree(repo.name, context), repoGithubUrl({ repo: repo.name }, context)]);
      const readme = tree ? await loadReadme(tree, context) : null;
      let contributors: { name: string; commits: number }[] = [];
      let totalCommits = 0;
      let activity: ActivityWindow = { weeks: [], total: 0, max: 0 };
      if (synced) {
        // Sequential: the overview above already brought the history store up to date.
        const people = (await runTool(deps, c, 'get_contributors', { repo: repo.name, limit: 10 })) as {
          totalCommits: number;
          contributors: { name: string; commits: number }[];
        };
        contributors = people.contributors;
        totalCommits = people.totalCommits;
        activity = await recentActivity({ repo: repo.name }, context);
      }
      return sendPage(
        c,
        <OverviewPage
          assets={assets}
          overview={overview}
          syncError={repo.syncError}
          lastSyncDurationMs={repo.lastSyncDurationMs}
          index={overview.index as RepoIndexStatus | null}
          tree={tree}
          readme={readme}
          contributors={contributors}
          totalCommits={totalCommits}
          activity={activity}
          githubUrl={githubUrl}
        />,
      );
    }),
  );

  http.get(
    '/status',
    page(async (c: Context) => {
      const context = ctx(c);
      // The same calls as GET /api/sync/status and GET /api/index/status.
      const [repos, index, jobs] = await Promise.all([visibleRepos(context), indexStatus({}, context), deps.jobs?.status() ?? null]);
      const byName = new Map(index.repos.map((r) => [r.repo, r]));
      const rows = repos
        .map((r) => ({
          name: r.name,
          syncStatus: r.syncStatus,
          lastSyncAt: r.lastSyncAt,
          lastSyncDurationMs: r.lastSyncDurationMs,
          headCommit: r.headCommit,
          syncError: r.syncError,
          index: byName.get(r.name) ?? null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return sendPage(c, <StatusPage assets={assets} repos={rows} jobs={jobs} canSync={maySync(deps, context)} />);
    }),
  );
}
