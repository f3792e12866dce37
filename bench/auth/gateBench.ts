/**
 * What auth and the repository gate add to an API request, with 1,000 repositories and 1,000 users in the store.
 * Builds a fresh SQLite store (records only, no clones): half the repositories public GitHub ones, half private, and
 * each user granted 50 private ones. Then, in one process, times N sequential requests through createHttpApp
 * (app.request, no socket):
 *
 *   - GET /api/me: auth alone (session cookie or token resolution), no gate
 *   - GET /api/commits?repo=NAME: auth + the gate resolving one repository (answered 409 NOT_SYNCED: there is no clone)
 *   - GET /api/repos: auth + the gate listing every visible repository (and serializing them)
 *
 * each as the local operator on a server without auth (the baseline), as a member by session cookie and as a member
 * by user token, and prints p50/p95 and the difference to the baseline. It also times visibleRepos and resolveRepo
 * alone.
 *
 *   npx tsx bench/auth/gateBench.ts [--requests 2000] [--repos 1000] [--users 1000] [--grants 50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createApiToken } from '../../src/core/apiTokens.js';
import { startSession } from '../../src/core/auth/sessions.js';
import { createContext, type Principal } from '../../src/core/context.js';
import { resolveRepo, visibleRepos } from '../../src/core/repoGate.js';
import { createServices } from '../../src/core/services.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { silentLogger } from '../../src/shared/logger.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const REQUESTS = opt('requests', 2000);
const REPOS = opt('repos', 1000);
const USERS = opt('users', 1000);
const GRANTS = opt('grants', 50);
const WARMUP = 200;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms.toFixed(3)}`;

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  return ms;
}

const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-gatebench-'));
const SECRET_KEY = 'gate-bench-secret-key-0123456789abcdef';
const config = loadConfig({ env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none', SECRET_KEY }, cwd: dataDir });
const app = await createServices(config, { log: silentLogger });
try {
  const seedStart = performance.now();
  const privateIds: number[] = [];
  const publicNames: string[] = [];
  for (let i = 0; i < REPOS; i++) {
    const isPrivate = i % 2 === 1;
    const name = `repo-${String(i).padStart(4, '0')}`;
    const record = await app.store.repos.upsert({
      name,
      sourceType: 'github',
      sourceKey: 'github:org/acme',
      fullName: `acme/${name}`,
      cloneUrl: `https://github.com/acme/${name}.git`,
      localPath: join(dataDir, 'repos', name),
      isPrivate,
    });
    if (isPrivate) privateIds.push(record.id);
    else publicNames.push(name);
  }
  const users = [];
  for (let u = 0; u < USERS; u++) {
    const user = await app.store.users.signIn(
      { provider: 'oidc', subject: `user-${u}`, email: `user-${u}@acme.dev` },
      { role: u === 0 ? 'admin' : 'member', linkByEmail: false },
    );
    const grants = Array.from({ length: GRANTS }, (_, g) => privateIds[(u * 7 + g * 13) % privateIds.length] as number);
    await app.store.access.replaceForUser(user.id, 'user', [...new Set(grants)]);
    users.push(user);
  }
  const member = users[USERS - 1] ?? users[0];
  if (!member) throw new Error('no users');
  const session = (await startSession(app.store.sessions, member, app.config)).secret;
  const token = (await createApiToken(app.store.tokens, 'bench', { userId: member.id })).token;
  const seedMs = performance.now() - seedStart;

  const open = createHttpApp({ app, version: 'bench', scheduler: null, requireAuth: false });
  const gated = createHttpApp({ app, version: 'bench', scheduler: null, requireAuth: true });
  const callers = {
    'operator, auth off': (path: string) => open.request(path),
    'member by session': (path: string) => gated.request(path, { headers: { cookie: `gitlore_session=${session}` } }),
    'member by token': (path: string) => gated.request(path, { headers: { authorization: `Bearer ${token}` } }),
  };
  const routes: [string, (i: number) => string, number][] = [
    ['GET /api/me', () => '/api/me', 200],
    ['GET /api/commits?repo= (409 NOT_SYNCED)', (i) => `/api/commits?repo=${publicNames[i % publicNames.length]}`, 409],
    ['GET /api/repos', () => '/api/repos', 200],
  ];

  const print = (label: string, value: string) => process.stdout.write(`${label.padEnd(48)} ${value}\n`);
  print(
    'store',
    `${REPOS} repositories (${privateIds.length} private), ${USERS} users × ${GRANTS} grants; seeded in ${(seedMs / 1000).toFixed(1)} s`,
  );
  print('requests per row', `${REQUESTS} sequential (after ${WARMUP} warm-up), app.request in process`);
  for (const [route, pathOf, status] of routes) {
    process.stdout.write(`\n${route}\n`);
    // Interleaved, one request of each caller in turn, so warm-up, GC and machine load fall on all of them alike.
    const ms = Object.fromEntries(Object.keys(callers).map((who) => [who, [] as number[]]));
    for (let i = -WARMUP; i < REQUESTS; i++) {
      for (const [who, call] of Object.entries(callers)) {
        const path = pathOf(Math.abs(i));
        const t0 = performance.now();
        const res = await call(path);
        await res.arrayBuffer();
        const took = performance.now() - t0;
        if (res.status !== status) throw new Error(`${who} ${path}: ${res.status}`);
        if (i >= 0) ms[who]?.push(took);
      }
    }
    const base = ms['operator, auth off'] ?? [];
    for (const [who, values] of Object.entries(ms)) {
      const p50 = percentile(values, 0.5);
      const p95 = percentile(values, 0.95);
      const diff = values === base ? '' : `  (${signed(p50 - percentile(base, 0.5))} / ${signed(p95 - percentile(base, 0.95))} ms)`;
      print(`  ${who}`, `p50 ${p50.toFixed(3)} ms  p95 ${p95.toFixed(3)} ms${diff}`);
    }
  }

  process.stdout.write('\nthe gate alone (core/repoGate.ts)\n');
  const principals: [string, Principal][] = [
    ['operator', { kind: 'local', id: 'local' }],
    ['member', { kind: 'user', id: member.id, role: 'member' }],
  ];
  for (const [who, principal] of principals) {
    const ctx = createContext(app, { principal });
    const visible = (await visibleRepos(ctx)).length;
    const listMs = await time(REQUESTS, () => visibleRepos(ctx));
    const resolveMs = await time(REQUESTS, (i) => resolveRepo(ctx, publicNames[i % publicNames.length] as string));
    print(
      `  visibleRepos, ${who} (${visible} visible)`,
      `p50 ${percentile(listMs, 0.5).toFixed(3)} ms  p95 ${percentile(listMs, 0.95).toFixed(3)} ms`,
    );
    print(`  resolveRepo, ${who}`, `p50 ${percentile(resolveMs, 0.5).toFixed(3)} ms  p95 ${percentile(resolveMs, 0.95).toFixed(3)} ms`);
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
