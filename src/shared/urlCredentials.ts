/**
 * Credentials inside git URLs. A password or token in a URL ends up in the store, in git's argv
 * (visible in `ps`) and in `repo list --json`, so gitlore refuses them everywhere; a plain ssh user
 * (`git@host:org/repo.git`, `ssh://git@host/…`) names an account, not a secret, and stays accepted.
 */

/** `scheme://userinfo@…`: userinfo runs up to the first `@` before any `/`, `?` or `#`. */
const SCHEME_URL = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)@/i;
/** scp-like `user[:password]@host:path` (git treats it as ssh when no `/` comes before the first `:`). */
const SCP_LIKE = /^([^@/:\s]+)(:[^@/\s]*)?@([^:/\s]+):/;
const SSH_SCHEMES = new Set(['ssh', 'git+ssh', 'ssh+git']);
/** User names that are tokens: GitHub, GitLab and generic prefixes, or a long opaque string. */
const TOKEN_USER = /^(gh[pousr]_|github_pat_|glpat-|x-access-token$|x-token-auth$|oauth2$)|^[A-Za-z0-9_-]{30,}$/i;

export type UrlCredentials = 'password' | 'token' | null;

/**
 * What secret a URL carries: `password` for `user:secret@`, `token` for a user that is a token
 * (any user of http(s), ftp(s), git:// or file://, or a token-shaped ssh user); null otherwise.
 */
export function urlCredentials(value: string): UrlCredentials {
  const url = value.trim();
  const scheme = SCHEME_URL.exec(url);
  if (scheme) {
    const [, name = '', userinfo = ''] = scheme;
    if (userinfo.includes(':')) return 'password';
    if (!SSH_SCHEMES.has(name.toLowerCase())) return userinfo ? 'token' : null;
    return TOKEN_USER.test(userinfo) ? 'token' : null;
  }
  const scp = SCP_LIKE.exec(url);
  if (scp) {
    if (scp[2] !== undefined) return 'password';
    return TOKEN_USER.test(scp[1] ?? '') ? 'token' : null;
  }
  return null;
}

/**
 * The URL without its secret: the whole userinfo for http(s)-like schemes, the password (or a
 * token-shaped user) for ssh, where a plain user stays because the server needs it.
 */
export function stripUrlCredentials(value: string): string {
  if (!urlCredentials(value)) return value;
  const scheme = SCHEME_URL.exec(value);
  if (scheme) {
    const [whole, name = '', userinfo = ''] = scheme;
    const user = userinfo.split(':')[0] ?? '';
    const keep = SSH_SCHEMES.has(name.toLowerCase()) && user && !TOKEN_USER.test(user) ? `${user}@` : '';
    return `${name}://${keep}${value.slice(whole.length)}`;
  }
  const scp = SCP_LIKE.exec(value) as RegExpExecArray;
  const user = scp[1] ?? '';
  const rest = value.slice(value.indexOf('@') + 1);
  return TOKEN_USER.test(user) ? `git@${rest}` : `${user}@${rest}`;
}
