import { withSharedReader } from '../git/index.js';
import { formatIsoWithOffset } from '../history/index.js';
import { type BlameCommit, type BlameRange, lastCommitOf } from '../shared/blame.js';
import type { BlameKey, RepoRecord } from '../store/index.js';
import { credentialsFor } from '../sync/index.js';
import { type BlameJob, blameRunner } from './blameRunner.js';
import type { RequestContext } from './context.js';
import { type FileSlice, type GetFileParams, getFile } from './files.js';
import { resolveRepo } from './repoGate.js';

/** The last commit that changed a range of lines, as hits and blame answers carry it. */
export interface LastChange {
  hash: string;
  author: string;
  email: string;
  /** Author date, ISO 8601 with the author's offset (as `log --json`). */
  date: string;
  subject: string;
}

/**
 * Why a hit has no `lastChange`: `pending`, its blame was not ready within the search's budget (it is being
 * computed, and the next search has it); `unavailable`, it cannot be computed (no clone, or git failed).
 */
export type LastChangeStatus = 'pending' | 'unavailable';

/** A commit of a blame answer: the last change's fields and whether history was cut there (`boundary`). */
export interface BlameCommitView extends LastChange {
  boundary: boolean;
}

export function commitView(commit: BlameCommit): BlameCommitView {
  return {
    hash: commit.hash,
    author: commit.author,
    email: commit.email,
    date: formatIsoWithOffset(commit.authorTime, commit.authorTz),
    subject: commit.subject,
    boundary: commit.boundary,
  };
}

function lastChangeOf(range: BlameRange): LastChange | null {
  const commit = lastCommitOf(range);
  if (!commit) return null;
  const { boundary: _, ...view } = commitView(commit);
  return view;
}

/** Blob ids of `<commit>:<path>`, remembered: a commit's tree never changes. */
const blobIds = new Map<string, string | null>();
const MAX_BLOB_IDS = 20_000;

async function blobId(repo: RepoRecord, commit: string, path: string, ctx: RequestContext): Promise<string | null> {
  const key = `${repo.localPath}\0${commit}\0${path}`;
  const known = blobIds.get(key);
  if (known !== undefined) return known;
  const info = await withSharedReader(repo.localPath, credentialsFor(ctx.services, repo), (reader) => reader.info(`${commit}:${path}`));
  const blob = info?.type === 'blob' ? info.oid : null;
  if (blobIds.size >= MAX_BLOB_IDS) blobIds.clear();
  blobIds.set(key, blob);
  return blob;
}

/** A range of one file, where to find it, for lastChanges. */
export interface RangeAt {
  repo: RepoRecord;
  /** The commit whose file the lines are of (the indexed one, for hits); null when unknown. */
  commit: string | null;
  path: string;
  startLine: number;
  endLine: number;
}

export type LastChangeAnswer = { lastChange: LastChange } | { lastChangeStatus: LastChangeStatus };

/**
 * The last change of each range, from the cache, or from `git blame` when it answers within `budgetMs`; ranges not
 * ready by then are `pending` (their blame goes on and fills the cache). Never fails: a range it cannot blame
 * is `unavailable`.
 */
