import { REPO_COLUMNS as COLUMNS, REPO_BOOLEANS, resolveClonePath, SELECT_REPOS as SELECT, storedClonePath } from '../repoColumns.js';
import type { RepoRecord, RepoStore, RepoSyncUpdate, RepoUpsert } from '../repoStore.js';
import type { Db } from './database.js';

function toRecord(row: Record<string, unknown> | undefined, reposPath: string): RepoRecord | null {
  if (!row) return null;
  for (const key of REPO_BOOLEANS) row[key] = row[key] === 1;
  row.localPath = resolveClonePath(reposPath, String(row.localPath));
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
      const stored = { ...repo, localPath: storedClonePath(reposPath, repo.localPath) };
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
