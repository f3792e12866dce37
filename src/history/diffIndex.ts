import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type GitCredentials, streamLog } from '../git/index.js';
import { codeTokens } from '../shared/codeTokens.js';
import { ERROR_CODES, type GitloreError } from '../shared/errors.js';
import { skipReasonForContent, skipReasonForPath } from '../shared/languages.js';
import type { Logger } from '../shared/logger.js';
import type { CommitDiffInput, DiffFileInput, DiffLineRow, RepoRecord, Store } from '../store/index.js';
import { runGit } from './git.js';
import { isPartialClone, patchFormat } from './patch.js';
import { type FileDiff, UnifiedDiffParser } from './unifiedDiff.js';

/**
 * What the diff index stores (see docs/history.md#diff-search). A commit indexed in another format is indexed
 * again on the next run, as is every commit of a history stored before the diff index existed.
 */
export const DIFF_FORMAT_VERSION = 2;

/** How changed lines are tokenized: the code index's rule, plus an identifier's lone part (`_accept` holds `accept`). */
export const DIFF_TOKENS = { loneParts: true } as const;

/** The bounds of the diff index: named here, documented in docs/history.md. */
export const DIFF_LIMITS = {
  /** A commit changing more files than this (a bulk reformat, a vendored import) is left out whole. */
  maxCommitFiles: 300,
  /** A file change with more changed lines than this (a generated file, a data dump) is left out. */
  maxFileChangedLines: 5000,
  /** Files larger than this are treated as binary by git (`core.bigFileThreshold`): never diffed. */
  maxBlobBytes: 1024 * 1024,
  /** Characters of one changed line tokenized (a minified line is cut). */
  maxLineChars: 1000,
  /** Changed lines kept per file change for display (every changed line is searchable). */
  keptLines: 100,
  /** Characters kept of one displayed line. */
  keptLineChars: 240,
} as const;

/** Commits written per store transaction. */
const WRITE_BATCH = 200;
/** Commits git cannot read (objects missing from a damaged clone) left out before a run gives up. */
const MAX_UNREADABLE_COMMITS = 50;
/** Blob ids per `git fetch` of a partial clone's prefetch. */
const FETCH_BATCH = 20_000;

export interface DiffIndexResult {
  /** Commits given an entry (indexed, or left out whole). */
  commits: number;
  /** File changes indexed. */
  files: number;
  /** Commits left out whole (too many files, or unreadable: an object missing from the clone). */
  skippedCommits: number;
  /** File changes left out (binary, generated or vendored path, too many changed lines). */
  skippedFiles: number;
  durationMs: number;
}

/** `git diff-tree` arguments: each commit's patch against its first parent, no context lines, renames as the ingest finds them. */
function diffTreeArgs(partial: boolean): string[] {
  return [
    '-c',
    'core.quotePath=false',
    '-c',
    `core.bigFileThreshold=${DIFF_LIMITS.maxBlobBytes}`,
    'diff-tree',
    '--stdin',
    '-r',
    '-p',
    '-U0',
    '--root',
    ...patchFormat(partial),
  ];
}

/** Why a file change is not indexed, or null: the indexer's own path rules (vendored, lockfiles, generated, binary), then size. */
export function diffSkipReason(file: FileDiff): string | null {
  if (file.binary) return 'binary';
  const byPath = skipReasonForPath(file.path) ?? (file.oldPath ? skipReasonForPath(file.oldPath) : null);
  if (byPath) return byPath;
  if (file.truncated) return 'huge';
  // A new file's first lines say whether it is generated (`@generated`, `DO NOT EDIT`) or minified. Only a new one:
  // a change that happens to rewrite a file's first lines is no different from its other changes.
  const top = file.hunks[0];
  if (top && file.status === 'A') {
    const head = top.lines.filter((l) => l.kind === 'add').slice(0, 40);
    const reason = skipReasonForContent(Buffer.from(head.map((l) => l.text).join('\n')));
    if (reason) return reason;
  }
  return null;
}

