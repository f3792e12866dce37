import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { signGithubPayload } from '../../src/server/webhook.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { watchServe } from '../helpers/serveProcess.js';
import { childEnv } from '../mcp/fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = ['--import', pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href];
const WEBHOOK_SECRET = 'hook-secret-for-tests';
const EVIL = 'http://evil.example';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `gitlore serve` on loopback without tokens, as a local user runs it. */
async function serve(cwd: string, dataDir: string): Promise<string> {
  const child = spawn(process.execPath, [...TSX, MAIN, 'serve', '--port', '0', '--no-sync'], {
    cwd,
    env: childEnv(dataDir, { GITLORE_SYNC_INTERVAL: '0', GITLORE_LOG_LEVEL: 'info', GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return watchServe(child).url;
}

async function jobCount(url: string): Promise<number> {
  const res = await fetch(`${url}/api/sync/status`);
  const { jobs } = (await res.json()) as { jobs: { running: unknown; queued: unknown[]; recent: unknown[] } };
  return (jobs.running ? 1 : 0) + jobs.queued.length + jobs.recent.length;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; code?: string }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  const json = (await res.json()) as { error?: { code: string; message: string; hint?: string } };
  return { status: res.status, code: json.error?.code };
}

describe('fault: cross-site requests to the tokenless loopback API', () => {
  it('refuses foreign-origin and non-JSON writes, queues nothing, and keeps same-origin JSON and the webhook working', async () => {
    const root = tempDir('gitlore-fault-csrf-');
    const dataDir = join(root, 'data');
    const upstream = join(root, 'upstream', 'widgets');
    makeRepo(upstream, { 'a.txt': 'a\n' });
    expect((await runCli(['repo', 'add', `file://${upstream}`, '--name', 'widgets'], { dataDir })).code).toBe(0);
    const url = await serve(root, dataDir);
    expect(await jobCount(url)).toBe(0);

    // What a web page can send without a CORS preflight: a simple content type, with its Origin.
    const sync = `${url}/api/sync`;
    const ingest = `${url}/api/ingest`;
    expect(await post(sync, '{"repo":"widgets"}', { 'content-type': 'text/plain', origin: EVIL })).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await post(ingest, '{"org":"acme"}', { 'content-type': 'text/plain', origin: EVIL })).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await post(ingest, 'org=acme', { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' })).toMatchObject({
      status: 403,
    });
    expect(await post(sync, '{}', { 'content-type': 'application/json', origin: EVIL })).toMatchObject({ status: 403 });
    expect(await post(sync, '{}', { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).toMatchObject({ status: 403 });
    // Without an Origin (a browser always sends one on a cross-origin POST), a non-JSON body is still refused.
    expect(await post(sync, '{"repo":"widgets"}', { 'content-type': 'text/plain' })).toEqual({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(await post(ingest, '{"org":"acme"}', { 'content-type': 'text/plain;charset=UTF-8', origin: url })).toEqual({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(await jobCount(url)).toBe(0);

    // The server's own pages, and clients that send no Origin, still work.
    expect(
      await post(sync, '{"repo":"widgets"}', { 'content-type': 'application/json', origin: url, 'sec-fetch-site': 'same-origin' }),
    ).toEqual({
      status: 202,
      code: undefined,
    });
    expect(await post(sync, '{"repo":"widgets"}', { 'content-type': 'application/json; charset=utf-8' })).toMatchObject({ status: 202 });

    // The webhook is signed, not same-origin: it keeps working.
    const payload = JSON.stringify({ ref: 'refs/heads/main', repository: { name: 'widgets', full_name: 'upstream/widgets' } });
    const hook = await post(`${url}/webhooks/github`, payload, {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': signGithubPayload(WEBHOOK_SECRET, payload),
    });
    expect(hook.status).toBe(202);
    expect(await jobCount(url)).toBeGreaterThanOrEqual(1);
  }, 45_000);
});
