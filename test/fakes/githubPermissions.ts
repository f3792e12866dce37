import { type FakeGithubRoute, type FakeRepo, toApi } from './githubServer.js';

/** A status forced on matching requests, to inject GitHub's failures. `rate-limit` is a 403 with `x-ratelimit-remaining: 0`. */
export type ForcedStatus = 401 | 403 | 404 | 410 | 500 | 502 | 'rate-limit';

export interface ForcedFailure {
  status: ForcedStatus;
  /** Only requests with this token (any when absent). */
  token?: string;
  /** Only requests whose path matches (any when absent). */
  path?: string | RegExp;
  /** How many requests it answers before it lapses (every one when absent). */
  times?: number;
}

/**
 * Who may read what, as GitHub would say it two ways: `readable` is what each login's own token lists in
 * `/user/repos` (user-driven), `collaborators` is who `/repos/:owner/:repo/collaborators` names (repo-driven).
 * grant() writes both, as GitHub does; a test writes one side alone to tell the two passes apart.
 */
export interface FakePermissions {
  /** login → the `owner/name` of every private repository their token lists. */
  readable: Map<string, Set<string>>;
  /** `owner/name` → the logins with access (direct, outside, team and org members). */
  collaborators: Map<string, Set<string>>;
  /** login → GitHub's numeric id (a stable one derived from the login when absent). */
  ids: Map<string, number>;
  /** org → member logins: their `/user/repos` also lists the org's public repositories. */
  members: Map<string, Set<string>>;
  failures: ForcedFailure[];
  grant(login: string, fullName: string): void;
  revoke(login: string, fullName: string): void;
  /** Forces a status on matching requests until it lapses or clear() is called. */
  fail(failure: ForcedFailure): void;
  clearFailures(): void;
  idOf(login: string): number;
}

export function createFakePermissions(): FakePermissions {
  const perms: FakePermissions = {
    readable: new Map(),
    collaborators: new Map(),
    ids: new Map(),
    members: new Map(),
    failures: [],
    grant(login, fullName) {
      setOf(perms.readable, login).add(fullName);
      setOf(perms.collaborators, fullName).add(login);
    },
    revoke(login, fullName) {
      perms.readable.get(login)?.delete(fullName);
      perms.collaborators.get(fullName)?.delete(login);
    },
    fail(failure) {
      perms.failures.push({ ...failure });
    },
    clearFailures() {
      perms.failures.splice(0);
    },
    idOf(login) {
      return perms.ids.get(login) ?? 100_000 + (Math.abs(hash(login)) % 900_000);
    },
  };
  return perms;
}

/**
 * The permission endpoints for startGithubServer({routes}): forced failures first, then `/user/repos` from the grant
 * table and `/repos/:owner/:repo/collaborators` (paginated, with ids). An unknown token never gets here: the server
 * answers 401 Bad credentials itself, which is how a test revokes a token (delete it from `state.tokens`).
 */
export function githubPermissionRoutes(perms: FakePermissions): FakeGithubRoute[] {
  const forced: FakeGithubRoute = (call) => {
    const index = perms.failures.findIndex(
      (f) =>
        (f.token === undefined || f.token === call.token) &&
        (f.path === undefined ||
          (typeof f.path === 'string'
            ? call.url.pathname === f.path || call.url.pathname.startsWith(`${f.path}/`)
            : f.path.test(call.url.pathname))),
    );
    const failure = perms.failures[index];
    if (!failure) return false;
    if (failure.times !== undefined && --failure.times <= 0) perms.failures.splice(index, 1);
    if (failure.status === 'rate-limit') {
      call.reply(
        403,
        { message: 'API rate limit exceeded for user.', documentation_url: 'https://docs.github.com/rest/rate-limit' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
      );
    } else {
      const messages: Record<number, string> = {
        401: 'Bad credentials',
        403: 'Resource not accessible by integration',
        404: 'Not Found',
        410: 'This token has been revoked',
        500: 'Internal Server Error',
        502: 'Server Error',
      };
      call.reply(failure.status, { message: messages[failure.status] ?? 'error' });
    }
    return true;
  };

  const userRepos: FakeGithubRoute = (call, state) => {
    if (call.method !== 'GET' || call.url.pathname !== '/user/repos') return false;
    if (!call.login) {
      call.reply(401, { message: 'Requires authentication' });
      return true;
    }
    const login = call.login;
    const all = [...state.orgs.values(), ...state.users.values()].flat();
    const granted = perms.readable.get(login) ?? new Set<string>();
    const orgs = [...perms.members].filter(([, logins]) => logins.has(login)).map(([org]) => org);
    const listed = all.filter((r) => r.owner === login || granted.has(fullNameOf(r)) || (!r.private && orgs.includes(r.owner)));
    call.replyPage(listed.map((r) => toApi(r, state.url)));
    return true;
  };

  const collaborators: FakeGithubRoute = (call, state) => {
    const [repos, owner, name, what] = call.parts;
    if (call.method !== 'GET' || repos !== 'repos' || what !== 'collaborators' || call.parts.length !== 4) return false;
    const fullName = `${owner}/${name}`;
    const exists = [...state.orgs.values(), ...state.users.values()].flat().some((r) => fullNameOf(r) === fullName);
    if (!exists || !call.login) {
      call.reply(404, { message: 'Not Found' });
      return true;
    }
    const logins = [...(perms.collaborators.get(fullName) ?? [])].sort();
    call.replyPage(
      logins.map((login) => ({
        login,
        id: perms.idOf(login),
        type: 'User',
        site_admin: false,
        permissions: { pull: true, triage: false, push: false, maintain: false, admin: false },
        role_name: 'read',
      })),
    );
    return true;
  };

  return [forced, userRepos, collaborators];
}

const fullNameOf = (r: FakeRepo) => `${r.owner}/${r.name}`;

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  const found = map.get(key);
  if (found) return found;
  const set = new Set<V>();
  map.set(key, set);
  return set;
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
