import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { GitCredentials } from '../git/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { HistoryCommitInput, RepoRecord, Store } from '../store/index.js';
import { type DiffIndexResult, indexDiffs } from './diffIndex.js';
import { runGit } from './git.js';
import { type GitLogOptions, streamGitLog } from './gitLog.js';

export interface IngestResult {
  added: number;
  removed: number;
  durationMs: number;
  /** What the diff index did; absent when it was not asked for. */
  diffs?: DiffIndexResult;
}

/**
 * What an ingest stores. 2: merges' paths changed against their first parent. A history stored in an older
 * format is ingested again.
 */
export const HISTORY_FORMAT_VERSION = 2;

/**
 * Commits per transaction of a first ingest. SQLite's insert holds the thread while it writes (65-120 ms at 250,
 * so 100); PostgreSQL's does not, and fewer, larger batches cost less there.
 */
const BATCH = { sqlite: 100, postgres: 1000 } as const;
/** Below this many new commits one git process is fastest. */
const PARALLEL_MIN_COMMITS = 20_000;
const MAX_GIT_WORKERS = 4;

function mailmapHash(localPath: string): string {
  const file = join(localPath, '.mailmap');
  const content = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  return createHash('sha1').update(content).digest('hex');
}

/**
 * Brings the stored history of `repo` up to its checked-out HEAD (the default
 * branch after a sync), then (unless `diffs: false`) its diff index up to the
 * stored commits: only what is new, or what an older install never indexed.
 */
export async function ingestHistory(
  deps: { store: Store; log: Logger },
  repo: RepoRecord,
  /**
   * `credentials`: the token for the clone's remote, should git need to fetch an object. `diffs: false` leaves the
   * diff index as it is (a request that needs the history now does not wait for a first diff index).
   */
  options: { signal?: AbortSignal; credentials?: GitCredentials | null; diffs?: boolean } = {},
): Promise<IngestResult> {
  const result = await ingestCommits(deps, repo, options);
  if (options.diffs === false || !existsSync(repo.localPath)) return result;
  const diffs = await indexDiffs(deps, repo, options);
  return { ...result, diffs, durationMs: result.durationMs + diffs.durationMs };
}

/**
 * The commits part of ingestHistory. Incremental: only commits not stored yet are read.
 * When the stored head is no longer an ancestor (force-push), commits that are
 * no longer reachable are deleted and the new ones added; a changed .mailmap
 * re-ingests everything so names stay consistent.
 */
