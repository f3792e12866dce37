import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { type GitCredentials, gitEnv } from './env.js';
import { describeCommand, gitErrorLine } from './git.js';

export interface StreamLogOptions {
  cwd: string;
  /** Lines written to git's stdin (for `--stdin`). */
  stdinLines?: string[];
  credentials?: GitCredentials | null;
  signal?: AbortSignal;
}

/** Bytes of git output handed to the parser per turn of the event loop (a few ms of parsing). */
const READ_SIZE = 1 << 18;

/**
 * Runs a long git command (`git log …`) and yields its stdout in chunks as they arrive.
 * git writes to a temporary file rather than a pipe, so it never waits while the caller
 * is busy with the previous chunk: git and the caller work at the same time on two cores.
 */
export async function* streamLog(args: string[], options: StreamLogOptions): AsyncGenerator<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'gitlore-log-'));
  const outPath = join(dir, 'out');
  const outFd = openSync(outPath, 'w');
  let inFd: number | null = null;
  if (options.stdinLines) {
    const inPath = join(dir, 'in');
    writeFileSync(inPath, `${options.stdinLines.join('\n')}\n`);
    inFd = openSync(inPath, 'r');
  }
  const child = spawn('git', args, { cwd: options.cwd, stdio: [inFd ?? 'ignore', outFd, 'pipe'], env: gitEnv(options.credentials) });
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
  let offset = 0;
  try {
    while (true) {
      options.signal?.throwIfAborted();
      const done = exitCode !== undefined;
      const chunk = Buffer.allocUnsafe(READ_SIZE);
      const n = readSync(readFd, chunk, 0, READ_SIZE, offset);
      if (n > 0) {
        offset += n;
        yield chunk.subarray(0, n);
        continue;
      }
      if (done) break;
      // Caught up with git: wait for more output or its exit.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5))]);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (exitCode === undefined) child.kill();
    closeSync(readFd);
    rmSync(dir, { recursive: true, force: true });
  }
  options.signal?.throwIfAborted();
  if (spawnError || exitCode !== 0) {
    const reason = spawnError?.message ?? (gitErrorLine(stderr) || `exit ${exitCode}`);
    throw new GitloreError(ERROR_CODES.GIT_FAILED, `${describeCommand(args, options.cwd)} failed: ${reason}`, {
      hint: 'Run `gitlore sync` to repair the clone.',
    });
  }
}
