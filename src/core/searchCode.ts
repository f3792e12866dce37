import {
  DEFAULT_SEARCH_MODE,
  type SearchHit as EngineHit,
  type ExtractedQuery,
  hitUrl,
  languagesFor,
  PER_FILE,
  queryByteLimit,
  SEARCH_GROUPS,
  type SearchGroup,
  type SearchMode,
  type SearchRepo,
  searchWithOutcome,
  validateLimit,
  validateMode,
  validateQueryText,
} from '../search/engine.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { isTestPath } from '../shared/languages.js';
import { asPastedText, isPastedText, type ParsedQuery, parseQuery, phrasesAsWords, plainWords } from '../shared/queryLanguage.js';
import { githubPage } from '../sources/index.js';
import type { IndexRepoState, RepoRecord } from '../store/index.js';
import { type LastChange, type LastChangeStatus, lastChanges, type RangeAt } from './blame.js';
import type { RequestContext } from './context.js';
import { resolveRepo, visibleRepoIds, visibleRepos } from './repoGate.js';
import { type CommitHit, searchCommits } from './searchCommits.js';
import { type DiffHit, type DiffSearchAnswer, searchDiffs } from './searchDiffs.js';
import { planSearch, type SearchPlan } from './searchPlan.js';
import { scopeRepos } from './searchRepos.js';

export type { SearchMode } from '../search/engine.js';
export type { LastChange, LastChangeStatus } from './blame.js';

/** A hit as every door shows it: the engine's, with the last commit that changed its lines. */
export interface SearchHit extends EngineHit {
  /** The newest commit among `git blame`'s attributions of the hit's lines. */
  lastChange?: LastChange;
  /** Present instead of lastChange when it is missing: still being computed (`pending`), or `unavailable`. */
  lastChangeStatus?: LastChangeStatus;
}
export type { CommitHit } from './searchCommits.js';

export interface SearchCodeParams {
  /** Words, or the query language (README "Query syntax"): `repo:api lang:go "retry with" -test`. */
  query: string;
  repos?: string[];
  language?: string;
  path?: string;
  mode?: SearchMode;
  limit?: number;
  /** `file`: one result per file, its best chunks listed (`chunks`); `limit` then counts files. */
  group?: SearchGroup;
  /** Ungrouped: at most this many chunks of one file before the other files' next ones; absent, a softer spread (search/selectHits.ts). */
  perFile?: number;
  /** Milliseconds to wait for the hits' last changes not cached yet; GITLORE_BLAME_BUDGET_MS when absent. */
  lastChangeBudgetMs?: number;
}

/** How the query was read: what ran, after the filters and the flags were combined. */
export interface ParsedEcho {
  type: 'code' | 'commit' | 'diff';
  mode: SearchMode;
  /** What the retrievers ranked by (the pattern, in regex mode; a pasted text's extracted terms). */
  text: string;
  /** A pasted text (an issue, a stack trace): the terms and identifiers read from it, and the files it names. */
  extracted?: ExtractedQuery;
  phrases: string[];
  anyOf: string[][];
  exclude: string[];
  repos: { include: string[]; exclude: string[] };
  /** Indexed language ids searched; null: every language. */
  languages: string[] | null;
  files: { include: string[]; exclude: string[] };
  symbols: string[];
  caseSensitive: boolean;
  limit: number;
}

export interface SearchCodeResult {
  query: string;
  tookMs: number;
  results: SearchHit[];
  /** `type:commit`: the commits found, best match first (`results` is then empty). */
  commits?: CommitHit[];
  /** `type:diff`: the commits whose changed lines match, with those lines (`results` is then empty). */
  diffs?: DiffHit[];
  /** `type:diff`: repositories whose diff index is still being built (older matches may be missing). */
  incomplete?: DiffSearchAnswer['incomplete'];
  parsed: ParsedEcho;
  /** Present (true) only when the results may be incomplete: a regex scan ran out of its time budget. */
  partial?: true;
  /** Why the results are partial, in one line. */
  partialReason?: string;
}

