import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArtifactStore } from '../artifactStore.js';
import { defaultReposPath } from '../repoColumns.js';
import type { Store } from '../types.js';
import { createSqliteArtifactStore } from './artifactStore.js';
import { createSqliteAuditStore } from './auditStore.js';
import { createSqliteBlameStore } from './blameStore.js';
import { createSqliteChatStore } from './chatStore.js';
import { guardCorruption } from './corruption.js';
import { migrate, openDatabase } from './database.js';
import { createSqliteHistoryStore } from './historyStore.js';
import { createSqliteIndexStore } from './indexStore.js';
import { MIGRATIONS } from './migrations/index.js';
import { createSqliteRepoAccessStore } from './repoAccessStore.js';
import { createSqliteRepoStore } from './repoStore.js';
import { createSqliteSessionStore } from './sessionStore.js';
import { createSqliteTokenStore } from './tokenStore.js';
import { createSqliteUserStore } from './userStore.js';
import { createSqliteWriterLock } from './writerLock.js';

export interface OpenSqliteStoreOptions {
  readonly?: boolean;
  /** Folder of the vector search graphs; `vectors/` beside the database file (config.vectorIndexPath) by default; null: none, vector search is always exact. */
  vectorIndexDir?: string | null;
  /** Folder of the clones (config.reposPath), which stored clone paths are relative to; `<data dir>/repos` for the default layout `<data dir>/index/gitlore.db`. */
  reposPath?: string;
}

export function openSqliteStore(path: string, options: OpenSqliteStoreOptions = {}): Store {
  const db = openDatabase(path, options);
  if (!options.readonly) migrate(db, MIGRATIONS);
  return {
    kind: 'sqlite',
    repos: guardCorruption(createSqliteRepoStore(db, options.reposPath ?? defaultReposPath(path)), path),
    index: guardCorruption(
      createSqliteIndexStore(db, {
        vectorIndexDir: options.vectorIndexDir === undefined ? join(dirname(path), 'vectors') : options.vectorIndexDir,
        dbPath: path,
      }),
      path,
    ),
    history: guardCorruption(createSqliteHistoryStore(db), path),
    blame: guardCorruption(createSqliteBlameStore(db), path),
    tokens: guardCorruption(createSqliteTokenStore(db), path),
    chats: guardCorruption(createSqliteChatStore(db), path),
    users: guardCorruption(createSqliteUserStore(db), path),
    sessions: guardCorruption(createSqliteSessionStore(db), path),
    audit: guardCorruption(createSqliteAuditStore(db), path),
    access: guardCorruption(createSqliteRepoAccessStore(db), path),
    writer: createSqliteWriterLock(path),
    artifacts: guardArtifacts(createSqliteArtifactStore(db, path), path),
    // One `serve` runs its own jobs in memory; worker processes need PostgreSQL.
    jobs: null,
    async sizeBytes() {
      const pages = db.pragma('page_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      const wal = await stat(`${path}-wal`).then(
        (s) => s.size,
        () => 0,
      );
      return pages * pageSize + wal;
    },
    async close() {
      db.close();
    },
  };
}

/** The reads and writes guarded; not `withLock`, whose errors are mostly its work's own. */
function guardArtifacts(artifacts: ArtifactStore, path: string): ArtifactStore {
  return { ...guardCorruption(artifacts, path), withLock: artifacts.withLock };
}
