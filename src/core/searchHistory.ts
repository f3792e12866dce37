import { parseDateBound } from '../history/index.js';
import { validateLimit, validateQueryText } from '../search/engine.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { type ParsedQuery, parseQuery, type SearchOrder, type TextPattern } from '../shared/queryLanguage.js';
import type { RequestContext } from './context.js';
import { type CommitHit, searchCommits } from './searchCommits.js';
import { type DiffHit, type DiffSearchAnswer, searchDiffs } from './searchDiffs.js';
import { planSearch } from './searchPlan.js';
import { scopeRepos } from './searchRepos.js';

/** The arguments of the search_commits and search_diffs tools: a query in the query language, and the same filters as arguments. */
export interface HistorySearchParams {
  query: string;
  repos?: string[];
  author?: string;
  /** Author date bounds: `2024-01-31`, `2024`, `3 months ago`. */
  since?: string;
  until?: string;
  /** search_diffs: a path glob or folder prefix the changed file must match. */
  path?: string;
  /** search_diffs: the query's words must be in added lines, removed lines, or either (default). */
  side?: 'added' | 'removed' | 'any';
  order?: SearchOrder;
  limit?: number;
}

export interface CommitSearchResult {
  query: string;
  tookMs: number;
  commits: CommitHit[];
}

export interface DiffSearchResult extends DiffSearchAnswer {
  query: string;
  tookMs: number;
}

/** The query with the arguments applied over it (an argument and a filter of the same kind must both hold). */
function readHistoryQuery(params: HistorySearchParams, type: 'commit' | 'diff'): ParsedQuery {
  // search_commits may list an author's commits with no words.
  if (params.query.trim() !== '' || !params.author) validateQueryText(params.query);
  validateLimit(params.limit);
  const parsed = parseQuery(params.query);
  if (parsed.type && parsed.type.value !== type) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `This tool searches type:${type}; the query asks for type:${parsed.type.value}.`, {
      hint:
        type === 'diff'
          ? 'Use search_commits for messages, search_code for code.'
          : 'Use search_diffs for changed lines, search_code for code.',
    });
  }
  const out: ParsedQuery = { ...parsed, type: { value: type, column: 1 } };
  if (params.author) out.author = { value: params.author, column: 1 };
  if (params.path) out.files = { ...out.files, include: [...out.files.include, { kind: 'glob', value: params.path, column: 1 }] };
  if (type === 'diff' && params.side && params.side !== 'any') {
    const moved: TextPattern[] = [...out.words, ...out.phrases];
    out.words = [];
    out.phrases = [];
    if (params.side === 'added') out.added = [...out.added, ...moved];
    else out.removed = [...out.removed, ...moved];
  }
  return out;
}

function dateBounds(params: HistorySearchParams): { since: number | null; until: number | null } {
  const bound = (value: string | undefined, which: 'since' | 'until') => {
    if (!value) return null;
    try {
      return parseDateBound(value, which);
    } catch (error) {
      throw new GitloreError(ERROR_CODES.QUERY_INVALID, `${which} ${JSON.stringify(value)} is not a date.`, {
        hint: (error as GitloreError).hint ?? 'Write 2024-01-31, 2024, or "3 months ago".',
      });
    }
  };
  return { since: bound(params.since, 'since'), until: bound(params.until, 'until') };
}

/** The tool's query read as `type:<kind>`, planned, and the repositories it searches (through the repository gate). */
async function planHistorySearch(params: HistorySearchParams, kind: 'commit' | 'diff', ctx: RequestContext) {
  ctx.signal.throwIfAborted();
  const parsed = readHistoryQuery(params, kind);
  const plan = planSearch({ query: params.query, limit: params.limit }, parsed);
  const scope = await scopeRepos(ctx, params.query, params.repos, parsed.repos);
  return { parsed, plan, repos: scope.searched ?? scope.visible };
}

/** search_commits: commit messages and authors, ranked (see searchCommits). */
export async function searchCommitMessages(params: HistorySearchParams, ctx: RequestContext): Promise<CommitSearchResult> {
  const started = performance.now();
  const { parsed, plan, repos } = await planHistorySearch(params, 'commit', ctx);
  const commits = await searchCommits(ctx, plan, parsed, repos, { order: params.order, ...dateBounds(params) });
  return { query: params.query, tookMs: Math.round(performance.now() - started), commits };
}

/** search_diffs: added and removed lines (see searchDiffs). */
export async function searchChangedLines(params: HistorySearchParams, ctx: RequestContext): Promise<DiffSearchResult> {
  const started = performance.now();
  const { parsed, plan, repos } = await planHistorySearch(params, 'diff', ctx);
  const answer = await searchDiffs(ctx, plan, parsed, repos, { order: params.order, ...dateBounds(params) });
  return { query: params.query, tookMs: Math.round(performance.now() - started), ...answer };
}

export type { CommitHit, DiffHit };
