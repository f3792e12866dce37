import type { Context, Hono } from 'hono';
import { compress } from 'hono/compress';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { blameFile } from '../../core/blame.js';
import { createContext, type RequestContext } from '../../core/context.js';
import { fileSymbols } from '../../core/fileSymbols.js';
import { getFile } from '../../core/files.js';
import { whoAmI } from '../../core/me.js';
import { visibleRepos } from '../../core/repoGate.js';
import { listTree, repoGithubUrl } from '../../core/tree.js';
import { ERROR_CODES, GitloreError, toGitloreError } from '../../shared/errors.js';
import { redact } from '../../shared/redact.js';
import { SEARCH_LIMIT } from '../../shared/searchLimits.js';
import { HTTP_STATUS } from '../errors.js';
import { principalOf } from '../principal.js';
import type { RouteDeps } from '../routes/deps.js';
import { MAX_URL_QUERY_CHARS } from '../routes/search.js';
import { runTool } from '../routes/toolRoute.js';
import { formCsrfToken } from '../session.js';
import { registerAccountPages } from './accountPages.js';
import type { Assets } from './assets.js';
import { registerChatPages } from './chatPages.js';
import { FilePage } from './filePage.js';
import { registerHistoryPages } from './historyPages.js';
import { registerLoginPage } from './loginPage.js';
import { MessagePage } from './messagePage.js';
import { loadReadme } from './readme.js';
import { registerRefsPage } from './refsPage.js';
import { registerRepoStatusPages } from './repoStatusPages.js';
import { SearchPage, type SearchParams } from './searchPage.js';
import type { SearchOutcome } from './searchResults.js';
import { TreePage } from './treePage.js';
import { setViewer, ViewerProvider, viewerOf } from './viewer.js';

/** Lines the file view renders; longer files show this many and say so. */
export const MAX_VIEW_LINES = 10_000;

/** Page paths, as Hono patterns: not part of the JSON API (not in /api/openapi.json). */
export const WEB_PATHS = [
  '/',
  '/search',
  '/assets/:name',
  '/r/:repo',
  '/r/:repo/tree/*',
  '/r/:repo/blob/*',
  '/r/:repo/refs',
  '/r/:repo/commits',
  '/r/:repo/commit/:hash',
  '/chat',
  '/chat/:id',
  '/status',
  '/login',
  '/account',
  '/admin',
] as const;

/**
 * No script but our own files, no inline code, no request to another host: a README or a model answer
 * that slipped markup past the renderer still could not run or load anything.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** An HTML page with the security headers every page carries. */
export async function sendPage(c: Context, page: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  const rendered = await (<ViewerProvider value={viewerOf(c)}>{(await page) as Child}</ViewerProvider>).toString();
  const html = `<!doctype html>${rendered}`;
  c.header('Content-Security-Policy', CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cache-Control', 'no-store');
  return c.html(html, status);
}

/** A thrown error as an HTML page with its status, message and hint (the JSON API sends the same as `{error}`). */
export function sendErrorPage(c: Context, assets: Assets, thrown: unknown): Promise<Response> {
  const error = toGitloreError(thrown);
  const status = HTTP_STATUS[error.code] ?? 500;
  const message = error.code === 'INTERNAL' ? 'Something went wrong; see the server log.' : redact(error.message);
  const title = status === 404 ? 'Not found' : status >= 500 ? 'Server error' : 'Cannot show this page';
  return sendPage(c, <MessagePage assets={assets} title={title} message={message} hint={error.hint && redact(error.hint)} />, status);
}

/** The raw rest of the path after `/r/:repo/<kind>/`, decoded; '' when there is none. */
function restOfPath(c: Context, kind: 'tree' | 'blob'): string {
  const pathname = new URL(c.req.url).pathname;
  const prefix = `/r/${c.req.param('repo')}/${kind}`;
  const rest = pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length + 1) : '';
  try {
    return decodeURIComponent(rest);
  } catch {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, 'The path is not valid URL encoding.');
  }
}

/** The search page's fields from the URL, or from the posted form (`get` reads one). */
function searchParams(get: (key: string) => string): SearchParams {
  return {
    q: get('q'),
    repo: get('repo'),
    lang: get('lang'),
    path: get('path'),
    mode: get('mode'),
    group: get('group') === 'file' ? 'file' : '',
    limit: pageLimit(get('limit')),
  };
}

/** A `limit` from the URL as the page keeps it: a whole number within SEARCH_LIMIT, else '' (the default). */
function pageLimit(value: string): string {
  const n = Number(value);
  return value && Number.isInteger(n) && n >= SEARCH_LIMIT.min && n <= SEARCH_LIMIT.max ? String(n) : '';
}

/** The search_code tool's input for the page's fields. */
function searchInput(params: SearchParams, query: string): Record<string, unknown> {
  const input: Record<string, unknown> = { query };
  if (params.repo) input.repos = [params.repo];
  if (params.lang) input.language = params.lang;
  if (params.path) input.path = params.path;
  if (params.mode) input.mode = params.mode;
  if (params.group) input.group = params.group;
  if (params.limit) input.limit = Number(params.limit);
  return input;
}

/** What a page module gets to register its pages: the app, the assets, and the wrapper every page goes through. */
export interface PageKit {
  http: Hono;
  deps: RouteDeps;
  assets: Assets;
  /** The request's context (the caller's principal and the request's abort signal). */
  ctx(c: Context): RequestContext;
  /** Wraps a page handler: thrown errors as an HTML error page (the auth gate in front of every route checks sign-in). */
  page(handler: (c: Context) => Promise<Response>): (c: Context) => Promise<Response>;
}

