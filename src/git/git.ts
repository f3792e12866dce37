import { spawn } from 'node:child_process';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';
import { urlCredentials } from '../shared/urlCredentials.js';
import { type GitCredentials, gitEnv } from './env.js';

export interface GitOptions {
  cwd?: string;
  /** Extra environment (merged over a clean, prompt-free git environment). */
  env?: NodeJS.ProcessEnv;
  /** The token for this repository's remote, or null: each call says which, none is inherited. */
  credentials?: GitCredentials | null;
  signal?: AbortSignal;
  /** Kills git after this many milliseconds. */
  timeoutMs?: number;
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** Fails with GIT_FAILED when stdout grows past this many bytes (default 512 MiB). */
  maxBuffer?: number;
  /** Called with each progress line git prints (`Receiving objects:  45% (9/20)`); pass `--progress` too. */
  onProgress?: (progress: GitProgress) => void;
}

export interface GitProgress {
  phase: string;
  percent: number | null;
  done: number | null;
  total: number | null;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  /** stdout as bytes, for blobs and `-z` output decoded field by field. */
  bytes: Buffer;
}

const DEFAULT_MAX_BUFFER = 512 * 1024 * 1024;

/** The subcommand for messages: `git -C dir -c k=v log` → `log`. */
export function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-C' || a === '-c') i++;
    else if (!a.startsWith('-')) return a;
  }
  return args[0] ?? 'git';
}

/** Characters of a command line shown in a message. */
const MAX_COMMAND_CHARS = 200;

/**
 * The command for messages, redacted: `git checkout --quiet --force -B main refs/remotes/origin/main in
 * /data/repos/api`. `-C <dir>` becomes the trailing `in <dir>`; `-c key=value` settings are left out.
 * Credentials never reach argv (see env.ts); redaction covers a URL a user wrote with one in it.
 */
export function describeCommand(args: readonly string[], cwd?: string): string {
  const shown: string[] = ['git'];
  let dir = cwd;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-C') dir = args[++i];
    else if (a === '-c') i++;
    else shown.push(a);
  }
  let line = shown.join(' ');
  if (line.length > MAX_COMMAND_CHARS) line = `${line.slice(0, MAX_COMMAND_CHARS - 1)}…`;
  return redact(`\`${line}\`${dir ? ` in ${dir}` : ''}`);
}

/**
 * Runs git with arguments as an array (no shell). Fails with GIT_FAILED naming the
 * command line and git's most useful stderr line, redacted; TIMEOUT/ABORTED when stopped.
 */
export function runGit(args: string[], options: GitOptions = {}): Promise<GitResult> {
  const name = subcommand(args);
  const command = () => describeCommand(args, options.cwd);
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) {
      reject(new GitloreError(ERROR_CODES.ABORTED, `git ${name} cancelled.`));
      return;
    }
    // argv is world-readable (`ps`); tokens reach git only through gitEnv's per-process config.
    if (args.some((arg) => !arg.startsWith('-') && urlCredentials(arg))) {
      reject(
        new GitloreError(ERROR_CODES.GIT_FAILED, `Refused to pass a URL with credentials to git ${name}.`, {
          hint: 'Remove the user:password@ (or token@) part of the repository URL; set GITHUB_TOKEN or use an ssh key.',
        }),
      );
      return;
    }
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: gitEnv(options.credentials, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
    let stopped: 'timeout' | 'abort' | 'overflow' | null = null;
    const kill = (why: 'timeout' | 'abort' | 'overflow') => {
      stopped ??= why;
      child.kill('SIGKILL');
    };
    const timer = options.timeoutMs ? setTimeout(() => kill('timeout'), options.timeoutMs) : null;
    const onAbort = () => kill('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // A killed git's own children (ssh, aliases) may keep the pipes open; stop waiting for them.
    child.on('exit', () => {
      if (!stopped) return;
      child.stdout.destroy();
      child.stderr.destroy();
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxBuffer) kill('overflow');
      else out.push(chunk);
    });
    const progress = options.onProgress ? progressParser(options.onProgress) : null;
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      progress?.(chunk);
    });
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new GitloreError(ERROR_CODES.GIT_FAILED, `Cannot run git: ${error.message}`, { hint: 'Install git 2.25 or newer.' }));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const bytes = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      if (stopped === 'timeout') {
        reject(
          new GitloreError(ERROR_CODES.TIMEOUT, `${command()} timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)}s.`, {
            hint: 'Raise GITLORE_SYNC_TIMEOUT for very large repositories.',
          }),
        );
      } else if (stopped === 'abort') {
        reject(new GitloreError(ERROR_CODES.ABORTED, `git ${name} cancelled.`));
      } else if (stopped === 'overflow') {
        reject(new GitloreError(ERROR_CODES.GIT_FAILED, `${command()} printed more than ${Math.round(maxBuffer / 1024 / 1024)} MiB.`));
      } else if (code !== 0) {
        reject(new GitloreError(ERROR_CODES.GIT_FAILED, `${command()} failed: ${gitErrorLine(stderr) || `exit code ${code}`}`));
      } else {
        resolvePromise({
          bytes,
          stderr,
          get stdout() {
            return bytes.toString('utf8');
          },
        });
      }
    });
  });
}

/** The most useful stderr line (git's first `fatal:`/`error:` line names the cause), redacted. */
export function gitErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return redact((fatal ?? lines.at(-1) ?? '').slice(0, 500));
}

/** Turns git's `\r`-updated progress lines into events. */
function progressParser(emit: (progress: GitProgress) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk.toString('utf8')).split(/[\r\n]/);
    rest = parts.pop() ?? '';
    for (const line of parts) {
      const m = /^(?:remote: )?([A-Za-z][A-Za-z ]+):\s+(\d+)%\s+\((\d+)\/(\d+)\)/.exec(line.trim());
      if (m) emit({ phase: m[1] ?? '', percent: Number(m[2]), done: Number(m[3]), total: Number(m[4]) });
    }
  };
}

/** True when git's error says the remote repository does not exist. */
export function isNotFoundError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /repository .* not found|not found|does not appear to be a git repository|no such file or directory|HTTP 404/i.test(message);
}

/** True when git's error says authentication failed. */
export function isAuthError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /authentication failed|HTTP 401|HTTP 403|could not read Username|terminal prompts disabled|Permission denied/i.test(message);
}
