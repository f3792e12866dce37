import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commitFiles, git, gitEnv, makeRepo } from '../helpers/git.js';

export interface Upstream {
  /** Working repository the test commits in. */
  work: string;
  /** Bare repository served by the fake git server (relative path `owner/name.git`). */
  bare: string;
  path: string;
}

/** A working repo with one commit, pushed to a bare repo at `<root>/srv/<owner>/<name>.git`. */
export function createUpstream(
  root: string,
  owner: string,
  name: string,
  files: Record<string, string> = { 'README.md': `# ${name}\n` },
): Upstream {
  const work = join(root, 'work', owner, name);
  const bare = join(root, 'srv', owner, `${name}.git`);
  makeRepo(work, files, `initial ${name}`);
  mkdirSync(join(root, 'srv', owner), { recursive: true });
  git(root, ['clone', '-q', '--bare', work, bare]);
  git(work, ['remote', 'add', 'origin', bare]);
  return { work, bare, path: `/${owner}/${name}.git` };
}

/** Commits in the working repo and pushes to the bare one; returns the new head. */
export function pushCommit(upstream: Upstream, files: Record<string, string>, message: string): string {
  const sha = commitFiles(upstream.work, files, message);
  git(upstream.work, ['push', '-q', 'origin', 'HEAD:main']);
  return sha;
}

/** Rewrites the last commit and force-pushes; returns the new head. */
export function forcePush(upstream: Upstream, files: Record<string, string>, message: string): string {
  git(upstream.work, ['reset', '-q', '--hard', 'HEAD~1']);
  const sha = commitFiles(upstream.work, files, message);
  git(upstream.work, ['push', '-q', '--force', 'origin', 'HEAD:main']);
  return sha;
}

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** tsx's loader by absolute URL, so the CLI runs from source in any working directory. */
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the gitlore CLI from source (no stale build) with the given environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawnCli(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c) => {
      stdout += c;
    });
    child.stderr?.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts the CLI in its own process group (so a test can `kill -9` it with its git children). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, cwd: string, options: { detached?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER, join(REPO_ROOT, 'src/main.ts'), ...args], {
    cwd,
    env: { ...gitEnv(), ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
}

/** The parent's environment minus anything gitlore reads, so the developer's settings never leak in. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(GITLORE_|GITHUB_|GH_TOKEN|REPOS_PATH|INDEX_PATH|MAX_PARALLEL_CLONES|DATABASE_URL|SKIP_)/.test(key)) delete env[key];
  }
  env.NODE_PATH = join(REPO_ROOT, 'node_modules');
  // tsx finds tsconfig.json from the working directory; a test's temp dir has none, and pages (JSX) need its settings.
  env.TSX_TSCONFIG_PATH = join(REPO_ROOT, 'tsconfig.json');
  return env;
}

export function gitOut(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: gitEnv() }).trim();
}
