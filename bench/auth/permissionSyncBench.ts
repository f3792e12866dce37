/**
 * Permission sync benchmark: one organization on the loopback GitHub fake with 500 repositories (150 private) and
 * 200 users who signed in with GitHub, all members of the org (so each user's `/user/repos` lists the 350 public
 * repositories too, as GitHub does). Each private repository has 5–30 collaborators, and every tenth is readable by
 * the whole org (200 collaborators: two pages). Measures one full sync (repo-driven for every private repository,
 * then user-driven for every linked user) and the per-user sync run on sign-in: wall time and GitHub API requests.
 *
 *   npx tsx bench/auth/permissionSyncBench.ts [--repos 500] [--private 150] [--users 200]
 *
 * The store is a fresh SQLite file in a temp folder; no git, no clones.
 */
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { syncAllPermissions, syncUserPermissions } from '../../src/core/auth/permissionSync.js';
import { createContext } from '../../src/core/context.js';
import { createServices } from '../../src/core/services.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createFakePermissions, githubPermissionRoutes } from '../../test/fakes/githubPermissions.js';
import { type FakeRepo, startGithubServer } from '../../test/fakes/githubServer.js';
import { tempDir } from '../../test/helpers/git.js';
import { addGithubRepo, addGithubUser } from '../../test/helpers/permissionWorld.js';
import { rng } from '../../test/helpers/random.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REPOS = opt('repos', 500);
const PRIVATE = opt('private', 150);
const USERS = opt('users', 200);
const SECRET_KEY = 'bench-secret-key-0123456789';

const random = rng(17);
const pick = (n: number) => Math.floor((random() + 0.5) * n);

const perms = createFakePermissions();
const repos: FakeRepo[] = Array.from({ length: REPOS }, (_, i) => ({
  owner: 'acme',
  name: `repo-${String(i).padStart(3, '0')}`,
  cloneUrl: `https://example.invalid/acme/repo-${i}.git`,
  private: i < PRIVATE,
}));
const logins = Array.from({ length: USERS }, (_, i) => `user-${i}`);
perms.members.set('acme', new Set(logins));
for (const [i, repo] of repos.entries()) {
  if (!repo.private) continue;
  const fullName = `acme/${repo.name}`;
  const who = i % 10 === 0 ? logins : Array.from({ length: 5 + pick(26) }, () => logins[pick(USERS)] as string);
  for (const login of who) perms.grant(login, fullName);
}
const tokens = new Map(logins.map((login) => [`tok-${login}`, login]));
tokens.set('tok-org', 'gitlore-bot');
const github = await startGithubServer({ orgs: new Map([['acme', repos]]), tokens, routes: githubPermissionRoutes(perms) });

const root = tempDir('gitlore-perm-bench-');
const services = await createServices(
  loadConfig({
    cwd: root,
    env: {
      GITLORE_DATA_DIR: join(root, 'data'),
      GITLORE_EMBEDDINGS: 'none',
      SECRET_KEY,
      GITHUB_TOKEN: 'tok-org',
      GITHUB_API_URL: github.url,
      GITHUB_ORG: 'acme',
    },
  }),
  { log: silentLogger, embedder: null },
);
for (const repo of repos) await addGithubRepo(services.store, 'acme', repo.name, Boolean(repo.private));
const users = [];
for (const login of logins)
  users.push(await addGithubUser(services.store, SECRET_KEY, { login, id: perms.idOf(login), token: `tok-${login}` }));
const ctx = createContext(services);

const count = (prefix: string) => github.requests.filter((r) => r.includes(prefix)).length;
github.requests.splice(0);
let started = performance.now();
const report = await syncAllPermissions({}, ctx);
const fullMs = performance.now() - started;
const grants = report.users.reduce((sum, u) => sum + u.repoCount, 0);
console.log(`org: ${REPOS} repositories (${PRIVATE} private), ${USERS} users with a linked GitHub token`);
console.log(
  `full sync: ${(fullMs / 1000).toFixed(2)} s, ${github.requests.length} GitHub requests ` +
    `(${count('/collaborators')} collaborator pages for ${report.repos.checked} private repositories, ${count('/user/repos')} /user/repos pages for ${report.users.length} users); ` +
    `${grants} grants; failures: ${report.users.filter((u) => u.status !== 'ok').length} users, ${report.repos.failed.length} repositories`,
);

github.requests.splice(0);
started = performance.now();
const again = await syncAllPermissions({}, ctx);
console.log(
  `unchanged resync: ${((performance.now() - started) / 1000).toFixed(2)} s, ${github.requests.length} GitHub requests, ` +
    `${again.users.filter((u) => u.added + u.removed > 0).length} users changed`,
);

for (const [label, scope] of [
  ['repo-driven only', { userIds: [] }],
  ['user-driven only', { repoIds: [] }],
] as const) {
  github.requests.splice(0);
  started = performance.now();
  await syncAllPermissions(scope, ctx);
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(2)} s, ${github.requests.length} GitHub requests`);
}

const SAMPLE = Math.min(50, users.length);
const perUser: number[] = [];
github.requests.splice(0);
for (const user of users.slice(0, SAMPLE)) {
  const t = performance.now();
  await syncUserPermissions({ userId: user.id }, ctx);
  perUser.push(performance.now() - t);
}
perUser.sort((a, b) => a - b);
const at = (q: number) => (perUser[Math.min(perUser.length - 1, Math.floor(q * perUser.length))] as number).toFixed(1);
console.log(
  `per-user sync (sign-in), ${SAMPLE} users: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, ${(github.requests.length / SAMPLE).toFixed(1)} GitHub requests each`,
);

await services.close();
await github.close();