/** A parsed file change as the store takes it: every changed line's tokens, the first lines for display. */
export function toDiffFile(file: FileDiff): DiffFileInput | null {
  const added = new Set<string>();
  const removed = new Set<string>();
  const lines: DiffLineRow[] = [];
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== 'add' && line.kind !== 'del') continue;
      const into = line.kind === 'add' ? added : removed;
      for (const token of codeTokens(line.text, Number.POSITIVE_INFINITY, DIFF_TOKENS)) into.add(token);
      if (lines.length < DIFF_LIMITS.keptLines) {
        // A NUL past git's binary probe (its first 8,000 bytes) can reach a text line; PostgreSQL text cannot hold it.
        const clean = line.text.includes('\0') ? line.text.replaceAll('\0', '\uFFFD') : line.text;
        const text = clean.length > DIFF_LIMITS.keptLineChars ? `${clean.slice(0, DIFF_LIMITS.keptLineChars)}…` : clean;
        lines.push(line.kind === 'add' ? { kind: '+', line: line.newLine ?? 0, text } : { kind: '-', line: line.oldLine ?? 0, text });
      }
    }
  }
  if (added.size === 0 && removed.size === 0) return null;
  return { path: file.path, lines, addedTerms: [...added], removedTerms: [...removed] };
}

const HASH_LINE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Splits `git diff-tree --stdin -p` output into commits: each starts with a line holding only its hash (no patch
 * line can: they start with a marker or a keyword).
 */
export class DiffTreeParser {
  private pending: Buffer = Buffer.alloc(0);
  private hash: string | null = null;
  private parser: UnifiedDiffParser | null = null;

  push(chunk: Buffer): { hash: string; files: FileDiff[] }[] {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const done: { hash: string; files: FileDiff[] }[] = [];
    let start = 0;
    for (let i = buf.indexOf(0x0a, start); i !== -1; i = buf.indexOf(0x0a, start)) {
      this.line(buf.subarray(start, i), done);
      start = i + 1;
    }
    this.pending = Buffer.from(buf.subarray(start));
    return done;
  }

  end(): { hash: string; files: FileDiff[] }[] {
    const done: { hash: string; files: FileDiff[] }[] = [];
    if (this.pending.length > 0) this.line(this.pending, done);
    this.pending = Buffer.alloc(0);
    this.finish(done);
    return done;
  }

  private line(bytes: Buffer, done: { hash: string; files: FileDiff[] }[]): void {
    if ((bytes.length === 40 || bytes.length === 64) && HASH_LINE.test(bytes.toString('latin1'))) {
      this.finish(done);
      this.hash = bytes.toString('latin1');
      this.parser = new UnifiedDiffParser({
        linesPerFile: DIFF_LIMITS.maxFileChangedLines,
        totalLines: Number.MAX_SAFE_INTEGER,
        lineChars: DIFF_LIMITS.maxLineChars,
      });
      return;
    }
    this.parser?.pushLine(bytes);
  }

  private finish(done: { hash: string; files: FileDiff[] }[]): void {
    if (this.hash && this.parser) done.push({ hash: this.hash, files: this.parser.end() });
    this.hash = null;
    this.parser = null;
  }
}

/** A commit's entry from its parsed files: the indexable file changes, and how many were left out. */
export function commitDiffEntry(hash: string, files: FileDiff[]): { entry: CommitDiffInput; skippedFiles: number } {
  const kept: DiffFileInput[] = [];
  let skippedFiles = 0;
  for (const file of files) {
    const entry = diffSkipReason(file) === null ? toDiffFile(file) : null;
    if (entry) kept.push(entry);
    else skippedFiles++;
  }
  return { entry: { hash, skipped: null, files: kept }, skippedFiles };
}

/**
 * A blob-less partial clone (how sync clones from GitHub) has no old file contents: fetch the missing blobs of the
 * commits to diff in a few batches, instead of git fetching them one commit at a time while diffing.
 */
async function prefetchBlobs(cwd: string, hashes: string[], options: { signal?: AbortSignal; credentials?: GitCredentials | null }) {
  const missing = (
    (await runGit(cwd, ['rev-list', '--objects', '--missing=print', '--no-walk', '--stdin'], {
      ...options,
      input: `${hashes.join('\n')}\n`,
      maxBuffer: 1 << 30,
    })) ?? ''
  )
    .split('\n')
    .filter((line) => line.startsWith('?'))
    .map((line) => line.slice(1).trim());
  if (missing.length === 0) return 0;
  const remotes = (await runGit(cwd, ['config', '--get-regexp', '^remote\\..*\\.promisor$'], { ...options, allowFail: true })) ?? '';
  const remote = /^remote\.(.+)\.promisor true$/m.exec(remotes)?.[1] ?? 'origin';
  for (let i = 0; i < missing.length; i += FETCH_BATCH) {
    options.signal?.throwIfAborted();
    await runGit(
      cwd,
      [
        '-c',
        'fetch.negotiationAlgorithm=noop',
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--recurse-submodules=no',
        '--filter=blob:none',
        '--stdin',
        remote,
      ],
      { ...options, input: `${missing.slice(i, i + FETCH_BATCH).join('\n')}\n` },
    );
  }
  return missing.length;
}