async function ingestCommits(
  deps: { store: Store; log: Logger },
  repo: RepoRecord,
  options: { signal?: AbortSignal; credentials?: GitCredentials | null },
): Promise<IngestResult> {
  const started = performance.now();
  const { store, log } = deps;
  const signal = options.signal;
  const cwd = repo.localPath;
  if (!existsSync(cwd)) {
    throw new GitloreError(ERROR_CODES.NOT_SYNCED, `Repository ${repo.name} has no clone at ${cwd}.`, {
      hint: `Run \`gitlore sync repo ${repo.name}\` first.`,
    });
  }
  const head = (await runGit(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { signal, allowFail: true }))?.trim() || null;
  const mailmap = mailmapHash(cwd);
  let state = await store.history.getState(repo.id);
  let removed = 0;

  if (state && state.mailmapHash !== mailmap && state.commitCount > 0) {
    log.info('.mailmap changed; re-ingesting history', { repo: repo.name });
    removed += await store.history.deleteAll(repo.id);
    state = null;
  } else if (state && state.formatVersion < HISTORY_FORMAT_VERSION && state.commitCount > 0) {
    log.info('history stored in an older format; re-ingesting', { repo: repo.name });
    removed += await store.history.deleteAll(repo.id);
    state = null;
  }
  if (head === null) {
    // Empty repository: nothing reachable.
    if (state && state.commitCount > 0) removed += await store.history.deleteAll(repo.id);
    await store.history.setState(repo.id, {
      head: null,
      mailmapHash: mailmap,
      formatVersion: HISTORY_FORMAT_VERSION,
      ingestedAt: new Date().toISOString(),
    });
    return { added: 0, removed, durationMs: performance.now() - started };
  }
  if (!state && (await store.history.maxSeq(repo.id)) > 0) {
    // A first ingest was interrupted: start over rather than guess the order of what is there.
    removed += await store.history.deleteAll(repo.id);
  }
  if (state && state.head === head) {
    return { added: 0, removed, durationMs: performance.now() - started };
  }

  let stdinRevs: string[];
  let count: number;
  const storedCount = state?.commitCount ?? 0;
  const fastForward =
    state?.head &&
    storedCount > 0 &&
    (await runGit(cwd, ['merge-base', '--is-ancestor', state.head, head], { signal, allowFail: true })) !== null;
  if (!state || storedCount === 0 || (fastForward && state.head)) {
    // First ingest, or a normal push (only what is new since the stored head).
    const range = state?.head && fastForward ? [head, `^${state.head}`] : [head];
    stdinRevs = ((await runGit(cwd, ['rev-list', ...range], { signal })) ?? '').split('\n').filter(Boolean);
    count = stdinRevs.length;
  } else {
    // History was rewritten (or an earlier ingest was interrupted): reconcile by set difference.
    const reachable = ((await runGit(cwd, ['rev-list', head], { signal })) ?? '').split('\n').filter(Boolean);
    const reachableSet = new Set(reachable);
    const stored = new Set(await store.history.listHashes(repo.id));
    const gone = [...stored].filter((h) => !reachableSet.has(h));
    if (gone.length > 0) {
      log.info('history rewritten; dropping unreachable commits', { repo: repo.name, commits: gone.length });
      removed += await store.history.deleteCommits(repo.id, gone);
    }
    stdinRevs = reachable.filter((h) => !stored.has(h));
    count = stdinRevs.length;
  }

  let added = 0;
  if (count > 0) {
    const base = (await store.history.maxSeq(repo.id)) + count;
    // A first ingest commits in batches (restartable from scratch); an update is one transaction.
    const batched = storedCount === 0;
    let pending: (HistoryCommitInput & { seq: number })[] = [];
    const flush = async () => {
      const rows = pending;
      pending = [];
      // Not `added += await …`: that reads `added` before the wait, and the git slices flush concurrently.
      const inserted = rows.length > 0 ? await store.history.insertCommits(repo.id, rows) : 0;
      added += inserted;
      // SQLite's insert is synchronous: give a server's requests a turn between batches.
      await yieldToEventLoop();
    };
    // Several git processes over consecutive slices of the commit list for a large history;
    // each prints its slice in the order given, so a commit's seq follows from its position.
    // A blob-less partial clone (how sync clones from GitHub) has trees but not blobs:
    // detect renames by identical content only, so the ingest never goes to the network.
    const partial = (
      (await runGit(cwd, ['config', '--get-regexp', '^remote\\..*\\.promisor$'], { signal, allowFail: true })) ?? ''
    ).includes('true');
    const workers = count >= PARALLEL_MIN_COMMITS ? Math.min(MAX_GIT_WORKERS, availableParallelism()) : 1;
    const slices: { start: number; options: GitLogOptions }[] = [];
    if (workers > 1) {
      const list = stdinRevs ?? [];
      const size = Math.ceil(list.length / workers);
      for (let start = 0; start < list.length; start += size) {
        slices.push({
          start,
          options: { cwd, stdinRevs: list.slice(start, start + size), signal, credentials: options.credentials, exactRenamesOnly: partial },
        });
      }
    } else {
      slices.push({ start: 0, options: { cwd, stdinRevs, signal, credentials: options.credentials, exactRenamesOnly: partial } });
    }
    await Promise.all(
      slices.map(async (slice) => {
        let index = slice.start;
        for await (const batch of streamGitLog(slice.options)) {
          for (const commit of batch) pending.push({ ...commit, seq: base - index++ });
          if (batched && pending.length >= BATCH[store.kind]) {
            signal?.throwIfAborted();
            await flush();
          }
        }
      }),
    );
    await flush();
  }
  signal?.throwIfAborted();
  await store.history.setState(repo.id, {
    head,
    mailmapHash: mailmap,
    formatVersion: HISTORY_FORMAT_VERSION,
    ingestedAt: new Date().toISOString(),
  });
  const durationMs = performance.now() - started;
  log.debug('history ingested', { repo: repo.name, added, removed, ms: Math.round(durationMs) });
  return { added, removed, durationMs };
}
