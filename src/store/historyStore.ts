/**
 * Commit history storage. Owned by src/history: ingest writes through the
 * write methods, core/history.ts reads through the queries.
 * Times are unix seconds; offsets are minutes east of UTC (git's `-0700` is -420).
 */

/** Change status of one file in one commit, as `git log --name-status` prints it (score dropped). */
export type FileStatus = 'A' | 'M' | 'D' | 'R' | 'C' | 'T' | 'U' | 'X';

export interface HistoryFileInput {
  status: FileStatus;
  path: string;
  /** Source path of a rename or copy. */
  oldPath: string | null;
}

export interface HistoryCommitInput {
  hash: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorTime: number;
  authorTz: number;
  committerName: string;
  committerEmail: string;
  committerTime: number;
  committerTz: number;
  subject: string;
  body: string;
  /**
   * Files changed against the first parent. A merge's are stored apart from the others' (only its paths, for
   * history simplification: `git log -- path` walks past a merge that did not change the path against a parent).
   */
  files: HistoryFileInput[];
}

/** What the last ingest of a repo saw. */
export interface HistoryState {
  head: string | null;
  /** Hash of the `.mailmap` the stored names were mapped with; a change re-ingests. */
  mailmapHash: string | null;
  /** What the ingest stored (HISTORY_FORMAT_VERSION); an older format is ingested again. */
  formatVersion: number;
  commitCount: number;
  ingestedAt: string | null;
}

export type HistoryCommitRow = Omit<HistoryCommitInput, 'files'> & { id: number; seq: number };

export interface HistoryFileRow {
  status: FileStatus;
  path: string;
  oldPath: string | null;
  /** Line counts; null while not computed yet, -1 for binary files. */
  added: number | null;
  removed: number | null;
}

/** One path constraint: commits changing `path` (or anything under it, unless `exact`), optionally within a seq window. */
export interface PathSegment {
  path: string;
  exact?: boolean;
  /** Only commits with seq strictly below this (rename following). */
  beforeSeq?: number | null;
  /** Only commits with seq at or above this (rename following). */
  fromSeq?: number | null;
}

export interface TimelineQuery {
  repoId: number;
  /** Any of the segments matches (OR). Absent: every commit. */
  paths?: PathSegment[];
  /** Case-insensitive substring of `Name <email>`. */
  author?: string;
  /** Author time bounds, unix seconds, inclusive. */
  since?: number | null;
  until?: number | null;
  /** Bounds on the author's local wall-clock time (author_time + offset), as unix seconds of that wall-clock in UTC. */
  localSince?: number | null;
  localUntil?: number | null;
  /** Full-text words over subject and body; all must match. */
  grep?: string;
  merges?: 'exclude' | 'include' | 'only';
  /** Only root commits (no parents), ordered by author date instead of `git log` order. */
  roots?: boolean;
  order?: 'newest' | 'oldest';
  limit?: number;
  offset?: number;
  withFiles?: boolean;
  /**
   * Only the commits with these seqs (a path's simplified history, computed by the caller), in this order newest
   * first; `paths` is then ignored. Merges among them still follow `merges`.
   */
  seqs?: readonly number[];
}

export interface TimelineResult {
  total: number;
  commits: (HistoryCommitRow & { files?: HistoryFileRow[] })[];
}

export interface ContributorRow {
  name: string;
  email: string;
  commits: number;
  firstTime: number;
  lastTime: number;
}

export interface ContributorsQuery {
  /** File or folder: non-merge commits changing it (every commit that did, `git log --full-history`). */
  path?: string;
  /** Only the commits with these seqs, merges among them included (a simplified history); `path` is then ignored. */
  seqs?: readonly number[];
  /** Without path or seqs: count merges too (`git shortlog` does; the default leaves them out). */
  merges?: boolean;
  limit?: number;
}

/** One stored commit's place in the graph. */
export interface GraphRow {
  seq: number;
  hash: string;
  parents: string[];
  /** Unix seconds: what git's walk orders by. */
  committerTime: number;
}

/** The commits whose changes touch a path (the file, or anything under the folder). */
export interface PathTouches {
  /** Seqs of non-merge commits (against their parent; roots against the empty tree). */
  commits: number[];
  /** Seqs of merges that changed it against their first parent. */
  merges: number[];
}

export interface RenameStep {
  /** seq of the commit that renamed `oldPath` to `path`. */
  seq: number;
  path: string;
  oldPath: string;
}

/** One changed line kept for display: `+` added (line number in the new file) or `-` removed (in the old file). */
export interface DiffLineRow {
  kind: '+' | '-';
  line: number;
  text: string;
}

/** One file's change in one commit, as the diff index stores it. */
export interface DiffFileInput {
  path: string;
  /** The first changed lines (bounded), in patch order. */
  lines: DiffLineRow[];
  /** Distinct code tokens of every added line / every removed line of the file's change (not only the kept ones). */
  addedTerms: string[];
  removedTerms: string[];
}

