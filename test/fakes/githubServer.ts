import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  owner: string;
  name: string;
  cloneUrl: string;
  private?: boolean;
  fork?: boolean;
  archived?: boolean;
  defaultBranch?: string;
  description?: string | null;
  language?: string | null;
  pushedAt?: string;
}

export interface FakeGithubState {
  /** Organization login → its repositories (mutable: tests add, delete and push). */
  orgs: Map<string, FakeRepo[]>;
  /** User login → their repositories. */
  users: Map<string, FakeRepo[]>;
  /** Valid tokens → the user they belong to. */
  tokens: Map<string, string>;
  /** The next N requests answer 403 with `x-ratelimit-remaining: 0` and a reset one second away. */
  rateLimitNext: number;
  /** Every request served: method, path and query. */
  requests: string[];
  /** Largest page size served (GitHub's is 100); tests lower it to exercise pagination. */
  maxPerPage: number;
  /**
   * More endpoints (OAuth, permissions), tried in order before the built-in ones, after the rate limit and the token check.
   * A route answers by calling `call.reply` and returning true.
   */
  routes: FakeGithubRoute[];
}

export interface FakeGithubCall {
  method: string;
  url: URL;
  /** Path segments: `/repos/acme/api` is ['repos', 'acme', 'api']. */
  parts: string[];
  /** The valid token sent, and whose it is. */
  token?: string;
  login?: string;
  /** The request body as text ('' for none). */
  body: string;
  headers: IncomingMessage['headers'];
  reply(status: number, body: unknown, headers?: Record<string, string>): void;
  /** Answers a list with GitHub's Link-header pagination (`per_page`, `page`). */
  replyPage(items: unknown[]): void;
}

export type FakeGithubRoute = (call: FakeGithubCall, state: FakeGithubServer) => boolean;

export interface FakeGithubServer extends FakeGithubState {
  /** API base to pass as GITHUB_API_URL. */
  url: string;
  close(): Promise<void>;
}

/**
 * A GitHub REST API on 127.0.0.1 with the endpoints sync uses: `/orgs/:org/repos`,
 * `/users/:user/repos`, `/user`, `/user/repos`, `/repos/:owner/:repo`; Link-header
 * pagination (`per_page`, `page`), `x-ratelimit-*` headers, 401 for an unknown token,
 * 404 for an unknown org or user, private repos only with a valid token.
 */
export async function startGithubServer(initial: Partial<Omit<FakeGithubState, 'requests'>> = {}): Promise<FakeGithubServer> {
  const state: FakeGithubServer = {
    orgs: initial.orgs ?? new Map(),
    users: initial.users ?? new Map(),
    tokens: initial.tokens ?? new Map(),
    rateLimitNext: initial.rateLimitNext ?? 0,
    requests: [],
    maxPerPage: initial.maxPerPage ?? 100,
    routes: initial.routes ?? [],
    url: '',
    close: async () => {},
  };
  let remaining = 5000;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        send(res, 500, { message: String(error) });
      }
    });
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    remaining = Math.max(0, remaining - 1);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', state.url);
    state.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (state.rateLimitNext > 0) {
      state.rateLimitNext -= 1;
      res.writeHead(403, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
        'x-ratelimit-resource': 'core',
      });
      res.end(JSON.stringify({ message: 'API rate limit exceeded for 127.0.0.1.' }));
      return;
    }
    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    if (auth && (!token || !state.tokens.has(token))) {
      send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const login = token ? state.tokens.get(token) : undefined;
    const parts = url.pathname.split('/').filter(Boolean);
    const call: FakeGithubCall = {
      method: req.method ?? 'GET',
      url,
      parts,
      token,
      login,
      body,
      headers: req.headers,
      reply: (status, payload, headers) => send(res, status, payload, headers),
      replyPage: (items) => sendPage(res, url, items),
    };
    for (const route of state.routes) if (route(call, state)) return;
    let list: FakeRepo[] | null = null;
    if (parts[0] === 'orgs' && parts[2] === 'repos' && parts.length === 3) {
      list = state.orgs.get(parts[1] ?? '') ?? null;
      if (list) list = list.filter((r) => !r.private || login);
    } else if (parts[0] === 'users' && parts[2] === 'repos' && parts.length === 3) {
      list = state.users.get(parts[1] ?? '') ?? null;
      if (list) list = list.filter((r) => !r.private);
    } else if (parts[0] === 'user' && parts.length === 1) {
      if (!login) {
        send(res, 401, { message: 'Requires authentication' });
        return;
      }
      send(res, 200, { login, id: 1, type: 'User' });
      return;
    } else if (parts[0] === 'user' && parts[1] === 'repos' && parts.length === 2) {
      if (!login) {
        send(res, 401, { message: 'Requires authentication' });
        return;
      }
      list = state.users.get(login) ?? [];
    } else if (parts[0] === 'repos' && parts.length === 3) {
      const all = [...state.orgs.values(), ...state.users.values()].flat();
      const repo = all.find((r) => r.owner === parts[1] && r.name === parts[2] && (!r.private || login));
      if (repo) send(res, 200, toApi(repo, state.url));
      else send(res, 404, { message: 'Not Found' });
      return;
    }
    if (!list) {
      send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }

    sendPage(
      res,
      url,
      list.map((r) => toApi(r, state.url)),
    );
  }

  function sendPage(res: ServerResponse, url: URL, list: unknown[]): void {
    const perPage = Math.min(state.maxPerPage, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const slice = list.slice((page - 1) * perPage, page * perPage);
    const link = (p: number) => {
      const u = new URL(url);
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return u.toString();
    };
    const links: string[] = [];
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    send(res, 200, slice, links.length ? { link: links.join(', ') } : {});
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

/** A repository as GitHub's REST API answers it. */
export function toApi(r: FakeRepo, base: string) {
  return {
    id: Math.abs(hash(`${r.owner}/${r.name}`)),
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { login: r.owner },
    private: r.private ?? false,
    fork: r.fork ?? false,
    archived: r.archived ?? false,
    default_branch: r.defaultBranch ?? 'main',
    description: r.description ?? null,
    language: r.language ?? null,
    pushed_at: r.pushedAt ?? '2024-01-01T00:00:00Z',
    clone_url: r.cloneUrl,
    html_url: `${base}/html/${r.owner}/${r.name}`,
  };
}
