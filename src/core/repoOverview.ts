import { basename, extname } from 'node:path';
import { type GitCredentials, runGit } from '../git/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { MAX_FILE_READ_BYTES } from '../shared/searchLimits.js';
import type { RepoRecord } from '../store/index.js';
import { credentialsFor } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { blobInfo, fileTooLarge } from './files.js';
import { commitTimeline, getContributors } from './history.js';
import { resolveRepo } from './repoGate.js';

export interface RepoOverview {
  name: string;
  fullName: string;
  description: string | null;
  url: string | null;
  defaultBranch: string | null;
  headCommit: string | null;
  lastSyncAt: string | null;
  syncStatus: string;
  /** Languages by bytes of tracked files at HEAD, largest first. */
  languages: { language: string; bytes: number; files: number; share: number }[];
  size: { files: number; bytes: number };
  /** First paragraph of the README at HEAD (markdown stripped of headings/badges), or null. */
  readmeSummary: string | null;
  topContributors: { name: string; email: string; commits: number }[];
  recentCommits: { hash: string; date: string; author: string; subject: string }[];
  /** Index state from the indexer, or null when nothing is indexed yet / the indexer is absent. */
  index: Record<string, unknown> | null;
}

async function git(
  cwd: string,
  args: string[],
  signal: AbortSignal,
  maxBuffer = 64 * 1024 * 1024,
  credentials: GitCredentials | null = null,
): Promise<string> {
  return (await runGit(args, { cwd, maxBuffer, credentials, signal })).stdout;
}

const LANGUAGES: Record<string, string> = {
  '.ts': 'TypeScript',
  '.tsx': 'TypeScript',
  '.mts': 'TypeScript',
  '.cts': 'TypeScript',
  '.js': 'JavaScript',
  '.jsx': 'JavaScript',
  '.mjs': 'JavaScript',
  '.cjs': 'JavaScript',
  '.py': 'Python',
  '.go': 'Go',
  '.rs': 'Rust',
  '.java': 'Java',
  '.kt': 'Kotlin',
  '.rb': 'Ruby',
  '.php': 'PHP',
  '.c': 'C',
  '.h': 'C',
  '.cc': 'C++',
  '.cpp': 'C++',
  '.hpp': 'C++',
  '.cs': 'C#',
  '.swift': 'Swift',
  '.scala': 'Scala',
  '.sh': 'Shell',
  '.bash': 'Shell',
  '.css': 'CSS',
  '.scss': 'SCSS',
  '.html': 'HTML',
  '.vue': 'Vue',
  '.sql': 'SQL',
  '.md': 'Markdown',
  '.json': 'JSON',
  '.yml': 'YAML',
  '.yaml': 'YAML',
  '.toml': 'TOML',
  '.lua': 'Lua',
  '.ex': 'Elixir',
  '.exs': 'Elixir',
  '.dart': 'Dart',
  '.zig': 'Zig',
  '.ps1': 'PowerShell',
};

export function languageOf(path: string): string | null {
  const name = basename(path);
  if (name === 'Dockerfile') return 'Dockerfile';
  if (name === 'Makefile') return 'Makefile';
  return LANGUAGES[extname(name).toLowerCase()] ?? null;
}