/** A commit's diff index entry: its files, or why none are indexed. */
export interface CommitDiffInput {
  hash: string;
  /** Why the whole commit is left out (too many files), or null. */
  skipped: string | null;
  files: DiffFileInput[];
}

/** A term a matching file change must hold: in its added lines, its removed lines, or either. */
export interface DiffTerm {
  term: string;
  side: 'any' | 'added' | 'removed';
}

/** Which file changes match (each condition holds within one file of one commit), and which commits to return. */
export interface DiffSearchQuery {
  repoId: number;
  /** Every one of these. */
  all: DiffTerm[];
  /** At least one alternative of each group. */
  anyOf: DiffTerm[][];
  /** None of these, in added or removed lines. */
  none: string[];
  /** Case-insensitive substring of `Name <email>`. */
  author?: string;
  since?: number | null;
  until?: number | null;
  order: 'newest' | 'oldest';
  /** Commits at most. */
  limit: number;
}

/** A commit with its file changes that matched. */
export interface DiffSearchRow {
  commit: HistoryCommitRow;
  files: { path: string; lines: DiffLineRow[] }[];
}

/** How far the diff index of a repo is. */
export interface DiffIndexStats {
  /** Non-merge commits whose diffs are indexed (in the current format), skipped ones included. */
  commits: number;
  /** Commits left out whole (too many files). */
  skippedCommits: number;
  /** File changes indexed. */
  files: number;
  /** Non-merge commits not indexed yet (or in an older format). */
  pending: number;
}

/** The query side of the store, which each backend implements in its own module. */
export type HistoryReadMethod =
  | 'timeline'
  | 'findCommit'
  | 'commitFiles'
  | 'renamesInto'
  | 'contributors'
  | 'rootCommits'
  | 'weeklyActivity'
  | 'commitGraph'
  | 'pathTouches'
  | 'searchDiffs'
  | 'diffStats';

/** The writing half of HistoryStore (each backend implements it in its own module). */
export type HistoryWriteMethod =
  | 'getState'
  | 'setState'
  | 'listHashes'
  | 'maxSeq'
  | 'insertCommits'
  | 'deleteCommits'
  | 'deleteAll'
  | 'setLineCounts'
  | 'pendingDiffs'
  | 'writeDiffs';

export interface HistoryStore {
  getState(repoId: number): Promise<HistoryState | null>;
  setState(repoId: number, state: Omit<HistoryState, 'commitCount'>): Promise<void>;
  /** Every stored hash of the repo. */
  listHashes(repoId: number): Promise<string[]>;
  maxSeq(repoId: number): Promise<number>;
  /** Inserts commits with their seq (higher = newer in `git log` order); existing hashes are skipped. Returns how many were added. */
  insertCommits(repoId: number, commits: (HistoryCommitInput & { seq: number })[]): Promise<number>;
  deleteCommits(repoId: number, hashes: string[]): Promise<number>;
  deleteAll(repoId: number): Promise<number>;

  timeline(query: TimelineQuery): Promise<TimelineResult>;
  /** By full hash or unique prefix (≥4 hex chars). Throws nothing; `ambiguous` lists candidates. */
  findCommit(repoId: number, hashOrPrefix: string): Promise<{ commit: HistoryCommitRow | null; ambiguous: string[] }>;
  commitFiles(commitId: number): Promise<HistoryFileRow[]>;
  setLineCounts(commitId: number, counts: { path: string; added: number; removed: number }[]): Promise<void>;
  /** Renames into `path` (newest first) among commits with seq < beforeSeq. */
  renamesInto(repoId: number, path: string, beforeSeq: number | null): Promise<RenameStep[]>;
  /** Commits per author identity (name + email), most first: see ContributorsQuery for which commits count. */
  contributors(repoId: number, options?: ContributorsQuery): Promise<ContributorRow[]>;
  /** Every stored commit with its parents, by seq (the graph history simplification walks). */
  commitGraph(repoId: number): Promise<GraphRow[]>;
  /** Which commits changed `path` (file or folder), merges against their first parent apart. */
  pathTouches(repoId: number, path: string): Promise<PathTouches>;
  /** Root commits (no parents), oldest author date first. */
  rootCommits(repoId: number): Promise<HistoryCommitRow[]>;
  /** Non-merge commits per ISO week (Monday, UTC), oldest first. */
  weeklyActivity(repoId: number, options?: { path?: string; since?: number | null }): Promise<{ weekStart: number; commits: number }[]>;

  /** Non-merge commits without a diff index entry of `format`, oldest first, each with its number of changed files. */
  pendingDiffs(repoId: number, format: number): Promise<{ hash: string; files: number }[]>;
  /** Stores the diff index entries of commits (replacing older ones) and marks them done in `format`. */
  writeDiffs(repoId: number, format: number, commits: CommitDiffInput[]): Promise<void>;
  /** Commits with a matching file change, by seq (newest or oldest first), with the matching file changes. */
  searchDiffs(query: DiffSearchQuery): Promise<DiffSearchRow[]>;
  diffStats(repoId: number, format: number): Promise<DiffIndexStats>;
}
