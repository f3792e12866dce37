import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
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
  /**
   * Only renames with identical content (`-M100%`). For partial clones: an
   * inexact rename needs both blobs, which git would fetch one batch at a time.
   */
  exactRenamesOnly?: boolean;
}

/** Bytes of git output parsed per turn of the event loop (a few ms of parsing). */
const READ_SIZE = 1 << 18;

/**
 * Runs `git log` and yields batches of parsed commits as they arrive. git
 * writes to a temporary file rather than a pipe, so it never waits while the
 * caller is busy storing the previous batch: git and the store work at the
 * same time on two cores.
 */
export async function* streamGitLog(options: GitLogOptions): AsyncGenerator<HistoryCommitInput[]> {
  const args = options.exactRenamesOnly ? LOG_ARGS.map((a) => (a === '--find-renames' ? '--find-renames=100%' : a)) : [...LOG_ARGS];
  if (options.stdinRevs) args.push('--no-walk=unsorted', '--stdin');
  else args.push(...(options.revs ?? ['HEAD']));
  args.push('--');
  const dir = mkdtempSync(join(tmpdir(), 'gitlore-log-'));
  const outPath = join(dir, 'log');
  const outFd = openSync(outPath, 'w');
  let inFd: number | null = null;
  if (options.stdinRevs) {
    const inPath = join(dir, 'revs');
    writeFileSync(inPath, `${options.stdinRevs.join('\n')}\n`);
    inFd = openSync(inPath, 'r');
  }
  const child = spawn('git', args, {
    cwd: options.cwd,
    stdio: [inFd ?? 'ignore', outFd, 'pipe'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
  closeSync(outFd);
  if (inFd !== null) closeSync(inFd);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  let exitCode: number | null | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      spawnError = error;
      exitCode = -1;
      resolve();
    });
    child.on('close', (code) => {
      exitCode = code;
      resolve();
    });
  });
  const onAbort = () => child.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const readFd = openSync(outPath, 'r');
  const parser = new GitLogParser();
  let offset = 0;
  try {
    while (true) {
      options.signal?.throwIfAborted();
      const done = exitCode !== undefined;
      const chunk = Buffer.allocUnsafe(READ_SIZE);
      const n = readSync(readFd, chunk, 0, READ_SIZE, offset);
      if (n > 0) {
        offset += n;
        const commits = parser.push(chunk.subarray(0, n));
        if (commits.length > 0) yield commits;
        // Reads and parsing are synchronous: without a turn here a fast git keeps this loop on the thread.
        await yieldToEventLoop();
        continue;
      }
      if (done) break;
      // Caught up with git: wait for more output or its exit.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5))]);
    }
    const rest = parser.end();
    if (rest.length > 0) yield rest;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (exitCode === undefined) child.kill();
    closeSync(readFd);
    rmSync(dir, { recursive: true, force: true });
  }
  options.signal?.throwIfAborted();
  if (spawnError || exitCode !== 0) {
    const reason = spawnError?.message ?? (stderr.trim().split('\n')[0] || `exit ${exitCode}`);
    throw new GitloreError(ERROR_CODES.GIT_FAILED, `git log failed in ${options.cwd}: ${reason}`, {
      hint: 'Run `gitlore sync` to repair the clone.',
    });
  }
}
