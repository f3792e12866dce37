/**
 * Line attributions of `git blame`, as git computes them, the store caches them and every door shows them.
 * Pure types and functions: git/blame.ts produces them, store/blameStore.ts keeps them, core reads them.
 */

/** A commit some line of a blamed range is attributed to, with what git blame says of it. */
export interface BlameCommit {
  hash: string;
  author: string;
  email: string;
  /** Unix seconds. */
  authorTime: number;
  /** Minutes east of UTC (`+0530` → 330). */
  authorTz: number;
  /** Unix seconds; what "newest" compares. */
  committerTime: number;
  subject: string;
  /** git's `boundary`: a root commit, or where a shallow clone's history stops (older changes are not seen). */
  boundary: boolean;
}

/** Consecutive lines of the blamed file attributed to one commit, at consecutive lines of one path in it. */
export interface BlameSpan {
  hash: string;
  /** First line of the span in the blamed file (1-based). */
  startLine: number;
  lineCount: number;
  /** The line that commit gave the span's first line, in `origPath` (renames are followed). */
  origStartLine: number;
  origPath: string;
}

/** What `git blame -L start,end <commit> -- path` says of a range: spans in line order and each commit once. */
export interface BlameRange {
  spans: BlameSpan[];
  commits: BlameCommit[];
}

/**
 * The last commit that changed a range: the newest, by committer time, of the commits its lines are attributed to
 * (on a tie, the one whose lines come first). Null for an empty range.
 */
export function lastCommitOf(range: BlameRange): BlameCommit | null {
  const byHash = new Map(range.commits.map((c) => [c.hash, c]));
  let newest: BlameCommit | null = null;
  for (const span of range.spans) {
    const commit = byHash.get(span.hash);
    if (commit && (!newest || commit.committerTime > newest.committerTime)) newest = commit;
  }
  return newest;
}
