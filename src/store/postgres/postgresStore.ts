import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { Store } from '../types.js';
import { migratePg, openPgDatabase } from './database.js';
import { createPgIndexStore } from './indexStore.js';
import { PG_MIGRATIONS } from './migrations/index.js';
import { createPgRepoStore } from './repoStore.js';
import { createPgWriterLock } from './writerLock.js';

export interface OpenPostgresStoreOptions {
  /** Folder of the clones (config.reposPath), which stored clone paths are relative to; shared by every process. */
  reposPath: string;
}

/** A domain whose PostgreSQL implementation has not landed yet: every call fails with one clear line. */
function notYetOnPostgres<T extends object>(domain: string): T {
  return new Proxy({} as T, {
    get: (_target, method) => async () => {
      throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `The PostgreSQL store cannot hold ${domain} yet (${String(method)}).`, {
        hint: 'Unset DATABASE_URL to use the embedded SQLite store.',
      });
    },
  });
}

export async function openPostgresStore(url: string, options: OpenPostgresStoreOptions): Promise<Store> {
  const db = await openPgDatabase(url);
  try {
    await migratePg(db, PG_MIGRATIONS);
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    kind: 'postgres',
    repos: createPgRepoStore(db, options.reposPath),
    index: createPgIndexStore(db),
    history: notYetOnPostgres('history'),
    tokens: notYetOnPostgres('API tokens'),
    chats: notYetOnPostgres('chats'),
    users: notYetOnPostgres('users'),
    sessions: notYetOnPostgres('sessions'),
    audit: notYetOnPostgres('the audit log'),
    access: notYetOnPostgres('repository access'),
    writer: createPgWriterLock(db),
    close: () => db.close(),
  };
}
