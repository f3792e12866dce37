import type { BlameCommit, BlameRange, BlameSpan } from '../shared/blame.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { GitCredentials } from './env.js';
import { runGit } from './git.js';

export interface BlameRequest {
  /** The commit to blame at (a full hash: the answer is then the same whenever it is asked). */
  commit: string;
  path: string;
  startLine: number;
  endLine: number;
}

/**
 * `git blame --porcelain -L start,end <commit> -- path` in the clone at `cwd`, as spans and commits.
 * A separate process, so the event loop only reads its output; `timeoutMs` bounds one call (TIMEOUT), `signal` stops it.
 */
export async function blameRange(
  cwd: string,
  request: BlameRequest,
  options: { signal?: AbortSignal; timeoutMs?: number; credentials?: GitCredentials | null } = {},
): Promise<BlameRange> {
  if (
    !Number.isInteger(request.startLine) ||
    !Number.isInteger(request.endLine) ||
    request.startLine < 1 ||
    request.endLine < request.startLine
  ) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid line range ${request.startLine}-${request.endLine}.`, {
      hint: 'Pass 1-based lines with startLine <= endLine.',
    });
  }
  const result = await runGit(
    [
      '-c',
      'core.quotePath=false',
      'blame',
      '--porcelain',
      '-L',
      `${request.startLine},${request.endLine}`,
      request.commit,
      '--',
      request.path,
    ],
    { cwd, signal: options.signal, timeoutMs: options.timeoutMs, credentials: options.credentials },
  );
  return parseBlamePorcelain(result.bytes);
}

/** Unix time zone `+0530` → 330 minutes. */
function tzMinutes(tz: string): number {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(tz.trim());
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** A header value: UTF-8, or Latin-1 when the bytes are not UTF-8 (old commits store names as raw bytes). */
function decodeValue(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? bytes.toString('latin1') : text;
}

/** git's C-style quoting of a path (`"caf\303\251.txt"`) undone; an unquoted path as is. */
export function unquoteGitPath(value: string): string {
  if (!value.startsWith('"') || !value.endsWith('"')) return value;
  const bytes: number[] = [];
  const body = Buffer.from(value.slice(1, -1), 'utf8');
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (byte !== 92) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] ?? 0);
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? (body[i + 1] as number));
      i += 1;
    }
  }
  return decodeValue(Buffer.from(bytes));
}

/**
 * Parses `git blame --porcelain`: a `<hash> <orig> <final> [<count>]` line per blamed line, the commit's details the
 * first time it appears, `filename` whenever it changes for that commit, then the line itself after a tab.
 * Consecutive lines of one commit at consecutive original lines of one path become one span.
 */
export function parseBlamePorcelain(output: Buffer): BlameRange {
  const commits = new Map<string, BlameCommit>();
  const pathOf = new Map<string, string>();
  const spans: BlameSpan[] = [];
  let current: { hash: string; orig: number; final: number } | null = null;
  let start = 0;
  while (start < output.length) {
    let end = output.indexOf(10, start);
    if (end === -1) end = output.length;
    const line = output.subarray(start, end);
    start = end + 1;
    if (line[0] === 9) {
      // The blamed line's text ends its entry.
      if (!current) continue;
      const { hash, orig, final } = current;
      const origPath = pathOf.get(hash) ?? '';
      const last = spans.at(-1);
      if (
        last &&
        last.hash === hash &&
        last.origPath === origPath &&
        last.startLine + last.lineCount === final &&
        last.origStartLine + last.lineCount === orig
      ) {
        last.lineCount++;
      } else {
        spans.push({ hash, startLine: final, lineCount: 1, origStartLine: orig, origPath });
      }
      current = null;
      continue;
    }
    const space = line.indexOf(32);
    const key = (space === -1 ? line : line.subarray(0, space)).toString('latin1');
    const value = space === -1 ? Buffer.alloc(0) : line.subarray(space + 1);
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(key)) {
      const [orig = '0', final = '0'] = value.toString('latin1').split(' ');
      current = { hash: key, orig: Number(orig), final: Number(final) };
      if (!commits.has(key)) {
        commits.set(key, { hash: key, author: '', email: '', authorTime: 0, authorTz: 0, committerTime: 0, subject: '', boundary: false });
      }
      continue;
    }
    const commit = current ? commits.get(current.hash) : undefined;
    if (!commit || !current) continue;
    switch (key) {
      case 'author':
        commit.author = decodeValue(value);
        break;
      case 'author-mail':
        commit.email = decodeValue(value).replace(/^<|>$/g, '');
        break;
      case 'author-time':
        commit.authorTime = Number(value.toString('latin1'));
        break;
      case 'author-tz':
        commit.authorTz = tzMinutes(value.toString('latin1'));
        break;
      case 'committer-time':
        commit.committerTime = Number(value.toString('latin1'));
        break;
      case 'summary':
        commit.subject = decodeValue(value);
        break;
      case 'boundary':
        commit.boundary = true;
        break;
      case 'filename':
        pathOf.set(current.hash, unquoteGitPath(decodeValue(value)));
        break;
    }
  }
  const used = new Set(spans.map((s) => s.hash));
  return { spans, commits: [...commits.values()].filter((c) => used.has(c.hash)) };
}
