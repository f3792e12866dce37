import type { DiscoveredRepo } from '../sources/index.js';
import type { RepoRecord } from '../store/index.js';

/** Names are folder names and CLI arguments: letters, digits, `.`, `_`, `-`; not starting with `.`. */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

export function sanitizeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return (clean || 'repo').slice(0, 100);
}

/** Same repository whatever the spelling: case, trailing `.git` and `/` ignored. */
export function urlKey(url: string): string {
  return url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .toLowerCase();
}

export interface NamedRepo {
  repo: DiscoveredRepo;
  name: string;
  /** The registered record this repo already is, if any. */
  existing: RepoRecord | null;
}

/**
 * Gives each discovered repository a unique name. A repository already registered
 * (same clone URL) keeps its name. A new one gets its own name; when that is taken by a
 * different repository it becomes `owner-name` (then `owner-name-2`, …). A repository
 * listed by two sources (an org and a user) is kept once, from the first source.
 */
export function assignNames(discovered: DiscoveredRepo[], existing: RepoRecord[]): NamedRepo[] {
  const byUrl = new Map(existing.map((r) => [urlKey(r.cloneUrl), r]));
  const taken = new Set(existing.map((r) => r.name.toLowerCase()));
  const seen = new Set<string>();
  const out: NamedRepo[] = [];
  for (const repo of discovered) {
    const key = urlKey(repo.cloneUrl);
    if (seen.has(key)) continue;
    seen.add(key);
    const record = byUrl.get(key) ?? null;
    if (record) {
      out.push({ repo, name: record.name, existing: record });
      continue;
    }
    const base = sanitizeName(repo.name);
    const candidates = [base, ...(repo.owner ? [sanitizeName(`${repo.owner}-${repo.name}`)] : [])];
    let name = candidates.find((c) => !taken.has(c.toLowerCase()));
    for (let i = 2; !name; i++) {
      const c = `${candidates.at(-1)}-${i}`;
      if (!taken.has(c.toLowerCase())) name = c;
    }
    taken.add(name.toLowerCase());
    out.push({ repo, name, existing: null });
  }
  return out;
}
