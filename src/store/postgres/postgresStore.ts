import type { Store } from '../types.js';
import { createPgArtifactStore } from './artifactStore.js';
import { createPgAuditStore } from './auditStore.js';
import { createPgBlameStore } from './blameStore.js';
import { createPgChatStore } from './chatStore.js';
import { migratePg, openPgDatabase } from './database.js';
import { createPgHistoryStore } from './historyStore.js';
import { createPgIndexStore } from './indexStore.js';
import { createPgJobStore } from './jobStore.js';
import { PG_MIGRATIONS } from './migrations/index.js';
import { createPgRepoAccessStore } from './repoAccessStore.js';
import { createPgRepoStore } from './repoStore.js';
import { createPgSessionStore } from './sessionStore.js';
import { createPgTokenStore } from './tokenStore.js';
import { createPgUserStore } from './userStore.js';
import { createPgWriterLock } from './writerLock.js';

export interface OpenPostgresStoreOptions {
  /** Folder of the clones (config.reposPath), which stored clone paths are relative to; shared by every process. */
  reposPath: string;
}

export async function openPostgresStore(url: string, options: OpenPostgresStoreOptions): Promise<Store> {
  const db = await openPgDatabase(url);
  try {
    await migratePg(db, PG_MIGRATIONS);
  } catch (error) {
    await db.close();
    throw error;
  }
  const jobs = createPgJobStore(db);
  return {
    kind: 'postgres',
    repos: createPgRepoStore(db, options.reposPath),
    index: createPgIndexStore(db),
    history: createPgHistoryStore(db),
    blame: createPgBlameStore(db),
    tokens: createPgTokenStore(db),
    chats: createPgChatStore(db),
    users: createPgUserStore(db),
    sessions: createPgSessionStore(db),
    audit: createPgAuditStore(db),
    access: createPgRepoAccessStore(db),
    writer: createPgWriterLock(db),
    artifacts: createPgArtifactStore(db),
    jobs,
    async sizeBytes() {
      const row = await db.row<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes');
      return Number(row?.bytes ?? 0);
    },
    close: async () => {
      await jobs.close();
      await db.close();
    },
  };
}