/** Extracts the first prose paragraph of a markdown/plain README. */
export function readmeFirstParagraph(text: string, maxChars = 600): string | null {
  const paragraphs = text.replace(/\r\n/g, '\n').split(/\n\s*\n/);
  for (const raw of paragraphs) {
    const lines = raw
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !/^(\[!\[|!\[|<|=+$|-+$|```)/.test(l));
    const paragraph = lines.join(' ').replace(/\s+/g, ' ').trim();
    if (paragraph.length >= 3) return paragraph.length > maxChars ? `${paragraph.slice(0, maxChars - 1)}…` : paragraph;
  }
  return null;
}

/** Optional index state from the indexer's use case, loaded lazily so the overview works before it exists. */
export type IndexStateLookup = (ctx: RequestContext, repo: RepoRecord) => Promise<Record<string, unknown> | null>;

export async function repoOverview(
  params: { repo: string },
  ctx: RequestContext,
  options: { indexState?: IndexStateLookup } = {},
): Promise<RepoOverview> {
  ctx.signal.throwIfAborted();
  const { signal } = ctx;
  const repo = await resolveRepo(ctx, params.repo);
  const base: RepoOverview = {
    name: repo.name,
    fullName: repo.fullName,
    description: repo.description,
    url: repo.htmlUrl,
    defaultBranch: repo.defaultBranch,
    headCommit: repo.headCommit,
    lastSyncAt: repo.lastSyncAt,
    syncStatus: repo.syncStatus,
    languages: [],
    size: { files: 0, bytes: 0 },
    readmeSummary: null,
    topContributors: [],
    recentCommits: [],
    index: null,
  };
  let hasHead = true;
  try {
    await git(repo.localPath, ['rev-parse', '--verify', '-q', 'HEAD'], signal);
  } catch {
    signal.throwIfAborted();
    hasHead = false;
  }
  if (hasHead) {
    const tree = await git(repo.localPath, ['ls-tree', '-r', '-l', '-z', 'HEAD'], signal);
    const byLanguage = new Map<string, { bytes: number; files: number }>();
    let readmePath: string | null = null;
    for (const entry of tree.split('\0')) {
      const match = /^\d+ blob [0-9a-f]+\s+(\d+|-)\t(.+)$/s.exec(entry);
      if (!match) continue;
      const bytes = Number(match[1]) || 0;
      const path = match[2] as string;
      base.size.files += 1;
      base.size.bytes += bytes;
      if (!readmePath && /^readme(\.(md|markdown|rst|txt))?$/i.test(path)) readmePath = path;
      const language = languageOf(path);
      if (!language) continue;
      const current = byLanguage.get(language) ?? { bytes: 0, files: 0 };
      current.bytes += bytes;
      current.files += 1;
      byLanguage.set(language, current);
    }
    const codeBytes = [...byLanguage.values()].reduce((sum, l) => sum + l.bytes, 0) || 1;
    base.languages = [...byLanguage.entries()]
      .map(([language, l]) => ({ language, bytes: l.bytes, files: l.files, share: Math.round((l.bytes / codeBytes) * 1000) / 1000 }))
      .sort((a, b) => b.bytes - a.bytes);
    if (readmePath) {
      const text = await git(repo.localPath, ['show', `HEAD:${readmePath}`], signal, 8 * 1024 * 1024);
      base.readmeSummary = readmeFirstParagraph(text);
    }
    // The history store (mailmapped, ingested on demand) gives the same authors as get_contributors.
    // Sequential: the first call ingests what is missing, the second reads it.
    const contributors = await getContributors({ repo: repo.name, limit: 10 }, ctx);
    const timeline = await commitTimeline({ repo: repo.name, limit: 10 }, ctx);
    base.topContributors = contributors.contributors.map((c) => ({ name: c.name, email: c.email, commits: c.commits }));
    base.recentCommits = timeline.commits.map((c) => ({ hash: c.hash, date: c.date, author: c.author, subject: c.subject }));
  }
  if (options.indexState) base.index = await options.indexState(ctx, repo);
  return base;
}

/**
 * Rejects paths that could leave the repository: absolute, `..` segments,
 * backslashes, NUL. Returns the normalized relative path.
 */
export function checkRepoPath(path: string): string {
  const cleaned = path.replace(/^\.\/+/, '');
  if (!cleaned || cleaned.includes('\0') || cleaned.startsWith('/') || cleaned.includes('\\') || /^[a-zA-Z]:/.test(cleaned)) {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, `Invalid file path "${path}".`, {
      hint: 'Give a path relative to the repository root, such as src/index.ts.',
    });
  }
  if (cleaned.split('/').some((segment) => segment === '..' || segment === '.git')) {
    throw new GitloreError(ERROR_CODES.PATH_INVALID, `The path "${path}" leaves the repository.`, {
      hint: 'Give a path relative to the repository root without `..`.',
    });
  }
  return cleaned.replace(/\/+$/, '');
}

export function checkRef(ref: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./@^~-]{0,199}$/.test(ref) || ref.includes('..')) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid ref "${ref}".`, { hint: 'Give a branch, tag or commit hash.' });
  }
  return ref;
}

/** Reads one file of a repository at a ref (HEAD by default) from git, never from outside the repo. */
export async function readRepoFile(
  params: { repo: string; path: string; ref?: string },
  ctx: RequestContext,
): Promise<{ repo: RepoRecord; path: string; ref: string; text: string }> {
  ctx.signal.throwIfAborted();
  const { signal } = ctx;
  const name = params.repo;
  const ref = params.ref ?? 'HEAD';
  const repo = await resolveRepo(ctx, name);
  const clean = checkRepoPath(params.path);
  checkRef(ref);
  if (!repo.headCommit && !(await hasCommit(repo.localPath, signal))) {
    throw new GitloreError(ERROR_CODES.NOT_SYNCED, `The repository "${name}" has not been cloned yet.`, {
      hint: `Run \`gitlore sync repo ${name}\`.`,
    });
  }
  const credentials = credentialsFor(ctx.services, repo);
  const object = await blobInfo({ cwd: repo.localPath, credentials, signal }, `${ref}:${clean}`);
  if (object?.type === 'blob' && object.size > MAX_FILE_READ_BYTES) throw fileTooLarge(clean, object.size, ref);
  try {
    const text = await git(repo.localPath, ['show', `${ref}:${clean}`], signal, MAX_FILE_READ_BYTES + 1024, credentials);
    return { repo, path: clean, ref, text };
  } catch {
    signal.throwIfAborted();
    throw new GitloreError(ERROR_CODES.FILE_NOT_FOUND, `No file "${clean}" at ${ref} in ${name}.`, {
      hint: 'Check the path with search_code or get_repo_overview.',
    });
  }
}

async function hasCommit(cwd: string, signal: AbortSignal): Promise<boolean> {
  try {
    await git(cwd, ['rev-parse', '--verify', '-q', 'HEAD'], signal);
    return true;
  } catch {
    return false;
  }
}
