import type { PgMigration } from '../database.js';
import { pgArtifactMigrations } from './artifacts.js';
import { pgBlameMigrations } from './blame.js';
import { pgChatMigrations } from './chats.js';
import { pgIndexMigrations } from './codeIndex.js';
import { pgHistoryMigrations } from './history.js';
import { pgJobMigrations } from './jobs.js';
import { pgRepoMigrations } from './repos.js';
import { pgTokenMigrations } from './tokens.js';
import { pgUserMigrations } from './users.js';

/** Every domain's PostgreSQL migrations, in the order they must run (later tables reference repos; users-001 alters api_tokens). */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  ...pgRepoMigrations,
  ...pgIndexMigrations,
  ...pgTokenMigrations,
  ...pgChatMigrations,
  ...pgUserMigrations,
  ...pgHistoryMigrations,
  ...pgJobMigrations,
  ...pgArtifactMigrations,
  ...pgBlameMigrations,
];
