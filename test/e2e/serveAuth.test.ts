import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git.js';
import { childEnv } from '../mcp/fixture.js';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = ['--import', pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href];

const root = tempDir('gitlore-auth-');
const dataDir = `${root}/data`;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function gitlore(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [...TSX, MAIN, ...args], { cwd: root, env: childEnv(dataDir) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function serveOnAllInterfaces(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...TSX, MAIN, 'serve', '--host', '0.0.0.0', '--port', '0', '--no-sync'], {
    cwd: root,
    env: childEnv(dataDir, { GITLORE_SYNC_INTERVAL: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      const match = /serving on http:\/\/\S+:(\d+) .*token required/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { child, port };
}

describe('gitlore token and serve on a non-loopback host', () => {
  it('refuses to serve 0.0.0.0 without a token, then requires one; revoked tokens stop working at once', async () => {
    const refused = await gitlore('serve', '--host', '0.0.0.0', '--port', '0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HOST=0.0.0.0');
    expect(refused.stderr).toContain('gitlore token create');

    const created = await gitlore('token', 'create', '--name', 'ci', '--json');
    expect(created.code).toBe(0);
    const { token, id } = JSON.parse(created.stdout) as { token: string; id: number };
    expect(token).toMatch(/^glt_[0-9a-f]{64}$/);

    const listed = await gitlore('token', 'list', '--json');
    const tokens = (JSON.parse(listed.stdout) as { tokens: { id: number; name: string; revokedAt: string | null }[] }).tokens;
    expect(tokens).toEqual([expect.objectContaining({ id, name: 'ci', revokedAt: null })]);
    expect(listed.stdout).not.toContain(token.slice(12));

    const { child, port } = await serveOnAllInterfaces();
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/repos`)).status).toBe(401);
    expect((await fetch(`${base}/api/repos`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    expect((await fetch(`${base}/api/repos`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    expect((await gitlore('token', 'revoke', 'ci')).code).toBe(0);
    const revoked = await fetch(`${base}/api/repos`, { headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect((await gitlore('token', 'revoke', 'ci')).code).toBe(2);

    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });
});
