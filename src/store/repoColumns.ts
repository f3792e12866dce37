import { dirname, isAbsolute, join, relative } from 'node:path';
import type { RepoRecord } from './repoStore.js';

/** RepoRecord field → column of the `repos` table, the same in every backend. */
export const REPO_COLUMNS: Record<keyof RepoRecord, string> = {
  id: 'id',
  name: 'name',
  sourceType: 'source_type',
  sourceKey: 'source_key',
  fullName: 'full_name',
  cloneUrl: 'clone_url',
  htmlUrl: 'html_url',
  defaultBranch: 'default_branch',
  description: 'description',
  language: 'language',
  isPrivate: 'is_private',
  isFork: 'is_fork',
  isArchived: 'is_archived',
  pushedAt: 'pushed_at',
  localPath: 'local_path',
  headCommit: 'head_commit',
  lastSyncAt: 'last_sync_at',
  lastSyncDurationMs: 'last_sync_duration_ms',
  syncStatus: 'sync_status',
  syncError: 'sync_error',
  syncedPushedAt: 'synced_pushed_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export const REPO_BOOLEANS = new Set<keyof RepoRecord>(['isPrivate', 'isFork', 'isArchived']);

/** `SELECT <every column AS its field> FROM repos`. */
export const SELECT_REPOS = `SELECT ${Object.entries(REPO_COLUMNS)
  .map(([k, c]) => `${c} AS "${k}"`)
  .join(', ')} FROM repos`;

/**
 * Clone folders inside the repos folder are stored relative to it and resolved on read, so a
 * moved data dir or a changed REPOS_PATH keeps working; a folder elsewhere stays absolute.
 */
export function storedClonePath(reposPath: string, localPath: string): string {
  const rel = relative(reposPath, localPath);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : localPath;
}

export function resolveClonePath(reposPath: string, stored: string): string {
  return isAbsolute(stored) ? stored : join(reposPath, stored);
}

/** The clone folder of the default layout `<data dir>/index/gitlore.db` → `<data dir>/repos`, when config names none. */
export function defaultReposPath(dbPath: string): string {
  return join(dirname(dirname(dbPath)), 'repos');
}