/**
 * The query read and planned. A typed query means its syntax and gets its column errors. Pasted text (an issue, a
 * stack trace) keeps its filters but its quotes, dashes, ORs and slashes are prose: they rank, they do not filter
 * (a quoted line of output would otherwise have to appear verbatim in every hit); what does not parse at all is
 * searched as the plain words it holds.
 */
function readQuery(params: SearchCodeParams, mode: SearchMode): { parsed: ParsedQuery; plan: SearchPlan; pasted: boolean } {
  const pasted = mode !== 'regex' && isPastedText(params.query);
  const options = mode === 'regex' ? { pattern: 'regex' as const } : { pasted };
  const read = (query: string) => {
    const parsed = pasted ? asPastedText(parseQuery(query, options)) : phrasesAsWords(parseQuery(query, options));
    return { parsed, plan: planSearch({ ...params, mode }, parsed), pasted };
  };
  try {
    return read(params.query);
  } catch (error) {
    if ((error as GitloreError).code !== ERROR_CODES.QUERY_INVALID || !pasted) throw error;
    return read(plainWords(params.query));
  }
}

/** `gitlore search`, the search_code tool and GET /api/search. */
export async function searchCode(params: SearchCodeParams, ctx: RequestContext): Promise<SearchCodeResult> {
  const app = ctx.services;
  ctx.signal.throwIfAborted();
  const started = performance.now();
  const mode = params.mode ?? DEFAULT_SEARCH_MODE;
  validateQueryText(params.query, queryByteLimit(params.query, mode));
  validateMode(mode);
  validateLimit(params.limit);
  validateGrouping(params.group, params.perFile);
  if (params.language) languagesFor(params.language);
  const { parsed, plan, pasted } = readQuery(params, mode);
  // Long pasted text is for locating code; commit and diff searches take typed queries.
  if (plan.type !== 'code') validateQueryText(params.query);
  const scope = await scopeRepos(ctx, params.query, params.repos, parsed.repos);
  const answer = (results: SearchHit[], extra: Partial<SearchCodeResult> = {}, extracted?: ExtractedQuery): SearchCodeResult => ({
    query: params.query,
    tookMs: Math.round(performance.now() - started),
    results,
    ...extra,
    parsed: echo(parsed, plan, extracted),
  });
  if (plan.type === 'commit') {
    const commits = await searchCommits(ctx, plan, parsed, scope.searched ?? scope.visible);
    ctx.signal.throwIfAborted();
    return answer([], { commits });
  }
  if (plan.type === 'diff') {
    const { diffs, incomplete } = await searchDiffs(ctx, plan, parsed, scope.searched ?? scope.visible);
    ctx.signal.throwIfAborted();
    return answer([], incomplete.length > 0 ? { diffs, incomplete } : { diffs });
  }
  const states = new Map((await app.store.index.listStates()).map((s) => [s.repoId, s]));
  if (states.size === 0) {
    throw new GitloreError(ERROR_CODES.NOT_INDEXED, 'Nothing is indexed yet.', {
      hint:
        scope.visible.length === 0
          ? 'Run `gitlore repo add <url | path>`, `gitlore sync`, then `gitlore index`.'
          : 'Run `gitlore index` first.',
    });
  }
  requireIndexed(scope.named, states);
  const visible = await visibleRepoIds(ctx);
  const repos: SearchRepo[] = scope.visible.map((r) => ({
    id: r.id,
    name: r.name,
    htmlUrl: githubPage(r, app.config.githubApiUrl),
    commit: states.get(r.id)?.commit ?? states.get(r.id)?.pendingCommit ?? r.headCommit,
  }));
  if (params.group && plan.mode === 'regex') {
    throw new GitloreError(
      ERROR_CODES.QUERY_INVALID,
      'Grouping by file ranks files by their best chunks; a regex search lists matches in file order.',
      {
        hint: 'Drop the file grouping, or search with another mode.',
      },
    );
  }
  const outcome = await searchWithOutcome(
    { store: app.store, embedder: () => app.embedder(), regexScanner: app.regexScanner },
    {
      query: plan.text,
      repos,
      repoIds: scope.searched?.map((r) => r.id) ?? (visible ? [...visible] : undefined),
      languages: plan.languages,
      refine: plan.refine,
      mode: plan.mode,
      limit: plan.limit,
      ...(pasted ? { text: params.query } : {}),
      ...(params.group ? { group: params.group } : {}),
      ...(params.perFile !== undefined ? { perFile: params.perFile } : {}),
      timeBudgetMs: app.config.searchTimeoutMs,
      signal: ctx.signal,
    },
  );
  ctx.signal.throwIfAborted();
  const hits = await withLastChanges(outcome.hits, repos, scope.visible, params.lastChangeBudgetMs ?? app.config.blameBudgetMs, ctx);
  ctx.signal.throwIfAborted();
  return answer(hits, outcome.partialReason ? { partial: true, partialReason: outcome.partialReason } : {}, outcome.extracted);
}

