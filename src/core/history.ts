import { existsSync } from 'node:fs';
import {
  fillLineCounts,
  formatIsoWithOffset,
  ingestHistory,
  isCalendarDate,
  type PathHistory,
  parseDateBound,
  pathHistory,
  readPatch,
} from '../history/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { HistoryCommitRow, HistoryFileRow, PathSegment, RepoRecord } from '../store/index.js';
import { credentialsFor } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { type ContributorGrouping, groupContributors } from './contributors.js';
import { resolveRepo } from './repoGate.js';
import type { Services } from './services.js';

/** Timeline filters shared by `gitlore log`, `get_commit_timeline` and `GET /api/commits`. */
export interface TimelineParams {
  repo: string;
  /** File or folder (git pathspec semantics: a folder matches everything under it). */
  path?: string;
  /** Follow renames of a single file back through history (`git log --follow`). */
  follow?: boolean;
  /** Case-insensitive substring of `Name <email>` (mailmapped). */
  author?: string;
  /** Author-date bounds: ISO date/time, `YYYY-MM`, or `N weeks ago`; calendar dates use the author's local date. */
  since?: string;
  until?: string;
  /** Words that must all appear in the message (full-text, case-insensitive). */
  grep?: string;
  order?: 'newest' | 'oldest';
  /** Include merge commits (excluded by default, like `git log --no-merges`). */
  merges?: boolean;
  /** With a path: every commit that changed it (`git log --full-history`), not git's default simplification. */
  fullHistory?: boolean;
  /** Only the first commit(s): root commits, ordered by author date. */
  roots?: boolean;
  limit?: number;
  offset?: number;
  /** Attach each commit's changed files. */
  files?: boolean;
}

export interface TimelineFile {
  status: string;
  path: string;
  oldPath?: string;
}

export interface TimelineCommit {
  hash: string;
  /** ISO 8601 author date with the author's UTC offset. */
  date: string;
  author: string;
  email: string;
  subject: string;
  files?: TimelineFile[];
}

/**
 * Which commits a path's history holds. `default-simplification`: `git log -- path` (a merge that kept one
 * parent's version of the path is walked through that parent only, so side-branch commits whose change did not
 * survive are left out); `full-history`: `git log --full-history -- path`; `follow-renames`: `--follow` (every
 * commit that changed the file under each of its names); `all-commits`: no path.
 */
export type HistorySemantics = 'default-simplification' | 'full-history' | 'follow-renames' | 'all-commits';

export interface Timeline {
  total: number;
  commits: TimelineCommit[];
  semantics: HistorySemantics;
  /** Set when the answer only approximates `semantics`, saying why. */
  semanticsNote?: string;
}

export const DEFAULT_TIMELINE_LIMIT = 50;
export const MAX_TIMELINE_LIMIT = 10_000;

/**
 * Makes sure the repo's history is stored and at the synced head: ingests on
 * demand (incremental, so cheap) when it never was, or when the repo record's
 * head moved since. Without a clone, what is stored is used as is.
 */
export async function ensureHistory(app: Services, repo: RepoRecord, options: { signal?: AbortSignal } = {}): Promise<void> {
  options.signal?.throwIfAborted();
  const state = await app.store.history.getState(repo.id);
  if (state && (repo.headCommit === null || state.head === repo.headCommit)) return;
  if (!existsSync(repo.localPath)) {
    if (state) return;
    throw new GitloreError(ERROR_CODES.NOT_SYNCED, `Repository ${repo.name} is not cloned yet, so it has no history.`, {
      hint: `Run \`gitlore sync repo ${repo.name}\` first.`,
    });
  }
  // The diff index is left to `sync` and `index`: a request does not wait for a first one.
  await ingestHistory({ store: app.store, log: app.log.child('history') }, repo, {
    ...options,
    credentials: credentialsFor(app, repo),
    diffs: false,
  });
}

function toTimelineCommit(c: HistoryCommitRow & { files?: HistoryFileRow[] }): TimelineCommit {
  const out: TimelineCommit = {
    hash: c.hash,
    date: formatIsoWithOffset(c.authorTime, c.authorTz),
    author: c.authorName,
    email: c.authorEmail,
    subject: c.subject,
  };
  if (c.files)
    out.files = c.files.map((f) =>
      f.oldPath ? { status: f.status, path: f.path, oldPath: f.oldPath } : { status: f.status, path: f.path },
    );
  return out;
}

function cleanPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const p = path
    .trim()
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, '');
  if (p.split('/').includes('..')) {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, `The path ${JSON.stringify(path)} leaves the repository.`, {
      hint: 'Give a path relative to the repository root, e.g. src/index.ts.',
    });
  }
  return p === '' ? undefined : p;
}

