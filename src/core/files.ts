import { posix } from 'node:path';
import { runGit } from '../git/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { detectLanguage, skipReasonForContent } from '../shared/languages.js';
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
const MAX_BYTES = 8 * 1024 * 1024;

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

/** `get_file` and GET /api/files/:repo/*: file text at a ref, optionally a line range. */
export async function getFile(params: GetFileParams, ctx: RequestContext): Promise<FileSlice> {
  ctx.signal.throwIfAborted();
  const { signal } = ctx;
  const repo = await resolveRepo(ctx, params.repo);
  const path = safeRepoPath(params.path);
  const ref = safeRef(params.ref?.trim() || 'HEAD');
  const git = { cwd: repo.localPath, credentials: credentialsFor(ctx.services, repo), maxBuffer: MAX_BYTES + 1024, signal };
  let commit: string;
  try {
    commit = (await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], git)).stdout.trim();
  } catch {
    signal.throwIfAborted();
    throw new GitloreError(ERROR_CODES.COMMIT_NOT_FOUND, `No commit ${ref} in ${repo.name}.`, {
      hint: ref === 'HEAD' ? `Run \`gitlore sync repo ${repo.name}\` first.` : 'Check the branch, tag or commit name.',
    });
  }
  let raw: Buffer;
  try {
    const type = (await runGit(['cat-file', '-t', `${commit}:${path}`], git)).stdout.trim();
    if (type !== 'blob') throw new Error(type);
    raw = (await runGit(['cat-file', 'blob', `${commit}:${path}`], git)).bytes;
  } catch (error) {
    signal.throwIfAborted();
    if ((error as Error).message === 'tree') {
      throw new GitloreError(ERROR_CODES.PATH_INVALID, `${path} is a folder in ${repo.name}.`, { hint: 'Pass the path of a file.' });
    }
    throw new GitloreError(ERROR_CODES.FILE_NOT_FOUND, `No file ${path} in ${repo.name} at ${ref}.`, {
      hint: 'Check the path with `gitlore search --mode regex` or the repository tree.',
    });
  }
  if (raw.length > MAX_BYTES) {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, `${path} is larger than ${MAX_BYTES / 1024 / 1024} MiB.`, {
      hint: 'Read it from the clone instead.',
    });
  }
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