/** QUERY_INVALID for an unknown grouping or a per-file count out of PER_FILE's range. */
function validateGrouping(group: string | undefined, perFile: number | undefined): void {
  if (group !== undefined && !(SEARCH_GROUPS as readonly string[]).includes(group)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Unknown grouping "${group}".`, { hint: `Use ${SEARCH_GROUPS.join(', ')}.` });
  }
  if (perFile !== undefined && (!Number.isInteger(perFile) || perFile < PER_FILE.min || perFile > PER_FILE.max)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid per-file count ${perFile}.`, {
      hint: `Use an integer from ${PER_FILE.min} to ${PER_FILE.max}: how many chunks of one file come before the other files' next ones.`,
    });
  }
}

/** The hits with their last change, or why it is missing; within the budget, so a cold cache never slows search by more. */
async function withLastChanges(
  hits: EngineHit[],
  repos: SearchRepo[],
  records: readonly RepoRecord[],
  budgetMs: number,
  ctx: RequestContext,
): Promise<SearchHit[]> {
  if (hits.length === 0) return hits;
  const byName = new Map(records.map((r) => [r.name, r]));
  const commits = new Map(repos.map((r) => [r.name, r.commit]));
  const ranges: RangeAt[] = [];
  const placed: number[] = [];
  for (const [i, hit] of hits.entries()) {
    const repo = byName.get(hit.repo);
    if (!repo) continue;
    placed.push(i);
    ranges.push({ repo, commit: commits.get(hit.repo) ?? null, path: hit.path, startLine: hit.startLine, endLine: hit.endLine });
  }
  const answers = await lastChanges(ranges, budgetMs, ctx);
  const out: SearchHit[] = hits.map((hit) => ({ ...hit, lastChangeStatus: 'unavailable' as const }));
  for (const [k, i] of placed.entries()) out[i] = { ...(hits[i] as EngineHit), ...answers[k] };
  return out;
}

function echo(parsed: ParsedQuery, plan: SearchPlan, extracted?: ExtractedQuery): ParsedEcho {
  const values = (list: { value: string }[]) => list.map((x) => x.value);
  return {
    type: plan.type,
    mode: plan.mode,
    // A pasted text ranks by what was read from it, not by each of its words.
    text: extracted && extracted.terms.length > 0 ? extracted.terms.join(' ') : plan.text,
    ...(extracted ? { extracted } : {}),
    phrases: values(parsed.phrases),
    anyOf: parsed.anyOf.map(values),
    exclude: values(parsed.exclude),
    repos: { include: values(parsed.repos.include), exclude: values(parsed.repos.exclude) },
    languages: plan.languages ?? null,
    files: { include: values(parsed.files.include), exclude: values(parsed.files.exclude) },
    symbols: values(parsed.symbols),
    caseSensitive: parsed.caseSensitive === true,
    limit: plan.limit,
  };
}