/** Path segments for `--follow`: the file under each of its names, newest first, split at the renames. */
async function followSegments(app: Services, repoId: number, path: string): Promise<PathSegment[]> {
  const segments: PathSegment[] = [{ path, exact: true }];
  let current = path;
  let before: number | null = null;
  for (let step = 0; step < 1000; step++) {
    const renames = await app.store.history.renamesInto(repoId, current, before);
    const rename = renames[0];
    if (!rename) break;
    const last = segments[segments.length - 1];
    if (last) last.fromSeq = rename.seq;
    segments.push({ path: rename.oldPath, exact: true, beforeSeq: rename.seq });
    current = rename.oldPath;
    before = rename.seq;
  }
  return segments;
}

/** `git log` as data: the filtered, ordered commits of one repository and how many match in all. */
export async function commitTimeline(params: TimelineParams, ctx: RequestContext): Promise<Timeline> {
  ctx.signal.throwIfAborted();
  const app = ctx.services;
  const options = { signal: ctx.signal };
  const repo = await resolveRepo(ctx, params.repo);
  const limit = params.limit ?? DEFAULT_TIMELINE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TIMELINE_LIMIT) {
    throw new GitloreError(
      ERROR_CODES.QUERY_INVALID,
      `--limit must be a whole number from 1 to ${MAX_TIMELINE_LIMIT} (got ${params.limit}).`,
    );
  }
  const offset = params.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `--offset must be a whole number ≥ 0 (got ${params.offset}).`);
  }
  // A calendar date (2024-05-01, 2024-05) means that day in the author's own time zone, as `date` shows it.
  const bound = (value: string | undefined, which: 'since' | 'until') =>
    value ? { time: parseDateBound(value, which), local: isCalendarDate(value) } : null;
  const since = bound(params.since, 'since');
  const until = bound(params.until, 'until');
  const path = cleanPath(params.path);
  if (params.follow && !path) {
    throw new GitloreError(ERROR_CODES.USAGE, '--follow needs a file: give it with --path.');
  }
  await ensureHistory(app, repo, options);
  const semantics = historySemantics(path, params);
  // The full history without merges is every commit whose own change touched the path: the stored rows alone.
  const simplified =
    path && (semantics === 'default-simplification' || (semantics === 'full-history' && params.merges))
      ? await simplifiedHistory(app, repo, path, semantics, ctx.signal)
      : null;
  const paths = path && !simplified ? (params.follow ? await followSegments(app, repo.id, path) : [{ path }]) : undefined;
  const result = await app.store.history.timeline({
    repoId: repo.id,
    paths,
    seqs: simplified?.seqs,
    author: params.author?.trim() || undefined,
    since: since && !since.local ? since.time : null,
    until: until && !until.local ? until.time : null,
    localSince: since?.local ? since.time : null,
    localUntil: until?.local ? until.time : null,
    grep: params.grep?.trim() || undefined,
    merges: params.merges ? 'include' : 'exclude',
    roots: params.roots ?? false,
    order: params.order ?? 'newest',
    limit,
    offset,
    withFiles: params.files ?? false,
  });
  return {
    total: result.total,
    commits: result.commits.map(toTimelineCommit),
    semantics,
    ...(simplified && !simplified.exact ? { semanticsNote: APPROXIMATE_NOTE } : {}),
  };
}

const APPROXIMATE_NOTE =
  'approximate: the clone is not here to compare merges with their second parents, so merges that changed the path against their first parent are taken as changing it against every parent';

function historySemantics(path: string | undefined, params: { follow?: boolean; fullHistory?: boolean }): HistorySemantics {
  if (!path) return 'all-commits';
  if (params.follow) return 'follow-renames';
  return params.fullHistory ? 'full-history' : 'default-simplification';
}

function simplifiedHistory(
  app: Services,
  repo: RepoRecord,
  path: string,
  semantics: HistorySemantics,
  signal: AbortSignal,
): Promise<PathHistory> {
  return pathHistory(
    { store: app.store.history, log: app.log.child('history') },
    repo,
    path,
    semantics === 'full-history' ? 'full' : 'default',
    {
      signal,
      credentials: credentialsFor(app, repo),
    },
  );
}

/**
 * The last commit that changed `path`, as `git log -1 -- path` finds it: under git's default simplification, and a
 * merge counts when it changed the path against every parent (both sides had changed it).
 */
