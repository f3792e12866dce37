import { execFile } from 'node:child_process';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { decodeBytes } from './gitLog.js';

function splitZ(buf: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0); i !== -1; i = buf.indexOf(0, start)) {
    parts.push(buf.subarray(start, i));
    start = i + 1;
  }
  parts.push(buf.subarray(start));
  return parts;
}

/** Runs git and returns stdout; a non-zero exit rejects with GIT_FAILED (or resolves null when `allowFail`). */
export function runGit(
  cwd: string,
  args: string[],
  options: {
    signal?: AbortSignal;
    allowFail?: boolean;
    input?: string;
    maxBuffer?: number;
    /** For `-z` output: decode each NUL-separated field on its own (UTF-8, else Latin-1), as the ingest does. */
    zFields?: boolean;
  } = {},
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd,
        signal: options.signal,
        maxBuffer: options.maxBuffer ?? 512 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        encoding: 'buffer',
      },
      (error, stdoutBuf, stderr) => {
        const stdout = options.zFields ? splitZ(stdoutBuf).map(decodeBytes).join('\0') : stdoutBuf.toString('utf8');
        if (!error) return resolve(stdout);
        if (options.signal?.aborted) return reject(error);
        if (options.allowFail) return resolve(null);
        const first = String(stderr).trim().split('\n')[0] || error.message;
        reject(new GitloreError(ERROR_CODES.GIT_FAILED, `git ${args[0]} failed in ${cwd}: ${first}`, { cause: error }));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
