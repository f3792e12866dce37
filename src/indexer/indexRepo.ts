import { existsSync } from 'node:fs';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { skipReasonForContent, skipReasonForPath } from '../shared/languages.js';
import type { Logger } from '../shared/logger.js';
import type { IndexFileInput, RepoRecord, Store } from '../store/index.js';
import { BlobReader, listTree, type TreeEntry } from './gitFiles.js';
import { prepareFile } from './prepareFile.js';
import { createPreparer, type Preparer } from './preparePool.js';
import { underRoots, VendorLayout } from './vendored.js';

export interface IndexRepoOptions {
  full?: boolean;
  signal?: AbortSignal;
  /** Files above this size are skipped. */
  maxFileBytes: number;
  /** Source bytes being parsed ahead of the writer (bounded by GITLORE_MAX_MEMORY_GB); a quarter of it per write transaction. */
  batchBytes: number;
  onFile?: (done: number, total: number, path: string) => void;
  log: Logger;
  /** Parser worker threads; default: one per core, 0 = parse on the calling thread. */
  workers?: number;
  /**
   * Parser workers shared across repositories (started once per run by the caller, on first
   * need); without it, a repo with many files starts and stops its own.
   */
  sharedPreparer?: () => Promise<Preparer>;
  /** Called once every file has been read and handed to the parsers (what is left is parsing and writing). */
  onAllRead?: () => void;
}

export interface RepoIndexResult {
  repo: string;
  status: 'indexed' | 'unchanged' | 'failed' | 'skipped';
  commit: string | null;
  added: number;
  changed: number;
  removed: number;
  skipped: number;
  files: number;
  chunks: number;
  bytes: number;
  durationMs: number;
  errors: string[];
}

/** A result with every count at zero, filled in as a run goes (or reported as is for a failed repo). */
export function emptyIndexResult(repo: string, status: RepoIndexResult['status'], errors: string[] = []): RepoIndexResult {
  return { repo, status, commit: null, added: 0, changed: 0, removed: 0, skipped: 0, files: 0, chunks: 0, bytes: 0, durationMs: 0, errors };
}

const MAX_ERRORS = 50;
/**
 * Bump when chunking, symbols or lexical tokens change: an index built by an
 * older version re-chunks every file on its next incremental run (old rows stay
 * queryable until each file is replaced).
 */
export const INDEX_FORMAT_VERSION = 3;
/** Below this many files to (re)index, worker start-up costs more than it saves. */
const PARALLEL_MIN_FILES = 200;
/** Workers already running for the run (shared) are worth using from far fewer files. */
const SHARED_MIN_FILES = 20;
/** Longest stretch the pipeline keeps the event loop to itself. */
const YIELD_MS = 20;
/**
 * Source bytes per write transaction. A transaction holds the event loop while it runs (a server shares it):
 * 4 MB took 0.3-1.4 s on a 2-core box; 512 KB still left /health p99 at 81-148 ms (bench/healthBench.ts),
 * 256 KB (with history batches of 100 commits) 52-84 ms, at the same index time.
 */
const MAX_FLUSH_BYTES = 256 * 1024;
/** Blob ids sent to `git cat-file` at once. */
const READ_GROUP = 64;

/**
 * Brings one repository's index to its checked-out HEAD. The unit of change is
 * the blob id: only added or changed files are read and chunked, deleted ones
 * dropped. Each batch is one transaction, and the repo's commit is recorded
 * only at the end, so a killed run leaves a consistent index and the next run
 * resumes with the files still differing. A full rebuild (`full`) writes every
 * file into a new generation beside the live rows and swaps at the end, so
 * queries see the old rows throughout and a killed rebuild leaves them live.
 */
export async function indexRepository(store: Store, repo: RepoRecord, options: IndexRepoOptions): Promise<RepoIndexResult> {
  const started = performance.now();
  const result = emptyIndexResult(repo.name, 'indexed');
  if (!repo.localPath || !existsSync(repo.localPath)) {
    throw new GitloreError(ERROR_CODES.NOT_SYNCED, `Repository ${repo.name} has no clone at ${repo.localPath}.`, {
      hint: `Run \`gitlore sync repo ${repo.name}\` first.`,
    });
  }
  const reader = new BlobReader(repo.localPath);
  try {
    return await indexWithReader(store, repo, options, reader, result, started);
  } finally {
    reader.close();
  }
}

