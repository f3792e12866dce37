import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { HistoryCommitInput, RepoRecord, Store } from '../store/index.js';
import { runGit } from './git.js';
import { streamGitLog } from './gitLog.js';

export interface IngestResult {
  added: number;
  removed: number;
  durationMs: number;
}

const BATCH = 2000;

function mailmapHash(localPath: string): string {
  const file = join(localPath, '.mailmap');
  const content = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  return createHash('sha1').update(content).digest('hex');
}

/**
 * Brings the stored history of `repo` up to its checked-out HEAD (the default
 * branch after a sync). Incremental: only commits not stored yet are read.
 * When the stored head is no longer an ancestor (force-push), commits that are
 * no longer reachable are deleted and the new ones added; a changed .mailmap
 * re-ingests everything so names stay consistent.
 */
export async function ingestHistory(
  deps: { store: Store; log: Logger },
  repo: RepoRecord,
  options: { signal?: AbortSignal } = {},
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
  }
  if (head === null) {
    // Empty repository: nothing reachable.
    if (state && state.commitCount > 0) removed += await store.history.deleteAll(repo.id);
    await store.history.setState(repo.id, { head: null, mailmapHash: mailmap, ingestedAt: new Date().toISOString() });
    return { added: 0, removed, durationMs: performance.now() - started };
  }
  if (!state && (await store.history.maxSeq(repo.id)) > 0) {
    // A first ingest was interrupted: start over rather than guess the order of what is there.
    removed += await store.history.deleteAll(repo.id);
  }
  if (state && state.head === head) {
    return { added: 0, removed, durationMs: performance.now() - started };
  }

  let revs: string[] | undefined;
  let stdinRevs: string[] | undefined;
  let count: number;
  const storedCount = state?.commitCount ?? 0;
  const fastForward =
    state?.head &&
    storedCount > 0 &&
    (await runGit(cwd, ['merge-base', '--is-ancestor', state.head, head], { signal, allowFail: true })) !== null;
  if (!state || storedCount === 0) {
    revs = [head];
    count = Number((await runGit(cwd, ['rev-list', '--count', head], { signal }))?.trim());
  } else if (fastForward && state.head) {
    // Normal push: only what is new since the stored head.
    revs = [head, `^${state.head}`];
    count = Number((await runGit(cwd, ['rev-list', '--count', head, `^${state.head}`], { signal }))?.trim());
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
    let index = 0;
    let pending: (HistoryCommitInput & { seq: number })[] = [];
    for await (const batch of streamGitLog({ cwd, revs, stdinRevs, signal })) {
      for (const commit of batch) pending.push({ ...commit, seq: base - index++ });
      // A first ingest commits in batches (restartable from scratch); an update is one transaction.
      if (pending.length >= BATCH && storedCount === 0) {
        signal?.throwIfAborted();
        added += await store.history.insertCommits(repo.id, pending);
        pending = [];
      }
    }
    if (pending.length > 0) added += await store.history.insertCommits(repo.id, pending);
  }
  signal?.throwIfAborted();
  await store.history.setState(repo.id, { head, mailmapHash: mailmap, ingestedAt: new Date().toISOString() });
  const durationMs = performance.now() - started;
  log.debug('history ingested', { repo: repo.name, added, removed, ms: Math.round(durationMs) });
  return { added, removed, durationMs };
}
