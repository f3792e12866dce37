import { DIFF_FORMAT_VERSION, DIFF_TOKENS, formatIsoWithOffset } from '../history/index.js';
import { codeTokens, wholeTokens } from '../shared/codeTokens.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { ParsedQuery, SearchOrder, TextPattern } from '../shared/queryLanguage.js';
import { githubPage } from '../sources/index.js';
import type { DiffLineRow, DiffSearchQuery, DiffSearchRow, DiffTerm, RepoRecord } from '../store/index.js';
import type { RequestContext } from './context.js';
import { interleaveByDate } from './historyOrder.js';
import type { CommitHit } from './searchCommits.js';
import type { SearchPlan } from './searchPlan.js';

/** One commit a `type:diff` search found, with the changed lines that matched. */
export interface DiffHit extends CommitHit {
  /** The matching file changes: path, and the matching lines among those kept (`+` added, `-` removed). */
  files: { path: string; lines: DiffLineRow[] }[];
}

export interface DiffSearchAnswer {
  diffs: DiffHit[];
  /** Repositories whose diff index is not complete (commits not indexed yet): their older matches may be missing. */
  incomplete: { repo: string; pendingCommits: number }[];
}

/** Matching commits read per repository and ranked, newest first, when ordered by relevance. */
const RELEVANCE_WINDOW = 300;
/** Read instead when a path or line condition filters the store's answer after. */
const FILTERED_WINDOW = 2000;
/** Matching lines shown per file change. */
const LINES_PER_FILE = 8;

/** Tokens a term asks for: the whole words of the text (`retryPolicy` → retrypolicy). */
const termsOf = (patterns: readonly TextPattern[], side: DiffTerm['side']): DiffTerm[] =>
  patterns.flatMap((p) => wholeTokens(p.value).map((term) => ({ term, side })));

/** The store's term conditions for a parsed `type:diff` query. */
export function diffTerms(parsed: ParsedQuery): Pick<DiffSearchQuery, 'all' | 'anyOf' | 'none'> {
  const all = [
    ...termsOf([...parsed.words, ...parsed.phrases], 'any'),
    ...termsOf(parsed.added, 'added'),
    ...termsOf(parsed.removed, 'removed'),
  ];
  const anyOf = parsed.anyOf.map((group) => group.flatMap((p) => termsOf([p], 'any').slice(0, 1))).filter((group) => group.length > 0);
  const none = parsed.exclude.filter((t) => t.kind === 'word').flatMap((t) => wholeTokens(t.value));
  return { all, anyOf, none };
}

/** Whether a line holds a term on its side. */
function lineHolds(line: DiffLineRow, tokens: Set<string>, term: DiffTerm): boolean {
  if (term.side === 'added' && line.kind !== '+') return false;
  if (term.side === 'removed' && line.kind !== '-') return false;
  return tokens.has(term.term);
}

/**
 * A commit's relevance: for each query term, the log of how many kept lines hold it (a commit that adds a call
 * three times ranks above one that mentions it once), plus one when the subject names it.
 */
function scoreCommit(row: DiffSearchRow, terms: DiffTerm[]): { score: number; files: DiffHit['files'] } {
  const hits = new Map<string, number>();
  const files = row.files.map((file) => {
    const shown: DiffLineRow[] = [];
    for (const line of file.lines) {
      const tokens = new Set(codeTokens(line.text, Number.POSITIVE_INFINITY, DIFF_TOKENS));
      let matched = false;
      for (const term of terms) {
        if (!lineHolds(line, tokens, term)) continue;
        matched = true;
        hits.set(term.term, (hits.get(term.term) ?? 0) + 1);
      }
      if (matched && shown.length < LINES_PER_FILE) shown.push(line);
    }
    return { path: file.path, lines: shown };
  });
  const subject = new Set(codeTokens(row.commit.subject, Number.POSITIVE_INFINITY, DIFF_TOKENS));
  let score = 0;
  for (const term of new Set(terms.map((t) => t.term))) {
    score += Math.log1p(hits.get(term) ?? 0) + (subject.has(term) ? 1 : 0);
  }
  return { score: Math.round(score * 1000) / 1000, files };
}

/**
 * `type:diff`: commits whose changes (against their first parent) add or remove lines holding the query's words,
 * from the diff index of each repository. Ranked by relevance among the newest matches (ties newest first), or
 * with `order:newest` / `order:oldest` in `git log`'s order (or its reverse), repositories interleaved by date
 * (`order:oldest` answers "when did we start calling X").
 */
export async function searchDiffs(
  ctx: RequestContext,
  plan: SearchPlan,
  parsed: ParsedQuery,
  repos: RepoRecord[],
  options: { order?: SearchOrder; since?: number | null; until?: number | null } = {},
): Promise<DiffSearchAnswer> {
  const app = ctx.services;
  const order = options.order ?? parsed.order?.value ?? 'relevance';
  const states = await Promise.all(repos.map((r) => app.store.history.getState(r.id)));
  const withHistory = repos.filter((_, i) => states[i] !== null);
  if (withHistory.length === 0) {
    throw new GitloreError(ERROR_CODES.NOT_INDEXED, 'No commit history is stored for the searched repositories yet.', {
      hint: 'Run `gitlore index` (it stores the history and its diff index too).',
    });
  }
  const terms = diffTerms(parsed);
  const positive = [...terms.all, ...terms.anyOf.flat()];
  const filtered = plan.refine.path !== undefined || plan.refine.text !== undefined;
  const window = order === 'relevance' || filtered ? Math.max(plan.limit, filtered ? FILTERED_WINDOW : RELEVANCE_WINDOW) : plan.limit;
  const found: { repo: RepoRecord; hit: DiffHit; seq: number; time: number }[] = [];
  const incomplete: DiffSearchAnswer['incomplete'] = [];
  for (const repo of withHistory) {
    ctx.signal.throwIfAborted();
    const stats = await app.store.history.diffStats(repo.id, DIFF_FORMAT_VERSION);
    if (stats.pending > 0) incomplete.push({ repo: repo.name, pendingCommits: stats.pending });
    const rows = await app.store.history.searchDiffs({
      repoId: repo.id,
      ...terms,
      author: parsed.author?.value,
      since: options.since,
      until: options.until,
      order: order === 'oldest' ? 'oldest' : 'newest',
      limit: window,
    });
    const page = githubPage(repo, app.config.githubApiUrl);
    for (const row of rows) {
      const files = row.files.filter(
        (f) =>
          (!plan.refine.path || plan.refine.path(f.path)) && (!plan.refine.text || plan.refine.text(f.lines.map((l) => l.text).join('\n'))),
      );
      if (files.length === 0) continue;
      const scored = scoreCommit({ ...row, files }, positive);
      const c = row.commit;
      found.push({
        repo,
        seq: c.seq,
        time: c.authorTime,
        hit: {
          repo: repo.name,
          hash: c.hash,
          date: formatIsoWithOffset(c.authorTime, c.authorTz),
          author: c.authorName,
          email: c.authorEmail,
          subject: c.subject,
          url: page ? `${page.replace(/\/$/, '')}/commit/${c.hash}` : null,
          score: order === 'relevance' ? scored.score : 0,
          files: scored.files,
        },
      });
    }
  }
  if (order !== 'relevance') {
    return { diffs: interleaveByDate(found, (f) => f.time, order, plan.limit).map((f) => f.hit), incomplete };
  }
  found.sort((a, b) => b.hit.score - a.hit.score || b.time - a.time || b.seq - a.seq);
  return { diffs: found.slice(0, plan.limit).map((f) => f.hit), incomplete };
}