export interface SymbolDefinition {
  repo: string;
  path: string;
  name: string;
  qualifiedName: string;
  kind: string;
  signature: string;
  language: string;
  startLine: number;
  endLine: number;
  url: string | null;
}

/**
 * NOT_INDEXED when a search is restricted to repositories no index run has ever reached: an empty
 * answer would read as "no such code" when the truth is "not looked at yet".
 */
export function requireIndexed(repos: readonly { id: number; name: string }[], states: ReadonlyMap<number, IndexRepoState>): void {
  const never = repos.filter((r) => {
    const state = states.get(r.id);
    return !state || (state.commit === null && state.pendingCommit === null);
  });
  if (never.length === 0) return;
  const names = never.map((r) => r.name);
  throw new GitloreError(
    ERROR_CODES.NOT_INDEXED,
    `${names.length === 1 ? 'Repository' : 'Repositories'} ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} registered but not indexed yet.`,
    { hint: `Run ${names.map((name) => `\`gitlore index --repo ${name}\``).join(', ')} first.` },
  );
}

/** `find_symbol`: definitions by name (`use`), qualified name (`Application.use`) or, failing those, name prefix. */
export async function findSymbol(
  params: { name: string; repo?: string; kind?: string; limit?: number },
  ctx: RequestContext,
): Promise<{ symbols: SymbolDefinition[] }> {
  const app = ctx.services;
  ctx.signal.throwIfAborted();
  const name = params.name?.trim() ?? '';
  if (!name || name.length > 300) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, name ? 'The symbol name is too long.' : 'The symbol name is empty.', {
      hint: 'Pass a function, class or type name such as `handleRequest` or `Router.get`.',
    });
  }
  const repo = params.repo ? await resolveRepo(ctx, params.repo) : null;
  const limit = Math.max(1, Math.min(params.limit ?? 50, 500));
  const visible = await visibleRepoIds(ctx);
  const filter = { repoIds: repo ? [repo.id] : visible ? [...visible] : undefined };
  if (repo) requireIndexed([repo], new Map((await app.store.index.listStates()).map((s) => [s.repoId, s])));
  const normalized = name.replace(/::|#|->/g, '.').toLowerCase();
  const last = normalized.split('.').pop() ?? normalized;
  const qualified = normalized.includes('.') ? [normalized] : [];
  let rows = await app.store.index.symbols({ names: qualified.length > 0 ? [] : [last], qualified, kind: params.kind }, filter, limit);
  if (rows.length === 0 && qualified.length > 0) {
    // `request.host` may be stored under a longer qualifier: match the last part and filter by suffix.
    rows = (await app.store.index.symbols({ names: [last], kind: params.kind }, filter, limit * 4)).filter((s) =>
      s.qualified.toLowerCase().endsWith(normalized),
    );
  }
  if (rows.length === 0) rows = await app.store.index.symbols({ names: [last], prefix: true, kind: params.kind }, filter, limit);
  ctx.signal.throwIfAborted();
  const repos = new Map((await visibleRepos(ctx)).map((r) => [r.id, r]));
  const states = new Map((await app.store.index.listStates()).map((s) => [s.repoId, s]));
  const symbols = rows
    .filter((s) => repos.has(s.repoId))
    .map((s) => {
      const r = repos.get(s.repoId);
      const searchRepo = r
        ? { id: r.id, name: r.name, htmlUrl: githubPage(r, app.config.githubApiUrl), commit: states.get(r.id)?.commit ?? null }
        : undefined;
      return {
        repo: r?.name ?? String(s.repoId),
        path: s.path,
        name: s.name,
        qualifiedName: s.qualified,
        kind: s.kind,
        signature: s.signature,
        language: s.language,
        startLine: s.startLine,
        endLine: s.endLine,
        url: hitUrl(searchRepo, s.path, s.startLine, s.endLine),
      };
    })
    .sort((a, b) => Number(isTestPath(a.path)) - Number(isTestPath(b.path)) || a.path.localeCompare(b.path) || a.startLine - b.startLine)
    .slice(0, limit);
  return { symbols };
}
