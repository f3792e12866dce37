import { ERROR_CODES, GitloreError } from '../shared/errors.js';
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
  return /^(https?|ssh|git|file):\/\//i.test(value) || /^[\w.-]+@[\w.-]+:/.test(value);
}

/** Rejects URLs that carry credentials: tokens belong in GITHUB_TOKEN, never on disk. */
export function assertNoCredentials(url: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i.test(url) && !/^ssh:\/\//i.test(url)) {
    throw new GitloreError(ERROR_CODES.USAGE, 'The repository URL contains credentials.', {
      hint: 'Remove the user:token@ part and set GITHUB_TOKEN instead; tokens are never stored in URLs.',
    });
  }
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
