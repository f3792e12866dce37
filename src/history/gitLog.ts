import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type GitCredentials, streamLog } from '../git/index.js';
import type { FileStatus, HistoryCommitInput, HistoryFileInput } from '../store/historyStore.js';

/**
 * Streams `git log` as parsed commits. One process, `-z` so paths and messages
 * are raw bytes, mailmap applied. Each record starts with 0x1E; its 12 header
 * fields are NUL-separated, then `\n` and `--name-status` pairs follow.
 */
const FORMAT = ['%x1e%H', '%P', '%aN', '%aE', '%at', '%ai', '%cN', '%cE', '%ct', '%ci', '%s', '%b'].join('%x00');
const FIELD_COUNT = 12;
const RS = 0x1e;
const NUL = 0;
const LF = 0x0a;

export const LOG_ARGS = [
  '-c',
  'core.quotePath=false',
  '-c',
  'log.showSignature=false',
  'log',
  '-z',
  '--use-mailmap',
  '--encoding=UTF-8',
  '--name-status',
  // A merge's changes against its first parent: what history simplification needs to know first.
  '--diff-merges=first-parent',
  '--find-renames',
  '--no-color',
  '--no-ext-diff',
  `--format=${FORMAT}`,
];

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** UTF-8 when valid; otherwise Latin-1, so a legacy name like `Jos\xe9` still reads `José`. */
export function decodeBytes(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

/** `-0700` → -420 (minutes east of UTC). */
export function parseTz(text: string): number {
  const m = /([+-])(\d\d)(\d\d)\s*$/.exec(text);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Incremental parser: feed chunks, get commits back. A record is complete once
 * the next record's 0x1E is seen (status tokens never start with it) or at end.
 */
export class GitLogParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): HistoryCommitInput[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    return this.drain(false);
  }

  end(): HistoryCommitInput[] {
    return this.drain(true);
  }

  private drain(final: boolean): HistoryCommitInput[] {
    const out: HistoryCommitInput[] = [];
    let pos = 0;
    const buf = this.buffer;
    while (pos < buf.length) {
      if (buf[pos] !== RS) {
        // Stray separators between records.
        pos++;
        continue;
      }
      const parsed = parseRecord(buf, pos, final);
      if (parsed === null) break;
      out.push(parsed.commit);
      pos = parsed.next;
    }
    this.buffer = pos >= buf.length ? Buffer.alloc(0) : buf.subarray(pos);
    return out;
  }
}

function readField(buf: Buffer, pos: number): [Uint8Array, number] | null {
  const end = buf.indexOf(NUL, pos);
  if (end === -1) return null;
  return [buf.subarray(pos, end), end + 1];
}

function parseRecord(buf: Buffer, start: number, final: boolean): { commit: HistoryCommitInput; next: number } | null {
  let pos = start + 1;
  const fields: Uint8Array[] = [];
  for (let i = 0; i < FIELD_COUNT; i++) {
    const f = readField(buf, pos);
    if (f === null) return null;
    fields.push(f[0]);
    pos = f[1];
  }
  const files: HistoryFileInput[] = [];
  if (pos < buf.length && buf[pos] === LF) pos++;
  while (true) {
    while (pos < buf.length && buf[pos] === NUL) pos++;
    if (pos >= buf.length) {
      if (!final) return null;
      break;
    }
    if (buf[pos] === RS) break;
    const statusField = readField(buf, pos);
    if (statusField === null) return null;
    const status = latin1.decode(statusField[0]);
    pos = statusField[1];
    const first = readField(buf, pos);
    if (first === null) return null;
    pos = first[1];
    const letter = (status[0] ?? 'M') as FileStatus;
    if (letter === 'R' || letter === 'C') {
      const second = readField(buf, pos);
      if (second === null) return null;
      pos = second[1];
      files.push({ status: letter, path: decodeBytes(second[0]), oldPath: decodeBytes(first[0]) });
    } else {
      files.push({ status: letter, path: decodeBytes(first[0]), oldPath: null });
    }
  }
  const text = fields.map((f) => decodeBytes(f));
  const [hash, parents, aName, aEmail, aTime, aIso, cName, cEmail, cTime, cIso, subject, body] = text as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    commit: {
      hash,
      parents: parents ? parents.split(' ') : [],
      authorName: aName,
      authorEmail: aEmail,
      authorTime: Number(aTime),
      authorTz: parseTz(aIso),
      committerName: cName,
      committerEmail: cEmail,
      committerTime: Number(cTime),
      committerTz: parseTz(cIso),
      subject,
      body: body.replace(/\n+$/, ''),
      files,
    },
    next: pos,
  };
}

export interface GitLogOptions {
  cwd: string;
  /** Revisions and `^exclusions`; with `stdinRevs`, passed on stdin instead (`--no-walk`, output in that order). */
  revs?: string[];
  stdinRevs?: string[];
  signal?: AbortSignal;
  /** The token for the clone's remote, should git need to fetch an object. */
  credentials?: GitCredentials | null;
  /**
   * Only renames with identical content (`-M100%`). For partial clones: an
   * inexact rename needs both blobs, which git would fetch one batch at a time.
   */
  exactRenamesOnly?: boolean;
}

/** Runs `git log` and yields batches of parsed commits as they arrive. */
export async function* streamGitLog(options: GitLogOptions): AsyncGenerator<HistoryCommitInput[]> {
  const args = options.exactRenamesOnly ? LOG_ARGS.map((a) => (a === '--find-renames' ? '--find-renames=100%' : a)) : [...LOG_ARGS];
  if (options.stdinRevs) args.push('--no-walk=unsorted', '--stdin');
  else args.push(...(options.revs ?? ['HEAD']));
  args.push('--');
  const parser = new GitLogParser();
  const chunks = streamLog(args, {
    cwd: options.cwd,
    stdinLines: options.stdinRevs,
    signal: options.signal,
    credentials: options.credentials,
  });
  for await (const chunk of chunks) {
    const commits = parser.push(chunk);
    if (commits.length > 0) yield commits;
    // Parsing is synchronous: without a turn here a fast git keeps this loop on the thread.
    await yieldToEventLoop();
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}
