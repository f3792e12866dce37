import type { PgMigration } from '../database.js';
import { pgIndexMigrations } from './codeIndex.js';
import { pgRepoMigrations } from './repos.js';

/** Every domain's PostgreSQL migrations, in the order they must run (later tables reference repos). */
export const PG_MIGRATIONS: readonly PgMigration[] = [...pgRepoMigrations, ...pgIndexMigrations];