async function indexWithReader(
  store: Store,
  repo: RepoRecord,
  options: IndexRepoOptions,
  reader: BlobReader,
  result: RepoIndexResult,
  started: number,
): Promise<RepoIndexResult> {
  const head = await reader.headCommit();
  result.commit = head;
  // Rows a killed rebuild (or an unfinished clean-up after one) left beside the live ones.
  await store.index.removeStaleRows(repo.id);
  const state = await store.index.getState(repo.id);
  const stale = state !== null && state.formatVersion !== INDEX_FORMAT_VERSION;
  if (!options.full && !stale && state && state.status === 'ok' && state.commit === head) {
    result.status = 'unchanged';
    result.durationMs = performance.now() - started;
    return result;
  }
  // A full rebuild writes a new generation beside the live rows, which queries keep seeing until it is complete.
  const generation = options.full ? await store.index.beginRebuild(repo.id) : undefined;
  await store.index.setState(repo.id, { status: 'indexing', pendingCommit: head });
  const tree = head ? await listTree(repo.localPath, head, options.signal) : [];
  const indexed = await store.index.fileBlobs(repo.id, generation);
  const wanted = new Map<string, { blob: string; size: number }>();
  let skipped = 0;
  for (const entry of tree) {
    if (skipReasonForPath(entry.path) || entry.size > options.maxFileBytes || entry.size === 0) {
      skipped += 1;
      continue;
    }
    wanted.set(entry.path, { blob: entry.blob, size: entry.size });
  }
  const remove = [...indexed.keys()].filter((path) => !wanted.has(path));
  const vendoredRoots = await findVendoredRoots(tree, reader, repo);
  // A file whose folder became (or stopped being) a vendored copy is rewritten with its new flag, its blob unchanged.
  const previousRoots = state?.vendoredRoots ?? [];
  const moved = (path: string) => underRoots(path, vendoredRoots) !== underRoots(path, previousRoots);
  const todo = [...wanted.entries()].filter(([path, { blob }]) => stale || indexed.get(path) !== blob || moved(path));
  result.removed = remove.length;

  let contentSkipped = 0;
  const ownPreparer =
    todo.length >= PARALLEL_MIN_FILES && !options.sharedPreparer ? await createPreparer(prepareFile, { workers: options.workers }) : null;
  const preparer = ownPreparer ?? (todo.length >= SHARED_MIN_FILES && options.sharedPreparer ? await options.sharedPreparer() : null);
  const prepare = preparer ? preparer.prepare : prepareFile;
  let batch: IndexFileInput[] = [];
  let batchRemove = remove;
  let pendingBytes = 0;
  const flush = async () => {
    if (batch.length === 0 && batchRemove.length === 0) return;
    await store.index.applyBatch(repo.id, { remove: batchRemove, add: batch, generation });
    batch = [];
    batchRemove = [];
    pendingBytes = 0;
  };
  type Prepared = { path: string; size: number; file?: IndexFileInput; error?: string };
  const collect = (item: Prepared) => {
    if (item.error || !item.file) {
      if (result.errors.length < MAX_ERRORS) result.errors.push(`${item.path}: ${item.error}`);
      return;
    }
    batch.push(item.file);
    pendingBytes += item.size;
    result.chunks += item.file.chunks.length;
    result.bytes += item.size;
    if (indexed.has(item.path)) result.changed += 1;
    else result.added += 1;
  };

  try {
    // A bounded pipeline: up to batchBytes of files are being parsed (in workers) while the main thread
    // writes finished files in smaller transactions, so the parsers never wait for a long write. Results
    // are taken in submission order; blobs are read in pipelined groups.
    const queue: Promise<Prepared>[] = [];
    let queuedBytes = 0;
    let done = 0;
    const fileDone = (path: string) => {
      done += 1;
      options.onFile?.(done, todo.length, path);
    };
    let i = 0;
    let allReadSaid = false;
    const allRead = () => {
      if (allReadSaid) return;
      allReadSaid = true;
      options.onAllRead?.();
    };
    const flushBytes = Math.max(1, Math.min(MAX_FLUSH_BYTES, Math.floor(options.batchBytes / 4)));
    let lastYield = performance.now();
    while (i < todo.length || queue.length > 0) {
      options.signal?.throwIfAborted();
      while (i < todo.length && queuedBytes < options.batchBytes) {
        options.signal?.throwIfAborted();
        const group = todo.slice(i, i + READ_GROUP);
        i += group.length;
        const raws = await Promise.all(group.map(([, { blob }]) => reader.read(blob)));
        for (const [k, [path, { blob }]] of group.entries()) {
          const raw = raws[k] ?? null;
          const skip = raw ? skipReasonForContent(raw) : 'missing';
          if (!raw || skip) {
            skipped += 1;
            contentSkipped += 1;
            if (indexed.has(path)) batchRemove.push(path); // e.g. a file that turned binary
            fileDone(path);
            continue;
          }
          const size = raw.length;
          queuedBytes += size;
          queue.push(
            prepare(path, blob, raw).then(
              // The content goes to the store as the UTF-8 bytes read from git, not back from the parser as a string.
              (prepared) => ({
                path,
                size,
                file: { ...prepared, content: raw, vendored: prepared.vendored || underRoots(path, vendoredRoots) },
              }),
              (error: Error) => ({ path, size, error: error.message }),
            ),
          );
        }
      }
      if (i >= todo.length) allRead();
      const next = queue.shift();
      if (!next) continue;
      const item = await next;
      queuedBytes -= item.size;
      collect(item);
      fileDone(item.path);
      if (pendingBytes >= flushBytes || batch.length >= 2000) await flush();
      // Results that are already there resolve as microtasks, which never let the event loop run:
      // give HTTP requests (a search during an index) and signals a turn every few milliseconds.
      if (performance.now() - lastYield > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    await flush();
    // A run cancelled at its very end still does not record its commit (the files it wrote stay; the next run finds them).
    options.signal?.throwIfAborted();
  } catch (error) {
    const cancelled = options.signal?.aborted === true;
    await store.index.setState(repo.id, {
      status: cancelled ? 'cancelled' : 'failed',
      errors: cancelled ? [] : [(error as Error).message],
    });
    throw error;
  } finally {
    await ownPreparer?.close();
  }
  result.skipped = skipped;
  result.files = wanted.size - contentSkipped;
  result.durationMs = performance.now() - started;
  const done = {
    status: 'ok',
    commit: head,
    pendingCommit: null,
    indexedAt: new Date().toISOString(),
    durationMs: Math.round(result.durationMs),
    errors: result.errors,
    skipped,
    formatVersion: INDEX_FORMAT_VERSION,
    vendoredRoots,
  } as const;
  if (generation === undefined) await store.index.setState(repo.id, done);
  else {
    // The swap: one transaction; the previous rows are deleted after it, in short ones.
    await store.index.commitRebuild(repo.id, generation, done);
    await store.index.removeStaleRows(repo.id);
  }
  if (result.added + result.changed + result.removed === 0) result.status = 'unchanged';
  return result;
}

/** Files of the layout test's evidence larger than this are not read (manifests and requirement lists are small). */
const MAX_EVIDENCE_BYTES = 256 * 1024;

/** The repository's folders of vendored copies (see vendored.ts), reading the few manifests the test needs. */
async function findVendoredRoots(tree: TreeEntry[], reader: BlobReader, repo: RepoRecord): Promise<string[]> {
  const layout = new VendorLayout(tree.map((e) => e.path));
  const entries = new Map(tree.map((e) => [e.path, e]));
  const evidence = layout.evidenceFiles().filter((path) => (entries.get(path)?.size ?? Infinity) <= MAX_EVIDENCE_BYTES);
  const raws = await Promise.all(evidence.map((path) => reader.read(entries.get(path)!.blob)));
  const contents = new Map<string, string>();
  for (const [i, path] of evidence.entries()) {
    const raw = raws[i];
    if (raw) contents.set(path, raw.toString('utf8'));
  }
  const ownNames = [repo.name, repo.fullName].filter((n): n is string => Boolean(n)).map((n) => n.split('/').pop() ?? n);
  return layout.roots(contents, ownNames);
}
