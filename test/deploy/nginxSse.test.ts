import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { tempDir } from '../helpers/git.js';
import { watchServe } from '../helpers/serveProcess.js';
import { childEnv, makeFixture } from '../mcp/fixture.js';
import { DEPLOY, freePort, needTools, REPO, selfSignedCert, wrapSite } from './tools.js';

/**
 * The real `gitlore serve` behind nginx from apt running the shipped TLS site (deploy/nginx/gitlore.conf and its
 * proxy snippet, only ports and certificate paths changed), with a scripted model (test/fakes/chatServer.ts):
 * POST /api/ask's server-sent events must reach the client as they are written, not when the answer ends.
 */
const tools = needTools('nginx', 'openssl');
const TSX = ['--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href];

let chat: FakeChatServer;
let script: ScriptedTurn[] = [];
let serve: ChildProcess | undefined;
let nginx: ChildProcess | undefined;
let cert: { cert: string; key: string };
let httpPort: number;
let httpsPort: number;
let webroot: string;

beforeAll(async () => {
  if (tools.skip) return;
  const fixture = await makeFixture();
  chat = await startFakeChat(() => script.shift() ?? { text: 'out of script' });
  serve = spawn(process.execPath, [...TSX, join(REPO, 'src/main.ts'), 'serve', '--port', '0', '--no-sync'], {
    cwd: fixture.root,
    env: childEnv(fixture.dataDir, {
      GITLORE_LLM: 'openai',
      GITLORE_LLM_MODEL: 'scripted',
      OPENAI_BASE_URL: chat.url,
      OPENAI_API_KEY: 'sk-test',
      GITLORE_ASK_IDLE_TIMEOUT: '120',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const upstreamPort = Number(new URL(await watchServe(serve).url).port);

  const dir = tempDir('gitlore-nginx-sse-');
  cert = selfSignedCert(dir);
  [httpPort, httpsPort] = [await freePort(), await freePort()];
  webroot = join(dir, 'acme');
  mkdirSync(join(webroot, '.well-known/acme-challenge'), { recursive: true });
  writeFileSync(join(webroot, '.well-known/acme-challenge/token-1'), 'token-1.thumbprint');
  const wrapper = wrapSite({
    dir,
    site: join(DEPLOY, 'nginx/gitlore.conf'),
    snippet: join(DEPLOY, 'nginx/gitlore-proxy.conf'),
    cert,
    httpPort,
    httpsPort,
    upstreamPort,
    webroot,
  });
  nginx = spawn('nginx', ['-e', join(dir, 'error.log'), '-p', dir, '-c', wrapper, '-g', 'daemon off;'], { stdio: 'ignore' });
  // Up once it answers /health through TLS.
  for (let i = 0; ; i++) {
    const res = await get(`https://127.0.0.1:${httpsPort}/health`).catch(() => null);
    if (res?.status === 200) break;
    if (i > 200 || nginx.exitCode !== null) throw new Error(`nginx did not start (exit ${nginx.exitCode}); see ${dir}/error.log`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 120_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  serve?.kill('SIGTERM');
  await chat?.close();
});

/** GET over http or https (trusting the test's certificate): status, headers and body. */
function get(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { ca: readCert(), servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
const readCert = () => (cert ? readFileSync(cert.cert) : undefined);

interface Arrival {
  event: string;
  data: unknown;
  at: number;
}

/**
 * POSTs a question to /api/ask through nginx and collects each event as it arrives, with its arrival time; `until`
 * says when to stop reading (the connection is then closed).
 */
function ask(question: string, until: (events: Arrival[]) => boolean): Promise<{ events: Arrival[]; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ question });
    const req = httpsRequest(
      `https://127.0.0.1:${httpsPort}/api/ask`,
      {
        method: 'POST',
        ca: readCert(),
        servername: 'localhost',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const events: Arrival[] = [];
        let buffer = '';
        const finish = () => {
          clearTimeout(deadline);
          res.destroy();
          resolve({ events, headers: res.headers });
        };
        // What arrived within 20 s: a buffering proxy holds a stalled stream's events, and the assertions then say so.
        const deadline = setTimeout(finish, 20_000);
        res.on('data', (chunk) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event) events.push({ event, data: data ? JSON.parse(data) : null, at: Date.now() });
          }
          if (until(events)) finish();
        });
        res.on('end', finish);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe(`server-sent events through the shipped nginx site${tools.note}`, { skip: tools.skip }, () => {
  it('delivers the answer text while the model is still writing (stalled mid-answer), then drops the upstream when the client goes', async () => {
    script = [{ text: 'The answer starts here', stallAfterContent: true }];
    const before = chat.requests.length;
    // The model sent its words and then nothing: had nginx buffered the stream, no event would arrive before the end.
    const { events, headers } = await ask(
      'what is it?',
      (seen) =>
        seen.filter((e) => e.event === 'text').length >= 1 &&
        seen
          .filter((e) => e.event === 'text')
          .map((e) => (e.data as { delta: string }).delta)
          .join('') === 'The answer starts here',
    );
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.map((e) => e.event)).not.toContain('done');
    expect(
      events
        .filter((e) => e.event === 'text')
        .map((e) => (e.data as { delta: string }).delta)
        .join(''),
    ).toBe('The answer starts here');
    // Closing the client connection reaches gitlore through nginx, which aborts the model request.
    for (let i = 0; !chat.abandoned.includes(before) && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    expect(chat.abandoned).toContain(before);
  });

  it('streams a slow answer event by event to the done document', async () => {
    const words = 'one two three four five six';
    script = [{ text: words, chunkDelayMs: 250 }];
    const { events } = await ask('count', (seen) => seen.some((e) => e.event === 'done' || e.event === 'error'));
    expect(events.at(-1)?.event).toBe('done');
    const texts = events.filter((e) => e.event === 'text');
    expect(texts.map((e) => (e.data as { delta: string }).delta).join('')).toBe(words);
    // For the record (not asserted): the gaps between text events as they arrived, about the model's 250 ms.
    console.log(
      `nginx SSE: text event gaps ${texts
        .slice(1)
        .map((e, i) => e.at - (texts[i] as Arrival).at)
        .join(', ')} ms`,
    );
  });

  it('redirects plain HTTP to HTTPS, and serves ACME challenges over plain HTTP', async () => {
    const redirect = await get(`http://127.0.0.1:${httpPort}/r/widgets?q=1`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://127.0.0.1/r/widgets?q=1`);
    const challenge = await get(`http://127.0.0.1:${httpPort}/.well-known/acme-challenge/token-1`);
    expect(challenge).toMatchObject({ status: 200, body: 'token-1.thumbprint' });
  });

  it('passes bodies up to gitlore’s own 1 MiB limit, whose JSON 413 answers above it', async () => {
    const post = (size: number) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const body = JSON.stringify({ question: 'x'.repeat(size) });
        // /api/ask keeps the 1 MiB limit of /api/* (POST /api/search and /mcp take a 1 MB text, escaped).
        const req = httpsRequest(
          `https://127.0.0.1:${httpsPort}/api/ask`,
          { method: 'POST', ca: readCert(), servername: 'localhost', headers: { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (d) => {
              text += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    // 900 KiB passes nginx (whose default limit is 1 MB) and reaches gitlore, which answers it.
    const near = await post(900 * 1024);
    expect(near.status).not.toBe(413);
    expect(near.body).toMatch(/^\{/);
    const big = await post(1024 * 1024 + 10);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
