import { spawn } from 'node:child_process';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';

export interface GitOptions {
  cwd?: string;
  /** Extra environment (merged over a clean, prompt-free git environment). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Kills git after this many milliseconds. */
  timeoutMs?: number;
}

export interface GitResult {
  stdout: string;
  stderr: string;
}

/** Environment every git call gets: never prompt, never use a terminal. */
function baseEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'true',
    SSH_ASKPASS: 'true',
    GCM_INTERACTIVE: 'never',
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    LC_ALL: 'C',
    ...extra,
  };
}

/**
 * Runs git with arguments as an array (no shell). Fails with GIT_FAILED naming the
 * command and git's last stderr line, redacted; TIMEOUT/ABORTED when stopped.
 */
export function runGit(args: string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) {
      reject(new GitloreError(ERROR_CODES.ABORTED, `git ${args[0]} cancelled.`));
      return;
    }
    const child = spawn('git', args, { cwd: options.cwd, env: baseEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let stopped: 'timeout' | 'abort' | null = null;
    const kill = (why: 'timeout' | 'abort') => {
      stopped = why;
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
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new GitloreError(ERROR_CODES.GIT_FAILED, `Cannot run git: ${error.message}`, { hint: 'Install git 2.25 or newer.' }));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (stopped === 'timeout') {
        reject(
          new GitloreError(ERROR_CODES.TIMEOUT, `git ${args[0]} timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)}s.`, {
            hint: 'Raise GITLORE_SYNC_TIMEOUT for very large repositories.',
          }),
        );
      } else if (stopped === 'abort') {
        reject(new GitloreError(ERROR_CODES.ABORTED, `git ${args[0]} cancelled.`));
      } else if (code !== 0) {
        reject(new GitloreError(ERROR_CODES.GIT_FAILED, `git ${args[0]} failed: ${lastLine(stderr) || `exit code ${code}`}`));
      } else {
        resolvePromise({ stdout, stderr });
      }
    });
  });
}

/** The most useful stderr line (git's first `fatal:`/`error:` line names the cause), redacted. */
function lastLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return redact((fatal ?? lines.at(-1) ?? '').slice(0, 500));
}

/**
 * Environment that hands a token to git as an HTTP header scoped to one origin, through
 * GIT_CONFIG_* variables: never in argv (visible in `ps`), a URL, or `.git/config`.
 */
export function tokenEnv(url: string, token: string | undefined): NodeJS.ProcessEnv {
  if (!token || !/^https?:\/\//i.test(url)) return {};
  const origin = new URL(url).origin;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    // A user's own credential helper must not be asked for (or store) this host's password.
    GIT_CONFIG_KEY_1: 'credential.helper',
    GIT_CONFIG_VALUE_1: '',
  };
}

/** The environment variable a clone's credential helper reads the token from (see credentialHelperConfig). */
export const GIT_TOKEN_ENV = 'GITLORE_GIT_TOKEN';

/**
 * A credential helper for one origin that answers with the token in $GITLORE_GIT_TOKEN, so later
 * lazy blob fetches of a partial clone (history, file reads at old commits) can authenticate
 * while no secret is ever written to disk. Without the variable it answers nothing.
 */
export function credentialHelperConfig(url: string): { key: string; value: string } | null {
  if (!/^https?:\/\//i.test(url)) return null;
  const origin = new URL(url).origin;
  return {
    key: `credential.${origin}.helper`,
    value: `!f() { test "$1" = get && test -n "$${GIT_TOKEN_ENV}" && printf 'username=x-access-token\\npassword=%s\\n' "$${GIT_TOKEN_ENV}"; }; f`,
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
