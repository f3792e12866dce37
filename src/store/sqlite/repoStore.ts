import { isAbsolute, join, relative } from 'node:path';
import type { RepoRecord, RepoStore, RepoSyncUpdate, RepoUpsert } from '../repoStore.js';
import type { Db } from './database.js';

const COLUMNS: Record<keyof RepoRecord, string> = {
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
const BOOLEANS = new Set(['isPrivate', 'isFork', 'isArchived']);
const SELECT = `SELECT ${Object.entries(COLUMNS)
  .map(([k, c]) => `${c} AS "${k}"`)
  .join(', ')} FROM repos`;

/**
 * Clone folders inside the repos folder are stored relative to it and resolved on read, so a
 * moved data dir or a changed REPOS_PATH keeps working; a folder elsewhere stays absolute.
 */
function storedPath(reposPath: string, localPath: string): string {
  const rel = relative(reposPath, localPath);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : localPath;
}

function toRecord(row: Record<string, unknown> | undefined, reposPath: string): RepoRecord | null {
  if (!row) return null;
  for (const key of BOOLEANS) row[key] = row[key] === 1;
  const local = String(row.localPath);
  row.localPath = isAbsolute(local) ? local : join(reposPath, local);
  return row as unknown as RepoRecord;
}

function toSql(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** reposPath: the folder relative clone paths are stored against (config.reposPath). */
export function createSqliteRepoStore(db: Db, reposPath: string): RepoStore {
  const byName = db.prepare(`${SELECT} WHERE name = ?`);
  const byId = db.prepare(`${SELECT} WHERE id = ?`);
  const all = db.prepare(`${SELECT} ORDER BY name`);

  return {
    async list() {
      return (all.all() as Record<string, unknown>[]).map((r) => toRecord(r, reposPath) as RepoRecord);
    },
    async get(name) {
      return toRecord(byName.get(name) as Record<string, unknown> | undefined, reposPath);
    },
    async getById(id) {
      return toRecord(byId.get(id) as Record<string, unknown> | undefined, reposPath);
    },
    async upsert(repo: RepoUpsert) {
      const now = new Date().toISOString();
      const stored = { ...repo, localPath: storedPath(reposPath, repo.localPath) };
      const fields = Object.entries(stored).filter(([, v]) => v !== undefined) as [keyof RepoRecord, unknown][];
      const cols = fields.map(([k]) => COLUMNS[k]);
      const insertCols = [...cols, 'created_at', 'updated_at'];
      const updates = cols.filter((c) => c !== 'name').map((c) => `${c} = excluded.${c}`);
      db.prepare(
        `INSERT INTO repos (${insertCols.join(', ')}) VALUES (${insertCols.map(() => '?').join(', ')})
         ON CONFLICT(name) DO UPDATE SET ${[...updates, 'updated_at = excluded.updated_at'].join(', ')}`,
      ).run(...fields.map(([, v]) => toSql(v)), now, now);
      return toRecord(byName.get(repo.name) as Record<string, unknown>, reposPath) as RepoRecord;
    },
    async updateSync(id, update: RepoSyncUpdate) {
      const fields = Object.entries(update).filter(([, v]) => v !== undefined) as [keyof RepoRecord, unknown][];
      if (fields.length === 0) return;
      db.prepare(`UPDATE repos SET ${fields.map(([k]) => `${COLUMNS[k]} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(
        ...fields.map(([, v]) => toSql(v)),
        new Date().toISOString(),
        id,
      );
    },
    async remove(id) {
      db.prepare('DELETE FROM repos WHERE id = ?').run(id);
    },
  };
}
