/** A repository a source reported, before it gets its unique gitlore name. */
export interface DiscoveredRepo {
  /** Preferred short name (GitHub repo name, URL's last segment, folder name). */
  name: string;
  /** Owner (GitHub login) or parent folder, used to disambiguate equal names. */
  owner: string | null;
  /** Same values as the store's RepoSourceType; sources sit below the store and do not import it. */
  sourceType: 'github' | 'git' | 'local';
  /** Which configured source produced it: `github:org/acme`, `git:<url>`, `local:<path>`. */
  sourceKey: string;
  fullName: string;
  cloneUrl: string;
  htmlUrl: string | null;
  defaultBranch: string | null;
  description: string | null;
  language: string | null;
  isPrivate: boolean;
  isFork: boolean;
  isArchived: boolean;
  /** GitHub `pushed_at` (ISO), null for other sources. */
  pushedAt: string | null;
}

/** What git URLs and local folders cannot tell (GitHub's API fills these in for its repos). */
export const NO_HOST_METADATA = {
  defaultBranch: null,
  description: null,
  language: null,
  isPrivate: false,
  isFork: false,
  isArchived: false,
  pushedAt: null,
} as const satisfies Partial<DiscoveredRepo>;
