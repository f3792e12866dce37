import { posix } from 'node:path';
import { type BlobReader, type GitOptions, withSharedReader } from '../git/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { detectLanguage, skipReasonForContent } from '../shared/languages.js';
import { MAX_FILE_READ_BYTES } from '../shared/searchLimits.js';
import { credentialsFor } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { resolveRepo } from './repoGate.js';

export interface GetFileParams {
  repo: string;
  path: string;
  startLine?: number;
  endLine?: number;
  /** Branch, tag or commit; the synced HEAD by default. */
  ref?: string;
}

export interface FileSlice {
  repo: string;
  path: string;
  /** The commit the content was read from. */
  commit: string;
  language: string | null;
  startLine: number;
  endLine: number;
  totalLines: number;
  /** True when the range was cut at MAX_LINES. */
  truncated: boolean;
  /** The lines startLine..endLine, without numbers. */
  content: string;
}

/** Lines returned when no range is given. */
export const MAX_LINES = 2000;

/** A repository-relative path, or PATH_INVALID for absolute paths, `..` and other escapes. */
export function safeRepoPath(path: string): string {
  const raw = (path ?? '').trim().replaceAll('\\', '/');
  const invalid = (why: string) =>
    new GitloreError(ERROR_CODES.PATH_INVALID, `Invalid path ${JSON.stringify(path)}: ${why}.`, {
      hint: 'Pass a path relative to the repository root, such as src/index.ts.',
    });
  if (!raw) throw invalid('it is empty');
  if (raw.includes('\0')) throw invalid('it contains a NUL byte');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw invalid('it is absolute');
  if (raw.split('/').includes('..')) throw invalid('it leaves the repository');
  const normalized = posix.normalize(raw).replace(/^\.\//, '');
  if (normalized === '.' || normalized.startsWith('../') || normalized.split('/').includes('.git'))
    throw invalid('it is outside the tracked files');
  return normalized;
}

function safeRef(ref: string): string {
  if (!/^[\w][\w./@^~{}-]*$/.test(ref) || ref.includes('..') || ref.length > 250) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid ref ${JSON.stringify(ref)}.`, {
      hint: 'Pass a branch, tag or commit hash.',
    });
  }
  return ref;
}

/** FILE_TOO_LARGE naming the file's size and the limit: answered from the blob's size, before reading it. */
export function fileTooLarge(path: string, size: number, ref: string): GitloreError {
  return new GitloreError(
    ERROR_CODES.FILE_TOO_LARGE,
    `${path} is ${mib(size)} MiB; files over ${mib(MAX_FILE_READ_BYTES)} MiB are not served.`,
    { hint: `Read it from a clone with \`git show ${ref}:${path}\`.` },
  );
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
}

/** The type and size of `rev` (e.g. `HEAD:src/a.ts`) from the clone's shared `git cat-file --batch-check`, without reading it; null when missing. */
export async function blobInfo(git: GitOptions & { cwd: string }, rev: string): Promise<{ type: string; size: number } | null> {
  return withSharedReader(git.cwd, git.credentials, (reader) => reader.info(rev, git.signal));
}

/** `get_file` and GET /api/files/:repo/*: file text at a ref, optionally a line range. */
export async function getFile(params: GetFileParams, ctx: RequestContext): Promise<FileSlice> {
  ctx.signal.throwIfAborted();
  const { signal } = ctx;
  const repo = await resolveRepo(ctx, params.repo);
  const path = safeRepoPath(params.path);
  const ref = safeRef(params.ref?.trim() || 'HEAD');
  // Three requests to the clone's long-lived cat-file processes, not three git processes.
  const read = <T>(fn: (reader: BlobReader) => Promise<T>) => withSharedReader(repo.localPath, credentialsFor(ctx.services, repo), fn);
  const resolved = await read((reader) => reader.info(`${ref}^{commit}`, signal)).catch(() => {
    signal.throwIfAborted();
    return null;
  });
  if (resolved?.type !== 'commit') {
    throw new GitloreError(ERROR_CODES.COMMIT_NOT_FOUND, `No commit ${ref} in ${repo.name}.`, {
      hint: ref === 'HEAD' ? `Run \`gitlore sync repo ${repo.name}\` first.` : 'Check the branch, tag or commit name.',
    });
  }
  const commit = resolved.oid;
  const object = await read((reader) => reader.info(`${commit}:${path}`, signal));
  if (object?.type === 'tree') {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, `${path} is a folder in ${repo.name}.`, { hint: 'Pass the path of a file.' });
  }
  const notFound = () =>
    new GitloreError(ERROR_CODES.FILE_NOT_FOUND, `No file ${path} in ${repo.name} at ${ref}.`, {
      hint: 'Check the path with `gitlore search --mode regex` or the repository tree.',
    });
  if (object?.type !== 'blob') throw notFound();
  if (object.size > MAX_FILE_READ_BYTES) throw fileTooLarge(path, object.size, ref);
  const raw = await read((reader) => reader.read(object.oid, signal));
  if (!raw) throw notFound();
  if (skipReasonForContent(raw) === 'binary') {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, `${path} is a binary file; only text files can be read.`, {
      hint: 'Pick a source or text file.',
    });
  }
  const text = raw.toString('utf8');
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const total = lines.length;
  const start = params.startLine ?? 1;
  if (!Number.isInteger(start) || start < 1 || (total > 0 && start > total)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `startLine ${params.startLine} is outside 1..${total}.`, {
      hint: `The file has ${total} lines.`,
    });
  }
  const requestedEnd = params.endLine ?? start + MAX_LINES - 1;
  if (!Number.isInteger(requestedEnd) || requestedEnd < start) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `endLine ${params.endLine} is before startLine ${start}.`, {
      hint: 'Pass endLine >= startLine.',
    });
  }
  const end = Math.min(total, requestedEnd, params.endLine === undefined ? start + MAX_LINES - 1 : requestedEnd);
  return {
    repo: repo.name,
    path,
    commit,
    language: detectLanguage(path, text.slice(0, 200)),
    startLine: start,
    endLine: end,
    totalLines: total,
    truncated: params.endLine === undefined && end < total,
    content: lines.slice(start - 1, end).join('\n'),
  };
}

/** The slice with right-aligned line numbers, as tools and `--help` examples show it. */
export function numberLines(slice: Pick<FileSlice, 'content' | 'startLine' | 'endLine'>): string {
  const width = String(slice.endLine).length;
  return slice.content
    .split('\n')
    .map((line, i) => `${String(slice.startLine + i).padStart(width)}  ${line}`)
    .join('\n');
}
