import {
  DEFAULT_SEARCH_MODE,
  hitUrl,
  languagesFor,
  SEARCH_LIMIT,
  type SearchHit,
  type SearchMode,
  type SearchRepo,
  searchWithOutcome,
  validateLimit,
  validateQuery,
} from '../search/engine.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { isTestPath } from '../shared/languages.js';
import { githubPage } from '../sources/index.js';
import type { IndexRepoState } from '../store/index.js';
import type { RequestContext } from './context.js';
import { resolveRepo, visibleRepoIds, visibleRepos } from './repoGate.js';

export type { SearchHit, SearchMode } from '../search/engine.js';

export interface SearchCodeParams {
  query: string;
  repos?: string[];
  language?: string;
  path?: string;
  mode?: SearchMode;
  limit?: number;
}

export interface SearchCodeResult {
  query: string;
  tookMs: number;
  results: SearchHit[];
  /** Present (true) only when the results may be incomplete: a regex scan ran out of its time budget. */
  partial?: true;
  /** Why the results are partial, in one line. */
  partialReason?: string;
}

/** `gitlore search`, the search_code tool and GET /api/search. */
export async function searchCode(params: SearchCodeParams, ctx: RequestContext): Promise<SearchCodeResult> {
  const app = ctx.services;
  ctx.signal.throwIfAborted();
  const started = performance.now();
  const mode = params.mode ?? DEFAULT_SEARCH_MODE;
  validateQuery(params.query, mode);
  validateLimit(params.limit);
  if (params.language) languagesFor(params.language);
  const selected = params.repos && params.repos.length > 0 ? await Promise.all(params.repos.map((name) => resolveRepo(ctx, name))) : null;
  const all = await visibleRepos(ctx);
  const visible = await visibleRepoIds(ctx);
  const states = new Map((await app.store.index.listStates()).map((s) => [s.repoId, s]));
  if (states.size === 0) {
    throw new GitloreError(ERROR_CODES.NOT_INDEXED, 'Nothing is indexed yet.', {
      hint: all.length === 0 ? 'Run `gitlore repo add <url | path>`, `gitlore sync`, then `gitlore index`.' : 'Run `gitlore index` first.',
    });
  }
  if (selected) requireIndexed(selected, states);
  const repos: SearchRepo[] = all.map((r) => ({
    id: r.id,
    name: r.name,
    htmlUrl: githubPage(r, app.config.githubApiUrl),
    commit: states.get(r.id)?.commit ?? states.get(r.id)?.pendingCommit ?? r.headCommit,
  }));
  const outcome = await searchWithOutcome(
    { store: app.store, embedder: () => app.embedder(), regexScanner: app.regexScanner },
    {
      query: params.query,
      repos,
      repoIds: selected?.map((r) => r.id) ?? (visible ? [...visible] : undefined),
      language: params.language,
      path: params.path,
      mode,
      limit: params.limit ?? SEARCH_LIMIT.default,
      timeBudgetMs: app.config.searchTimeoutMs,
      signal: ctx.signal,
    },
  );
  ctx.signal.throwIfAborted();
  const result: SearchCodeResult = { query: params.query, tookMs: Math.round(performance.now() - started), results: outcome.hits };
  if (outcome.partialReason) Object.assign(result, { partial: true, partialReason: outcome.partialReason });
  return result;
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
function requireIndexed(repos: readonly { id: number; name: string }[], states: ReadonlyMap<number, IndexRepoState>): void {
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
