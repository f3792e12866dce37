import type { Migration } from '../database.js';
import { artifactMigrations } from './artifacts.js';
import { blameMigrations } from './blame.js';
import { chatMigrations } from './chats.js';
import { indexMigrations } from './codeIndex.js';
import { historyMigrations } from './history.js';
import { repoMigrations } from './repos.js';
import { tokenMigrations } from './tokens.js';
import { userMigrations } from './users.js';

/** Every domain's migrations, in the order they must run (later tables reference repos). */
export const MIGRATIONS: readonly Migration[] = [
  ...repoMigrations,
  ...indexMigrations,
  ...tokenMigrations,
  ...historyMigrations,
  ...chatMigrations,
  ...userMigrations,
  ...artifactMigrations,
  ...blameMigrations,
];
