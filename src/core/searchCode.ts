import { isTestPath } from '../indexer/languages.js';
import { createEmbedder } from '../embeddings/createEmbedder.js';
import type { Embedder } from '../embeddings/embedder.js';
import { hitUrl, type SearchHit, type SearchMode, type SearchRepo, search, validateQuery } from '../search/engine.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { githubPage } from '../sources/index.js';
import type { App } from './app.js';
import { getRepo } from './repos.js';

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
}

const embedders = new WeakMap<App, Promise<Embedder | null>>();

/** The configured embedder, created once per App (the model stays loaded in `serve`). */
export function appEmbedder(app: App): Promise<Embedder | null> {
  let embedder = embedders.get(app);
  if (!embedder) {
    embedder = createEmbedder(app.config, { log: app.log.child('embed') });
    embedders.set(app, embedder);
    embedder.catch(() => embedders.delete(app));
  }
  return embedder;
}

/** Runs fn, turning SQLite corruption into STORE_CORRUPT with the recovery hint. */
export async function storeGuard<T>(app: App, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const message = (error as Error).message ?? '';
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || /malformed|not a database|vtable constructor failed/i.test(message)) {
      throw new GitloreError(ERROR_CODES.STORE_CORRUPT, `The index database ${app.config.dbPath} is corrupt (${message}).`, {
        hint: 'Run `gitlore index --full` to move it aside and rebuild the index.',
        cause: error,
      });
    }
    throw error;
  }
}

/** `gitlore search`, the search_code tool and GET /api/search. */
export async function searchCode(app: App, params: SearchCodeParams): Promise<SearchCodeResult> {
  const started = performance.now();
  const mode = params.mode ?? 'hybrid';
  validateQuery(params.query, mode);
  if (params.limit !== undefined && (!Number.isInteger(params.limit) || params.limit < 1 || params.limit > 200)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid limit ${params.limit}.`, { hint: 'Use an integer from 1 to 200.' });
  }
  const selected = params.repos && params.repos.length > 0 ? await Promise.all(params.repos.map((name) => getRepo(app, name))) : null;
  return storeGuard(app, async () => {
    const all = await app.store.repos.list();
    const states = new Map((await app.store.index.listStates()).map((s) => [s.repoId, s]));
    if (states.size === 0) {
      throw new GitloreError(ERROR_CODES.NOT_INDEXED, 'Nothing is indexed yet.', {
        hint:
          all.length === 0 ? 'Run `gitlore repo add <url | path>`, `gitlore sync`, then `gitlore index`.' : 'Run `gitlore index` first.',
      });
    }
    const repos: SearchRepo[] = all.map((r) => ({
      id: r.id,
      name: r.name,
      htmlUrl: githubPage(r, app.config.githubApiUrl),
      commit: states.get(r.id)?.commit ?? states.get(r.id)?.pendingCommit ?? r.headCommit,
    }));
    const results = await search(
      { store: app.store, embedder: () => appEmbedder(app), vectorIndexPath: app.config.vectorIndexPath },
      {
        query: params.query,
        repos,
        repoIds: selected?.map((r) => r.id),
        language: params.language,
        path: params.path,
        mode,
        limit: params.limit ?? 10,
      },
    );
    return { query: params.query, tookMs: Math.round(performance.now() - started), results };
  });
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

/** `find_symbol`: definitions by name (`use`), qualified name (`Application.use`) or, failing those, name prefix. */
export async function findSymbol(
  app: App,
  params: { name: string; repo?: string; kind?: string; limit?: number },
): Promise<{ symbols: SymbolDefinition[] }> {
  const name = params.name?.trim() ?? '';
  if (!name || name.length > 300) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, name ? 'The symbol name is too long.' : 'The symbol name is empty.', {
      hint: 'Pass a function, class or type name such as `handleRequest` or `Router.get`.',
    });
  }
  const repo = params.repo ? await getRepo(app, params.repo) : null;
  const limit = Math.max(1, Math.min(params.limit ?? 50, 500));
  return storeGuard(app, async () => {
    const filter = { repoIds: repo ? [repo.id] : undefined };
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
    const repos = new Map((await app.store.repos.list()).map((r) => [r.id, r]));
    const states = new Map((await app.store.index.listStates()).map((s) => [s.repoId, s]));
    const symbols = rows
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
  });
}
