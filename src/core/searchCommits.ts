import { formatIsoWithOffset } from '../history/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { ParsedQuery, SearchOrder } from '../shared/queryLanguage.js';
import { githubPage } from '../sources/index.js';
import { grepTerms, type HistoryCommitRow, messageTerms, type RepoRecord } from '../store/index.js';
import type { RequestContext } from './context.js';
import { interleaveByDate } from './historyOrder.js';
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
  /** Relevance of the message to the query's words (higher is better); 0 when ordered by date. */
  score: number;
}

/** Commits read per repository when a condition the store cannot check (a phrase, OR, a -term) filters them after. */
const FILTERED_WINDOW = 5000;
/** Matching commits read per repository and ranked (the newest ones), when ordered by relevance. */
const RELEVANCE_WINDOW = 1000;
/** BM25 over the message: a subject word counts this many times a body word. */
const SUBJECT_WEIGHT = 3;
const BM25_K1 = 1.2;
const BM25_B = 0.75;

/**
 * BM25F-like scores of messages for the query terms: subject occurrences weighted above body ones, saturated,
 * normalized by message length against the average of the candidates; inverse document frequency over the
 * candidates (all hold every grep term, so it only separates OR alternatives and repeated words).
 */
export function rankMessages(messages: { subject: string; body: string }[], queryTerms: string[]): number[] {
  const wanted = [...new Set(queryTerms)];
  if (wanted.length === 0 || messages.length === 0) return messages.map(() => 0);
  const docs = messages.map((m) => {
    const [subject = [], body = []] = messageTerms([m.subject, m.body]);
    const tf = new Map<string, number>();
    for (const t of subject) tf.set(t, (tf.get(t) ?? 0) + SUBJECT_WEIGHT);
    for (const t of body) tf.set(t, (tf.get(t) ?? 0) + 1);
    return { tf, length: subject.length * SUBJECT_WEIGHT + body.length };
  });
  const average = docs.reduce((n, d) => n + d.length, 0) / docs.length || 1;
  const idf = new Map(
    wanted.map((t) => {
      const df = docs.filter((d) => d.tf.has(t)).length;
      return [t, Math.log(1 + (docs.length - df + 0.5) / (df + 0.5))];
    }),
  );
  return docs.map((d) => {
    let score = 0;
    for (const t of wanted) {
      const f = d.tf.get(t) ?? 0;
      if (f === 0) continue;
      score += ((idf.get(t) ?? 0) * (f * (BM25_K1 + 1))) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * d.length) / average));
    }
    return Math.round(score * 1000) / 1000;
  });
}

/**
 * `type:commit`: commit messages and authors over the stored history of each repository. The words and the
 * phrases' words go to the store's full-text grep (all must match); phrases in order, OR groups, -terms and
 * `case:yes` are then checked on the message. Ranked by relevance (BM25 over subject and body, the subject
 * weighted above) among each repository's newest matches, ties newest first; newest first when the query has no
 * words (author only) or with `order:newest`, oldest first with `order:oldest`: in `git log`'s order (or its
 * reverse), repositories interleaved by date.
 */
export async function searchCommits(
  ctx: RequestContext,
  plan: SearchPlan,
  parsed: ParsedQuery,
  repos: RepoRecord[],
  options: { order?: SearchOrder; since?: number | null; until?: number | null } = {},
): Promise<CommitHit[]> {
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
  const rankTerms = grepTerms(plan.text) ?? [];
  const order = rankTerms.length === 0 && !parsed.order ? 'newest' : (options.order ?? parsed.order?.value ?? 'relevance');
  const window = matches ? FILTERED_WINDOW : order === 'relevance' ? Math.max(plan.limit, RELEVANCE_WINDOW) : plan.limit;
  const found: { repo: RepoRecord; commit: HistoryCommitRow; score: number }[] = [];
  for (const repo of withHistory) {
    ctx.signal.throwIfAborted();
    const { commits } = await app.store.history.timeline({
      repoId: repo.id,
      grep: grep.trim() || undefined,
      author: parsed.author?.value,
      since: options.since,
      until: options.until,
      merges: 'exclude',
      order: order === 'oldest' ? 'oldest' : 'newest',
      limit: window,
    });
    const kept = commits.filter((c) => !matches || matches(c.body ? `${c.subject}\n\n${c.body}` : c.subject));
    const scores = order === 'relevance' ? rankMessages(kept, rankTerms) : kept.map(() => 0);
    for (const [i, commit] of kept.entries()) found.push({ repo, commit, score: scores[i] ?? 0 });
  }
  let chosen: typeof found;
  if (order === 'relevance') {
    found.sort((a, b) => b.score - a.score || b.commit.authorTime - a.commit.authorTime || a.commit.hash.localeCompare(b.commit.hash));
    chosen = found.slice(0, plan.limit);
  } else chosen = interleaveByDate(found, (f) => f.commit.authorTime, order, plan.limit);
  return chosen.map(({ repo, commit, score }) => {
    const page = githubPage(repo, app.config.githubApiUrl);
    return {
      repo: repo.name,
      hash: commit.hash,
      date: formatIsoWithOffset(commit.authorTime, commit.authorTz),
      author: commit.authorName,
      email: commit.authorEmail,
      subject: commit.subject,
      url: page ? `${page.replace(/\/$/, '')}/commit/${commit.hash}` : null,
      score,
    };
  });
}
