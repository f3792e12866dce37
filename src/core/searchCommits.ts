import { formatIsoWithOffset } from '../history/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { ParsedQuery } from '../shared/queryLanguage.js';
import { githubPage } from '../sources/index.js';
import type { HistoryCommitRow, RepoRecord } from '../store/index.js';
import type { RequestContext } from './context.js';
import type { SearchPlan } from './searchPlan.js';

/** One commit a `type:commit` search found. */
export interface CommitHit {
  repo: string;
  hash: string;
  /** ISO 8601 author date with the author's offset. */
  date: string;
  author: string;
  email: string;
  subject: string;
  url: string | null;
}

/** Commits read per repository when a condition the store cannot check (a phrase, OR, a -term) filters them after. */
const FILTERED_WINDOW = 5000;

/**
 * `type:commit`: commit messages and authors over the stored history of each repository, newest
 * first. The words and the phrases' words go to the store's full-text grep (all must match);
 * phrases in order, OR groups, -terms and `case:yes` are then checked on the message.
 */
export async function searchCommits(ctx: RequestContext, plan: SearchPlan, parsed: ParsedQuery, repos: RepoRecord[]): Promise<CommitHit[]> {
  const app = ctx.services;
  const states = await Promise.all(repos.map((r) => app.store.history.getState(r.id)));
  const withHistory = repos.filter((_, i) => states[i] !== null);
  if (withHistory.length === 0) {
    throw new GitloreError(ERROR_CODES.NOT_INDEXED, 'No commit history is stored for the searched repositories yet.', {
      hint: 'Run `gitlore index` (it stores the history too), or `gitlore log --repo NAME` for one repository.',
    });
  }
  const grep = [...parsed.words, ...parsed.phrases].map((t) => t.value).join(' ');
  const matches = plan.refine.text ?? null;
  const found: { repo: RepoRecord; commit: HistoryCommitRow }[] = [];
  for (const repo of withHistory) {
    ctx.signal.throwIfAborted();
    const { commits } = await app.store.history.timeline({
      repoId: repo.id,
      grep: grep.trim() || undefined,
      author: parsed.author?.value,
      merges: 'exclude',
      order: 'newest',
      limit: matches ? FILTERED_WINDOW : plan.limit,
    });
    for (const commit of commits) {
      if (!matches || matches(commit.body ? `${commit.subject}\n\n${commit.body}` : commit.subject)) found.push({ repo, commit });
    }
  }
  found.sort((a, b) => b.commit.authorTime - a.commit.authorTime || a.commit.hash.localeCompare(b.commit.hash));
  return found.slice(0, plan.limit).map(({ repo, commit }) => {
    const page = githubPage(repo, app.config.githubApiUrl);
    return {
      repo: repo.name,
      hash: commit.hash,
      date: formatIsoWithOffset(commit.authorTime, commit.authorTz),
      author: commit.authorName,
      email: commit.authorEmail,
      subject: commit.subject,
      url: page ? `${page.replace(/\/$/, '')}/commit/${commit.hash}` : null,
    };
  });
}
