import { type ArtifactRow, type ArtifactStore, runLocked, toArtifact } from '../artifactStore.js';
import type { WriterLock } from '../writerLock.js';
import type { Db } from './database.js';
import { createSqliteWriterLock } from './writerLock.js';

/**
 * Artifacts in the database's `artifacts` table; each name's lock is a lock file beside it (`artifacts-<name>.lock`),
 * so one name's holder (a scheduled backup's turn) never makes another's (learning the embedding model) wait.
 */
export function createSqliteArtifactStore(db: Db, dbPath: string): ArtifactStore {
  const byName = db.prepare('SELECT bytes, version, updated_at FROM artifacts WHERE name = ?');
  const versionOf = db.prepare('SELECT version FROM artifacts WHERE name = ?').pluck();
  const insert = db.prepare('INSERT INTO artifacts (name, bytes, version, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT (name) DO NOTHING');
  const replace = db.prepare('UPDATE artifacts SET bytes = ?, version = version + 1, updated_at = ? WHERE name = ? AND version = ?');
  const locks = new Map<string, WriterLock>();
  const lockOf = (name: string): WriterLock => {
    let lock = locks.get(name);
    if (!lock) {
      lock = createSqliteWriterLock(dbPath, `artifacts-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
      locks.set(name, lock);
    }
    return lock;
  };
  return {
    async get(name) {
      const row = byName.get(name) as ArtifactRow | undefined;
      return row ? toArtifact(row) : null;
    },
    async version(name) {
      return (versionOf.get(name) as number | undefined) ?? null;
    },
    async put(name, bytes, expectedVersion) {
      const now = new Date().toISOString();
      if (expectedVersion === null) return insert.run(name, bytes, now).changes > 0 ? 1 : null;
      return replace.run(bytes, now, name, expectedVersion).changes > 0 ? expectedVersion + 1 : null;
    },
    withLock: (name, work, options) => runLocked(lockOf(name).acquire, work, options),
  };
}