/** Each group of pages in its own module; registered after the search, tree and file pages below. */
const PAGE_MODULES: readonly ((kit: PageKit) => void)[] = [
  registerChatPages,
  registerHistoryPages,
  registerRefsPage,
  registerRepoStatusPages,
  registerLoginPage,
  registerAccountPages,
];

/** The web app's pages and assets on the HTTP app; pages read through core as the API does. */
export function registerWebRoutes(http: Hono, deps: RouteDeps, assets: Assets, log: { warn(message: string): void }): void {
  const ctx = (c: Context) => createContext(deps.app, { signal: c.req.raw.signal, principal: principalOf(c) });
  let warned = false;
  const page =
    (handler: (c: Context) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      if (!assets.manifest() && !warned) {
        warned = true;
        log.warn(
          'The web app is not built (web/dist/manifest.json is missing): pages are served without scripts and styles. Run `npm run build`.',
        );
      }
      try {
        if (principalOf(c)?.kind === 'user') setViewer(c, await whoAmI(ctx(c)));
        return await handler(c);
      } catch (error) {
        c.req.raw.signal.throwIfAborted();
        return sendErrorPage(c, assets, error);
      }
    };

  http.get('/assets/:name', (c) => {
    const asset = assets.file(c.req.param('name'));
    if (!asset) return c.text('Not found', 404);
    // Names carry a content hash: a new build makes new names, so a year in the cache is safe.
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Content-Type', asset.type);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Vary', 'Accept-Encoding');
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      c.header('Content-Encoding', 'gzip');
      return c.body(asset.gzip as Uint8Array<ArrayBuffer>);
    }
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  });
  for (const path of ['/', '/search', '/r/*', '/chat', '/status']) http.use(path, compress());

  /** The page for `params`, searched with `query` (the URL's q, or a posted text) through the search_code tool. */
  const searchAnswer = async (c: Context, params: SearchParams, query: string, extra: { pasted?: string } = {}) => {
    const repos = (await visibleRepos(ctx(c))).map((r) => r.name).sort();
    let outcome: SearchOutcome | null = null;
    let error: { message: string; hint?: string } | null = null;
    if (query.trim()) {
      try {
        outcome = { ...((await runTool(deps, c, 'search_code', searchInput(params, query))) as SearchOutcome), mode: params.mode };
      } catch (thrown) {
        const e = toGitloreError(thrown);
        if (e.code === 'INTERNAL') throw thrown;
        error = { message: redact(e.message), hint: e.hint && redact(e.hint) };
      }
    }
    const csrf = formCsrfToken(c, deps.app.config.secretKey);
    return sendPage(
      c,
      <SearchPage assets={assets} params={params} repos={repos} outcome={outcome} error={error} csrf={csrf} {...extra} />,
      error ? 400 : 200,
    );
  };
  const searchPage = page(async (c) => {
    const params = searchParams((key) => (c.req.query(key) ?? '').trim());
    // Longer text comes from the "Paste an issue" form (POST /search), as it goes to POST /api/search.
    return searchAnswer(c, params, params.q.slice(0, MAX_URL_QUERY_CHARS));
  });
  http.get('/', searchPage);
  http.get('/search', searchPage);
  // The "Paste an issue" form: the text in the body (multipart), the filters as fields; the CSRF check ran before.
  http.post(
    '/search',
    page(async (c) => {
      const form = await c.req.parseBody();
      const field = (key: string) => (typeof form[key] === 'string' ? (form[key] as string) : '');
      const text = field('q');
      const params = searchParams((key) => (key === 'q' ? text : field(key).trim()));
      return searchAnswer(c, params, text, { pasted: text });
    }),
  );

  const treePage = page(async (c) => {
    const tree = await listTree({ repo: c.req.param('repo') as string, path: restOfPath(c, 'tree') }, ctx(c));
    return sendPage(c, <TreePage assets={assets} tree={tree} readme={await loadReadme(tree, ctx(c))} />);
  });
  http.get('/r/:repo/tree/*', treePage);

  http.get(
    '/r/:repo/blob/*',
    page(async (c) => {
      const repo = c.req.param('repo') as string;
      const path = restOfPath(c, 'blob');
      if (!path) return c.redirect(`/r/${encodeURIComponent(repo)}`);
      // `?ref=<commit>`: the file as it was (a commit page links each changed file so); symbols are indexed at HEAD only.
      const ref = c.req.query('ref')?.trim() || undefined;
      // `?blame=1`: each line's last commit beside it (computed by git blame on first view, then cached).
      const blamed = Boolean(c.req.query('blame'));
      const slice = { repo, path, ref, startLine: 1, endLine: MAX_VIEW_LINES };
      const blame = blamed ? await blameFile(slice, ctx(c)) : undefined;
      const file = blame ?? (await getFile(slice, ctx(c)));
      const [symbols, githubUrl] = await Promise.all([ref ? [] : fileSymbols({ repo, path }, ctx(c)), repoGithubUrl({ repo }, ctx(c))]);
      return sendPage(
        c,
        <FilePage
          assets={assets}
          repo={file.repo}
          path={file.path}
          commit={file.commit}
          language={file.language}
          lines={file.totalLines === 0 ? [] : file.content.split('\n')}
          totalLines={file.totalLines}
          symbols={symbols}
          githubUrl={githubUrl}
          blame={blame}
          ref={ref}
        />,
      );
    }),
  );

  const kit: PageKit = { http, deps, assets, ctx, page };
  for (const register of PAGE_MODULES) register(kit);
}

/** The HTML 404 for paths outside the API. */
export function notFoundPage(c: Context, assets: Assets): Promise<Response> {
  return sendErrorPage(
    c,
    assets,
    new GitloreError(ERROR_CODES.ROUTE_NOT_FOUND, `There is no page at ${new URL(c.req.url).pathname}.`, {
      hint: 'Search for the file or repository instead.',
    }),
  );
}