export async function lastChange(
  params: { repo: string; path: string },
  ctx: RequestContext,
): Promise<{ commit: TimelineCommit | null; semantics: HistorySemantics; semanticsNote?: string }> {
  const timeline = await commitTimeline({ repo: params.repo, path: params.path, merges: true, limit: 1 }, ctx);
  return {
    commit: timeline.commits[0] ?? null,
    semantics: timeline.semantics,
    ...(timeline.semanticsNote ? { semanticsNote: timeline.semanticsNote } : {}),
  };
}

export interface CommitFileDetail {
  path: string;
  status: string;
  oldPath?: string;
  /** null for binary files. */
  added: number | null;
  removed: number | null;
}

export interface CommitDetail {
  repo: string;
  hash: string;
  parents: string[];
  isMerge: boolean;
  author: string;
  email: string;
  date: string;
  committer: string;
  committerEmail: string;
  committerDate: string;
  subject: string;
  body: string;
  /** Full message: subject, blank line, body. */
  message: string;
  files: CommitFileDetail[];
  stats: { files: number; additions: number; deletions: number };
  url: string | null;
  /** With `patch: true`: the unified diff (against the first parent for a merge), at most MAX_PATCH_BYTES. */
  patch?: string;
  /** The patch was cut; its last line says so. */
  patchTruncated?: boolean;
}

/**
 * One commit with its message and changed files with line counts (`git show --numstat`); with `patch`, its diff
 * text too (`git show --patch`, size-bounded).
 */
export async function getCommitDetail(params: { repo: string; hash: string; patch?: boolean }, ctx: RequestContext): Promise<CommitDetail> {
  ctx.signal.throwIfAborted();
  const app = ctx.services;
  const options = { signal: ctx.signal };
  const hash = params.hash;
  const repo = await resolveRepo(ctx, params.repo);
  const wanted = hash.trim().toLowerCase();
  if (!/^[0-9a-f]{4,40}$/.test(wanted)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `${JSON.stringify(hash)} is not a commit hash.`, {
      hint: 'Give a full hash or a prefix of at least 4 hex digits, as printed by `gitlore log`.',
    });
  }
  await ensureHistory(app, repo, options);
  const found = await app.store.history.findCommit(repo.id, wanted);
  if (!found.commit) {
    if (found.ambiguous.length > 1) {
      throw new GitloreError(
        ERROR_CODES.QUERY_INVALID,
        `The prefix ${wanted} matches several commits in ${repo.name} (${found.ambiguous.slice(0, 5).join(', ')}).`,
        {
          hint: 'Give more digits of the hash.',
        },
      );
    }
    throw new GitloreError(ERROR_CODES.COMMIT_NOT_FOUND, `No commit ${wanted} in the history of ${repo.name}'s default branch.`, {
      hint: `Check the hash with \`gitlore log --repo ${repo.name}\`; run \`gitlore sync repo ${repo.name}\` if it is newer than the last sync.`,
    });
  }
  const c = found.commit;
  const stored = await app.store.history.commitFiles(c.id);
  const files = existsSync(repo.localPath)
    ? await fillLineCounts(app.store.history, repo.localPath, c, stored, { ...options, credentials: credentialsFor(app, repo) })
    : stored;
  const detailFiles: CommitFileDetail[] = files.map((f) => ({
    path: f.path,
    status: f.status,
    ...(f.oldPath ? { oldPath: f.oldPath } : {}),
    added: f.added === null || f.added < 0 ? null : f.added,
    removed: f.removed === null || f.removed < 0 ? null : f.removed,
  }));
  const message = c.body ? `${c.subject}\n\n${c.body}` : c.subject;
  let patch: { patch: string; patchTruncated: boolean } | null = null;
  if (params.patch) {
    if (!existsSync(repo.localPath)) {
      throw new GitloreError(
        ERROR_CODES.NOT_SYNCED,
        `${repo.name} has no clone here, so the patch of ${c.hash.slice(0, 10)} cannot be read.`,
        {
          hint: `Run \`gitlore sync repo ${repo.name}\`, or ask without the patch.`,
        },
      );
    }
    const read = await readPatch(repo.localPath, c, { ...options, credentials: credentialsFor(app, repo) });
    patch = { patch: read.text, patchTruncated: read.truncated };
  }
  return {
    repo: repo.name,
    hash: c.hash,
    parents: c.parents,
    isMerge: c.parents.length > 1,
    author: c.authorName,
    email: c.authorEmail,
    date: formatIsoWithOffset(c.authorTime, c.authorTz),
    committer: c.committerName,
    committerEmail: c.committerEmail,
    committerDate: formatIsoWithOffset(c.committerTime, c.committerTz),
    subject: c.subject,
    body: c.body,
    message,
    files: detailFiles,
    stats: {
      files: detailFiles.length,
      additions: detailFiles.reduce((n, f) => n + (f.added ?? 0), 0),
      deletions: detailFiles.reduce((n, f) => n + (f.removed ?? 0), 0),
    },
    url: repo.htmlUrl ? `${repo.htmlUrl.replace(/\/$/, '')}/commit/${c.hash}` : null,
    ...patch,
  };
}

