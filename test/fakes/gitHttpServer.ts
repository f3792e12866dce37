import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpOptions {
  /** When set, every request must carry HTTP Basic auth whose password is this token. */
  token?: string;
  /** Per repository path (`/acme/api.git`): the token that path requires instead of `token`. */
  tokens?: Map<string, string>;
  /** Holds each upload-pack (fetch/clone data) request this long before answering. */
  delayUploadPackMs?: number;
  /** Awaited before each upload-pack request is answered, with its repository path (a test's barrier). */
  holdUploadPack?: (repoPath: string) => Promise<void>;
  /** Repository paths (as in the URL, e.g. `/acme/api.git`) that answer 503. */
  broken?: Set<string>;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT` — repositories are at `${url}/<path under root>`. */
  url: string;
  options: GitHttpOptions;
  /** Per repository path: smart-HTTP ref advertisements and upload-pack (object transfer) requests. */
  counts: Map<string, { infoRefs: number; uploadPack: number }>;
  /** Every Authorization header value received (to prove how the token travelled). */
  authHeaders: string[];
  /** Per repository path: the Basic-auth passwords (tokens) it received, in order. */
  tokensSeen: Map<string, string[]>;
  close(): Promise<void>;
}

/**
 * Serves the bare repositories under `root` over git's smart HTTP protocol on 127.0.0.1,
 * by running the real `git http-backend` CGI for each request. Partial clone filters are allowed.
 */
export async function startGitHttpServer(root: string, options: GitHttpOptions = {}): Promise<GitHttpServer> {
  const counts = new Map<string, { infoRefs: number; uploadPack: number }>();
  const authHeaders: string[] = [];
  const tokensSeen = new Map<string, string[]>();
  const state: GitHttpServer = { url: '', options, counts, authHeaders, tokensSeen, close: async () => {} };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^(.*?\.git|.*?)\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.*)$/.exec(url.pathname);
    const repoPath = match?.[1] ?? url.pathname;
    const entry = counts.get(repoPath) ?? { infoRefs: 0, uploadPack: 0 };
    counts.set(repoPath, entry);
    const auth = req.headers.authorization ?? '';
    const password = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':').slice(1).join(':') : '';
    if (auth) {
      authHeaders.push(auth);
      tokensSeen.set(repoPath, [...(tokensSeen.get(repoPath) ?? []), password]);
    }
    const required = state.options.tokens?.get(repoPath) ?? state.options.token;
    if (required) {
      if (password !== required) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake-git"' });
        res.end('unauthorized');
        req.resume();
        return;
      }
    }
    if (state.options.broken?.has(repoPath)) {
      res.writeHead(503);
      res.end('unavailable');
      req.resume();
      return;
    }
    if (match?.[2] === 'info/refs') entry.infoRefs += 1;
    if (match?.[2] === 'git-upload-pack') {
      entry.uploadPack += 1;
      if (state.options.delayUploadPackMs) await new Promise((r) => setTimeout(r, state.options.delayUploadPackMs));
      await state.options.holdUploadPack?.(repoPath);
    }
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'uploadpack.allowFilter',
        GIT_CONFIG_VALUE_0: 'true',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        REMOTE_ADDR: '127.0.0.1',
        REMOTE_USER: 'git',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => {});
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      const endLf = head.indexOf('\n\n');
      const cut = end >= 0 ? end + 4 : endLf >= 0 ? endLf + 2 : -1;
      if (cut < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, cut).toString().split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i <= 0) continue;
        const key = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(cut));
    });
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    if (!headersDone) res.writeHead(500);
    res.end();
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