export async function lastChanges(ranges: readonly RangeAt[], budgetMs: number, ctx: RequestContext): Promise<LastChangeAnswer[]> {
  const deadline = performance.now() + budgetMs;
  const app = ctx.services;
  const unavailable: LastChangeAnswer = { lastChangeStatus: 'unavailable' };
  const pending: LastChangeAnswer = { lastChangeStatus: 'pending' };
  const keys = await Promise.all(
    ranges.map(async (r): Promise<BlameKey | null> => {
      if (!r.commit || r.endLine < r.startLine) return null;
      const blob = await blobId(r.repo, r.commit, r.path, ctx).catch(() => null);
      return blob ? { repoId: r.repo.id, path: r.path, blob, startLine: r.startLine, endLine: r.endLine } : null;
    }),
  );
  const present = keys.filter((k): k is BlameKey => k !== null);
  // A cache that cannot be read (a damaged or full database) costs the hits their last change, never the search.
  const cached = present.length > 0 ? await app.store.blame.get(present).catch(() => null) : [];
  if (cached === null) return ranges.map(() => unavailable);
  const answers: (LastChangeAnswer | Promise<LastChangeAnswer>)[] = [];
  let next = 0;
  for (const [i, key] of keys.entries()) {
    const range = ranges[i] as RangeAt;
    if (!key || !range.commit) {
      answers.push(unavailable);
      continue;
    }
    const hit = cached[next++];
    if (hit) {
      const change = lastChangeOf(hit);
      answers.push(change ? { lastChange: change } : unavailable);
      continue;
    }
    if (!blameRunner.hasRoom(key)) {
      answers.push(pending);
      continue;
    }
    const job: BlameJob = { ...key, commit: range.commit, localPath: range.repo.localPath, credentials: credentialsFor(app, range.repo) };
    answers.push(
      blameRunner.run(app.git, app.store, job).then(
        (computed): LastChangeAnswer => {
          const change = lastChangeOf(computed);
          return change ? { lastChange: change } : unavailable;
        },
        (): LastChangeAnswer => unavailable,
      ),
    );
  }
  const waitMs = Math.max(0, deadline - performance.now());
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
  });
  try {
    return await Promise.all(
      answers.map((answer) => (answer instanceof Promise ? Promise.race([answer, late.then(() => pending)]) : answer)),
    );
  } finally {
    clearTimeout(timer);
  }
}

export type BlameParams = GetFileParams;

/** Lines start..end attributed to one commit, at consecutive lines of `origPath` in it. */
export interface BlameGroup {
  startLine: number;
  endLine: number;
  hash: string;
  origPath: string;
  origStartLine: number;
}

export interface BlameAnswer extends FileSlice {
  /** The newest commit among the range's attributions (by committer date); null for an empty range. */
  lastChange: LastChange | null;
  groups: BlameGroup[];
  /** Each commit the groups name, once. */
  commits: BlameCommitView[];
}

/**
 * `gitlore blame`, the `blame` tool and GET /api/blame/:repo/*: the lines of a file (as get_file reads them, at the
 * synced HEAD or `ref`), each attributed to the commit that last changed it, as `git blame -L` says; cached by
 * (repository, path, blob, range).
 */
export async function blameFile(params: BlameParams, ctx: RequestContext): Promise<BlameAnswer> {
  const slice = await getFile(params, ctx);
  const empty = { ...slice, lastChange: null, groups: [], commits: [] };
  if (slice.totalLines === 0 || slice.endLine < slice.startLine) return empty;
  const repo = await resolveRepo(ctx, slice.repo);
  const blob = await blobId(repo, slice.commit, slice.path, ctx);
  if (!blob) return empty;
  const key: BlameKey = { repoId: repo.id, path: slice.path, blob, startLine: slice.startLine, endLine: slice.endLine };
  const [cached] = await ctx.services.store.blame.get([key]);
  const range =
    cached ??
    (await waitFor(
      blameRunner.run(ctx.services.git, ctx.services.store, {
        ...key,
        commit: slice.commit,
        localPath: repo.localPath,
        credentials: credentialsFor(ctx.services, repo),
      }),
      ctx.signal,
    ));
  return {
    ...slice,
    lastChange: lastChangeOf(range),
    groups: range.spans.map((s) => ({
      startLine: s.startLine,
      endLine: s.startLine + s.lineCount - 1,
      hash: s.hash,
      origPath: s.origPath,
      origStartLine: s.origStartLine,
    })),
    commits: range.commits.map(commitView),
  };
}

/** The promise, or ABORTED when the caller goes away first (the work itself goes on and fills the cache). */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
