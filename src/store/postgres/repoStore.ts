import { REPO_COLUMNS as COLUMNS, resolveClonePath, SELECT_REPOS as SELECT, storedClonePath } from '../repoColumns.js';
import type { RepoRecord, RepoStore, RepoSyncUpdate, RepoUpsert } from '../repoStore.js';
import type { PgDb } from './database.js';

function toRecord(row: Record<string, unknown> | null, reposPath: string): RepoRecord | null {
  if (!row) return null;
  row.localPath = resolveClonePath(reposPath, String(row.localPath));
  return row as unknown as RepoRecord;
}

/** reposPath: the folder relative clone paths are stored against (config.reposPath). */
export function createPgRepoStore(db: PgDb, reposPath: string): RepoStore {
  return {
    async list() {
      // "C" collation: the byte order SQLite uses, whatever the database's locale.
      return (await db.rows(`${SELECT} ORDER BY name COLLATE "C"`)).map((r) => toRecord(r, reposPath) as RepoRecord);
    },
    async get(name) {
      return toRecord(await db.row(`${SELECT} WHERE name = $1`, [name]), reposPath);
    },
    async getById(id) {
      return toRecord(await db.row(`${SELECT} WHERE id = $1`, [id]), reposPath);
    },
    async upsert(repo: RepoUpsert) {
      const now = new Date().toISOString();
      const stored = { ...repo, localPath: storedClonePath(reposPath, repo.localPath) };
      const fields = Object.entries(stored).filter(([, v]) => v !== undefined) as [keyof RepoRecord, unknown][];
      const cols = [...fields.map(([k]) => COLUMNS[k]), 'created_at', 'updated_at'];
      const updates = cols.filter((c) => c !== 'name' && c !== 'created_at').map((c) => `${c} = excluded.${c}`);
      const row = await db.row(
        `INSERT INTO repos (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (name) DO UPDATE SET ${updates.join(', ')}
         RETURNING ${Object.entries(COLUMNS)
           .map(([k, c]) => `${c} AS "${k}"`)
           .join(', ')}`,
        [...fields.map(([, v]) => v), now, now],
      );
      return toRecord(row, reposPath) as RepoRecord;
    },
    async updateSync(id, update: RepoSyncUpdate) {
      const fields = Object.entries(update).filter(([, v]) => v !== undefined) as [keyof RepoRecord, unknown][];
      if (fields.length === 0) return;
      await db.rows(
        `UPDATE repos SET ${fields.map(([k], i) => `${COLUMNS[k]} = $${i + 1}`).join(', ')}, updated_at = $${fields.length + 1}
         WHERE id = $${fields.length + 2}`,
        [...fields.map(([, v]) => v), new Date().toISOString(), id],
      );
    },
    async remove(id) {
      await db.rows('DELETE FROM repos WHERE id = $1', [id]);
    },
  };
}
