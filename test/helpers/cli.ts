import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { run } from '../../src/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** GITLORE_DATA_DIR for this run. */
  dataDir?: string;
  /** The whole environment gitlore's configuration sees (nothing of this process's leaks in). */
  env?: Record<string, string | undefined>;
  /** Folder of `.env` and `gitlore.config.json`; a temp folder when absent, so the checkout's own never apply. */
  cwd?: string;
  /** Makes stderr claim to be a terminal (live progress bar). */
  tty?: boolean;
  /** What the command reads on standard input (nothing when absent). */
  stdin?: string;
}

/** A stream that keeps what is written. */
function capture(isTTY: boolean) {
  const stream = {
    isTTY,
    columns: 100,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

/**
 * Runs the gitlore CLI in this process, the same `run()` bin/gitlore.js calls: no build, no child
 * process, no tsx start-up. Tests of process behaviour (signals, kill -9, serve) spawn it instead.
 */
export async function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const stdout = capture(false);
  const stderr = capture(options.tty ?? false);
  const env = { ...(options.dataDir ? { GITLORE_DATA_DIR: options.dataDir } : {}), ...options.env };
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const code = await run(['node', 'gitlore', ...args], { stdout, stderr, env, cwd: options.cwd ?? tmpdir(), stdin });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
