import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { urlCredentials } from '../shared/urlCredentials.js';
import { type DiscoveredRepo, NO_HOST_METADATA } from './types.js';

/** `https://host/a/b.git`, `git@host:a/b.git`, `ssh://…`, `file:///srv/b` → `b`. */
export function nameFromUrl(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = path.split(/[/:]/).at(-1) ?? '';
  return last.replace(/\.git$/i, '');
}

/** Owner-ish segment before the name, used to disambiguate equal names. */
function ownerFromUrl(url: string): string | null {
  const parts = url
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .split(/[/:]/)
    .filter(Boolean);
  return parts.length >= 2 ? (parts.at(-2) ?? null) : null;
}

export function isRemoteUrl(value: string): boolean {
  return /^(https?|ftps?|ssh|git\+ssh|ssh\+git|git|file):\/\//i.test(value) || /^[\w.-]+(:[^@/\s]*)?@[\w.-]+:/.test(value);
}

/**
 * Rejects URLs that carry a password or token, in any scheme: they would be stored, passed in
 * git's argv and printed. The message never repeats the URL, so the secret stays out of logs.
 */
export function assertNoCredentials(url: string, where = 'The repository URL'): void {
  const found = urlCredentials(url);
  if (!found) return;
  throw new GitloreError(
    ERROR_CODES.USAGE,
    `${where} contains credentials (${found === 'password' ? 'a password' : 'a token as user name'}); refused.`,
    {
      hint: 'Remove the user:password@ (or token@) part: set GITHUB_TOKEN for https, or use an ssh key (git@host:org/repo.git).',
    },
  );
}

export function gitUrlRepo(url: string, options: { name?: string; sourceKey: string }): DiscoveredRepo {
  assertNoCredentials(url);
  const name = options.name ?? nameFromUrl(url);
  const owner = ownerFromUrl(url);
  return {
    name,
    owner,
    sourceType: 'git',
    sourceKey: options.sourceKey,
    fullName: owner ? `${owner}/${nameFromUrl(url)}` : name,
    cloneUrl: url,
    htmlUrl: /^https?:\/\//i.test(url) ? url.replace(/\.git$/i, '') : null,
    ...NO_HOST_METADATA,
  };
}