export interface Contributor {
  name: string;
  email: string;
  commits: number;
  firstDate: string;
  lastDate: string;
}

export interface ContributorsParams {
  repo: string;
  /** File or folder; the whole repo when absent. */
  path?: string;
  limit?: number;
  /** Count merges too (`git shortlog` does; the default is `--no-merges`). */
  merges?: boolean;
  /** With a path: every commit that changed it (`--full-history`), not git's default simplification. */
  fullHistory?: boolean;
  /** `name` (default): one row per mailmapped name, as `git shortlog -sn`; `email`: per address; `identity`: per name and address (`-sne`). */
  groupBy?: ContributorGrouping;
}

export interface Contributors {
  repo: string;
  path: string | null;
  totalCommits: number;
  contributors: Contributor[];
  semantics: HistorySemantics;
  semanticsNote?: string;
  groupBy: ContributorGrouping;
  merges: boolean;
}

/**
 * Authors ranked by the commits of `path`'s history (file or folder; the whole repo when absent), grouped as
 * `git shortlog -sn [--no-merges] [--full-history] -- path` groups them; ties in name order.
 */
export async function getContributors(params: ContributorsParams, ctx: RequestContext): Promise<Contributors> {
  ctx.signal.throwIfAborted();
  const app = ctx.services;
  const repo = await resolveRepo(ctx, params.repo);
  const path = cleanPath(params.path);
  const merges = params.merges ?? false;
  const groupBy = params.groupBy ?? 'name';
  await ensureHistory(app, repo, { signal: ctx.signal });
  const semantics = historySemantics(path, { fullHistory: params.fullHistory });
  const simplified =
    path && (semantics === 'default-simplification' || merges) ? await simplifiedHistory(app, repo, path, semantics, ctx.signal) : null;
  const seqs = simplified ? (merges ? simplified.seqs : simplified.seqs.filter((s) => !simplified.merges.has(s))) : undefined;
  const rows = groupContributors(await app.store.history.contributors(repo.id, seqs ? { seqs } : { path, merges }), groupBy);
  const limit = params.limit ?? 20;
  return {
    repo: repo.name,
    path: path ?? null,
    semantics,
    ...(simplified && !simplified.exact ? { semanticsNote: APPROXIMATE_NOTE } : {}),
    groupBy,
    merges,
    totalCommits: rows.reduce((n, r) => n + r.commits, 0),
    contributors: rows.slice(0, limit).map((r) => ({
      name: r.name,
      email: r.email,
      commits: r.commits,
      firstDate: new Date(r.firstTime * 1000).toISOString(),
      lastDate: new Date(r.lastTime * 1000).toISOString(),
    })),
  };
}

/** The repo's root commits (several after unrelated histories were merged), oldest author date first. */
export async function firstCommits(params: { repo: string }, ctx: RequestContext): Promise<TimelineCommit[]> {
  const app = ctx.services;
  const repo = await resolveRepo(ctx, params.repo);
  await ensureHistory(app, repo, { signal: ctx.signal });
  return (await app.store.history.rootCommits(repo.id)).map(toTimelineCommit);
}

/** Non-merge commits per week (weeks start Monday, UTC) for charts; weeks without commits are filled with 0. */
export async function commitActivity(
  params: { repo: string; path?: string; since?: string },
  ctx: RequestContext,
): Promise<{ repo: string; weeks: { week: string; commits: number }[] }> {
  const app = ctx.services;
  const repo = await resolveRepo(ctx, params.repo);
  await ensureHistory(app, repo, { signal: ctx.signal });
  const since = params.since ? parseDateBound(params.since, 'since') : null;
  const rows = await app.store.history.weeklyActivity(repo.id, { path: cleanPath(params.path), since });
  const weeks: { week: string; commits: number }[] = [];
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last) {
    const counts = new Map(rows.map((r) => [r.weekStart, r.commits]));
    for (let w = first.weekStart; w <= last.weekStart; w += 604800) {
      weeks.push({ week: new Date(w * 1000).toISOString().slice(0, 10), commits: counts.get(w) ?? 0 });
    }
  }
  return { repo: repo.name, weeks };
}
