import type { Context } from 'hono';
import { type CommitDiff, commitDiff } from '../../core/commitDiff.js';
import type { CommitDetail, Timeline } from '../../core/history.js';
import { pathKindAtHead } from '../../core/pathKind.js';
import { resolveRepo } from '../../core/repoGate.js';
import { repoGithubUrl } from '../../core/tree.js';
import { toGitloreError } from '../../shared/errors.js';
import { redact } from '../../shared/redact.js';
import { runTool } from '../routes/toolRoute.js';
import { CommitPage } from './commitPage.js';
import { CommitsPage, DEFAULT_PAGE_SIZE, type TimelineFilters } from './commitsPage.js';
import { type PageKit, sendPage } from './webRoutes.js';

/** Error codes that mean "the filters are wrong": shown above the list with the form kept, not as an error page. */
const FILTER_ERRORS = new Set(['QUERY_INVALID', 'PATH_INVALID', 'USAGE']);

function filtersOf(c: Context): TimelineFilters {
  const get = (key: string) => (c.req.query(key) ?? '').trim().slice(0, 500);
  return { path: get('path'), author: get('author'), since: get('since'), until: get('until'), grep: get('grep') };
}

/** A whole number from the query in min..max, else the fallback. */
function intParam(c: Context, key: string, fallback: number, min: number, max: number): number {
  const n = Number(c.req.query(key));
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/** `/r/:repo/commits` (the timeline with filters) and `/r/:repo/commit/:hash` (one commit with its diff). */
export function registerHistoryPages({ http, deps, assets, ctx, page }: PageKit): void {
  http.get(
    '/r/:repo/commits',
    page(async (c) => {
      const repo = await resolveRepo(ctx(c), c.req.param('repo') as string);
      const filters = filtersOf(c);
      const limit = intParam(c, 'limit', DEFAULT_PAGE_SIZE, 1, 100);
      const offset = intParam(c, 'offset', 0, 0, 10_000_000);
      let error: { message: string; hint?: string } | null = null;
      const fail = (thrown: unknown) => {
        const e = toGitloreError(thrown);
        if (!FILTER_ERRORS.has(e.code)) throw thrown;
        error = { message: redact(e.message), hint: e.hint && redact(e.hint) };
        return null;
      };
      const pathKind = filters.path ? await pathKindAtHead({ repo: repo.name, path: filters.path }, ctx(c)).catch(fail) : null;
      // A file's history follows it across renames, as `git log --follow` does; a folder's is every commit under it.
      const followed = pathKind === 'file';
      const input: Record<string, unknown> = { repo: repo.name, limit, offset, files: true };
      for (const key of ['path', 'author', 'since', 'until', 'grep'] as const) if (filters[key]) input[key] = filters[key];
      if (followed) input.follow = true;
      const timeline = error ? null : ((await runTool(deps, c, 'get_commit_timeline', input).catch(fail)) as Timeline | null);
      return sendPage(
        c,
        <CommitsPage
          assets={assets}
          repo={repo.name}
          filters={filters}
          pathKind={pathKind}
          followed={followed}
          offset={offset}
          limit={limit}
          timeline={timeline}
          error={error}
          now={Date.now()}
        />,
        error ? 400 : 200,
      );
    }),
  );

  http.get(
    '/r/:repo/commit/:hash',
    page(async (c) => {
      const commit = (await runTool(deps, c, 'get_commit', {
        repo: c.req.param('repo') as string,
        hash: (c.req.param('hash') as string).slice(0, 40),
      })) as CommitDetail;
      let diff: CommitDiff | null = null;
      let diffError: string | null = null;
      try {
        diff = await commitDiff({ repo: commit.repo, hash: commit.hash }, ctx(c));
      } catch (thrown) {
        const e = toGitloreError(thrown);
        if (e.code === 'INTERNAL' || e.code === 'ABORTED') throw thrown;
        diffError = redact([e.message, e.hint].filter(Boolean).join(' '));
      }
      const githubUrl = await repoGithubUrl({ repo: commit.repo }, ctx(c));
      return sendPage(
        c,
        <CommitPage assets={assets} commit={commit} diff={diff} diffError={diffError} githubUrl={githubUrl} now={Date.now()} />,
      );
    }),
  );
}
