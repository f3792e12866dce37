import { type GitCredentials, runGit as run } from '../git/index.js';
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
export async function runGit(
  cwd: string,
  args: string[],
  options: {
    signal?: AbortSignal;
    allowFail?: boolean;
    input?: string;
    maxBuffer?: number;
    credentials?: GitCredentials | null;
    /** For `-z` output: decode each NUL-separated field on its own (UTF-8, else Latin-1), as the ingest does. */
    zFields?: boolean;
  } = {},
): Promise<string | null> {
  try {
    const result = await run(args, {
      cwd,
      signal: options.signal,
      input: options.input,
      maxBuffer: options.maxBuffer,
      credentials: options.credentials,
    });
    return options.zFields ? splitZ(result.bytes).map(decodeBytes).join('\0') : result.stdout;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (options.allowFail) return null;
    // runGit's error names the command line and the clone.
    throw error;
  }
}