/**
 * Brings the diff index of `repo` up to its stored history: every non-merge commit without an entry in the
 * current format (new commits after an ingest, or all of them for a history stored before the diff index) is
 * diffed against its first parent and its file changes stored, within DIFF_LIMITS.
 */
export async function indexDiffs(
  deps: { store: Store; log: Logger },
  repo: RepoRecord,
  options: { signal?: AbortSignal; credentials?: GitCredentials | null } = {},
): Promise<DiffIndexResult> {
  const started = performance.now();
  const { store, log } = deps;
  const signal = options.signal;
  const result: DiffIndexResult = { commits: 0, files: 0, skippedCommits: 0, skippedFiles: 0, durationMs: 0 };
  const pending = await store.history.pendingDiffs(repo.id, DIFF_FORMAT_VERSION);
  if (pending.length === 0) return { ...result, durationMs: performance.now() - started };
  const cwd = repo.localPath;
  const tooMany = pending.filter((p) => p.files > DIFF_LIMITS.maxCommitFiles);
  if (tooMany.length > 0) {
    await store.history.writeDiffs(
      repo.id,
      DIFF_FORMAT_VERSION,
      tooMany.map((p) => ({ hash: p.hash, skipped: `${p.files} files`, files: [] })),
    );
    result.commits += tooMany.length;
    result.skippedCommits += tooMany.length;
  }
  const todo = pending.filter((p) => p.files <= DIFF_LIMITS.maxCommitFiles).map((p) => p.hash);
  const partial = await isPartialClone(cwd, signal);
  if (partial && todo.length > 0) {
    const fetched = await prefetchBlobs(cwd, todo, options);
    if (fetched > 0) log.debug('fetched blobs for the diff index', { repo: repo.name, blobs: fetched });
  }
  const seen = new Set<string>();
  let batch: CommitDiffInput[] = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (rows.length === 0) return;
    signal?.throwIfAborted();
    await store.history.writeDiffs(repo.id, DIFF_FORMAT_VERSION, rows);
    result.commits += rows.length;
    result.files += rows.reduce((n, c) => n + c.files.length, 0);
    await yieldToEventLoop();
  };
  const take = async (commits: { hash: string; files: FileDiff[] }[]) => {
    for (const commit of commits) {
      seen.add(commit.hash);
      const { entry, skippedFiles } = commitDiffEntry(commit.hash, commit.files);
      result.skippedFiles += skippedFiles;
      batch.push(entry);
    }
    if (batch.length >= WRITE_BATCH) await flush();
  };
  const diffTree = async (hashes: string[]) => {
    const parser = new DiffTreeParser();
    for await (const chunk of streamLog(diffTreeArgs(partial), { cwd, stdinLines: hashes, signal, credentials: options.credentials })) {
      await take(parser.push(chunk));
    }
    await take(parser.end());
  };
  let remaining = todo;
  for (let failures = 0; remaining.length > 0; ) {
    try {
      await diffTree(remaining);
      remaining = [];
    } catch (error) {
      if (signal?.aborted || (error as GitloreError).code !== ERROR_CODES.GIT_FAILED || ++failures > MAX_UNREADABLE_COMMITS) throw error;
      // git stopped at a commit it cannot read (an object missing from the clone): the commits before it were printed
      // whole. Asked alone, the first one not printed either diffs (it had no output) or is left out as unreadable.
      const at = remaining.findIndex((hash) => !seen.has(hash));
      if (at < 0) break;
      const hash = remaining[at] as string;
      try {
        await diffTree([hash]);
      } catch (alone) {
        if (signal?.aborted || (alone as GitloreError).code !== ERROR_CODES.GIT_FAILED) throw alone;
        seen.add(hash);
        batch.push({ hash, skipped: 'unreadable', files: [] });
        result.skippedCommits += 1;
        log.warn('diff index: a commit git cannot read is left out', { repo: repo.name, commit: hash, error: (alone as Error).message });
      }
      remaining = remaining.slice(at + 1).filter((h) => !seen.has(h));
    }
  }
  // Commits git printed nothing for (no change against the parent, or only a mode change) are done too.
  for (const hash of todo) if (!seen.has(hash)) batch.push({ hash, skipped: null, files: [] });
  await flush();
  result.durationMs = performance.now() - started;
  log.debug('diff index updated', { repo: repo.name, ...result, durationMs: Math.round(result.durationMs) });
  return result;
}
