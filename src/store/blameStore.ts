import type { BlameCommit, BlameRange, BlameSpan } from '../shared/blame.js';

/**
 * Cache of `git blame` answers for line ranges (core/lastChange.ts fills it on demand). The key is the file's content
 * (its blob id) and the range, within one repository and path: a copy of the file elsewhere, or in a fork, has a
 * different history. Everything here can be computed again from the clone, so recovery and migration may drop it.
 */
export interface BlameKey {
  repoId: number;
  path: string;
  blob: string;
  startLine: number;
  endLine: number;
}

/** A cached answer: the commit it was computed at and the attributions. */
export interface BlameEntry extends BlameKey, BlameRange {
  commit: string;
}

export interface BlameStore {
  /** The cached entries of `keys`, in their order (null where none is cached); one query however many keys. */
  get(keys: readonly BlameKey[]): Promise<(BlameEntry | null)[]>;
  /** Stores (or replaces) the entry of a key. */
  put(entry: BlameEntry): Promise<void>;
  /** Keeps the `keep` most recently stored entries and deletes the rest; answers how many were deleted. */
  prune(keep: number): Promise<number>;
  /** How many entries are cached. */
  count(): Promise<number>;
}

/** The row's two JSON columns, compact: spans as [hash index, start, count, orig start, path index]. */
export function encodeBlame(range: BlameRange): { spans: string; commits: string } {
  const hashIndex = new Map(range.commits.map((c, i) => [c.hash, i]));
  const paths: string[] = [];
  const pathIndex = new Map<string, number>();
  const spans = range.spans.map((s) => {
    let p = pathIndex.get(s.origPath);
    if (p === undefined) {
      p = paths.push(s.origPath) - 1;
      pathIndex.set(s.origPath, p);
    }
    return [hashIndex.get(s.hash) ?? -1, s.startLine, s.lineCount, s.origStartLine, p];
  });
  const commits = range.commits.map((c) => [
    c.hash,
    c.author,
    c.email,
    c.authorTime,
    c.authorTz,
    c.committerTime,
    c.subject,
    c.boundary ? 1 : 0,
  ]);
  return { spans: JSON.stringify({ paths, spans }), commits: JSON.stringify(commits) };
}

/** encodeBlame undone. */
export function decodeBlame(columns: { spans: string; commits: string }): BlameRange {
  const commitRows = JSON.parse(columns.commits) as [string, string, string, number, number, number, string, number][];
  const commits: BlameCommit[] = commitRows.map(([hash, author, email, authorTime, authorTz, committerTime, subject, boundary]) => ({
    hash,
    author,
    email,
    authorTime,
    authorTz,
    committerTime,
    subject,
    boundary: boundary === 1,
  }));
  const { paths, spans } = JSON.parse(columns.spans) as { paths: string[]; spans: [number, number, number, number, number][] };
  return {
    commits,
    spans: spans.map(
      ([c, startLine, lineCount, origStartLine, p]): BlameSpan => ({
        hash: commits[c]?.hash ?? '',
        startLine,
        lineCount,
        origStartLine,
        origPath: paths[p] ?? '',
      }),
    ),
  };
}

/** The key of an entry or request as one string, for matching rows to the keys asked. */
export function blameKeyString(key: BlameKey): string {
  return `${key.repoId}\0${key.path}\0${key.blob}\0${key.startLine}\0${key.endLine}`;
}

/** The columns both backends read, as the row type below names them. */
export const BLAME_COLUMNS =
  'repo_id AS "repoId", path, blob, start_line AS "startLine", end_line AS "endLine", commit_hash AS "commit", spans, commits';

export interface BlameRow extends BlameKey {
  commit: string;
  spans: string;
  commits: string;
}

/** Rows answered for `keys`, placed in the keys' order. */
export function entriesInOrder(keys: readonly BlameKey[], rows: readonly BlameRow[]): (BlameEntry | null)[] {
  const byKey = new Map(rows.map((row) => [blameKeyString(row), row]));
  return keys.map((key) => {
    const row = byKey.get(blameKeyString(key));
    if (!row) return null;
    const { repoId, path, blob, startLine, endLine, commit } = row;
    return { repoId, path, blob, startLine, endLine, commit, ...decodeBlame(row) };
  });
}

/** `(repo_id, path, blob, start_line, end_line) IN (…)` for `count` keys, with the placeholder style of the backend. */
export function blameKeysCondition(count: number, placeholder: (index: number) => string): string {
  const tuples = Array.from({ length: count }, (_, k) => `(${[0, 1, 2, 3, 4].map((i) => placeholder(k * 5 + i)).join(', ')})`);
  return `(repo_id, path, blob, start_line, end_line) IN (${tuples.join(', ')})`;
}

/** The parameters of blameKeysCondition, flat. */
export const blameKeyParams = (keys: readonly BlameKey[]): unknown[] =>
  keys.flatMap((k) => [k.repoId, k.path, k.blob, k.startLine, k.endLine]);
