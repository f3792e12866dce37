import type { z } from 'zod';
import type { SETTINGS } from './settings.js';

export type SourceConfig =
  | { type: 'github'; org: string; token?: string; apiUrl?: string }
  | { type: 'github'; user: string; token?: string; apiUrl?: string }
  | { type: 'git'; url: string; name?: string }
  | { type: 'local'; path: string; name?: string };

type SettingValues = {
  -readonly [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K] extends { default: infer D }
    ? Exclude<z.output<(typeof SETTINGS)[K]['schema']>, undefined> | D
    : z.output<(typeof SETTINGS)[K]['schema']>;
};

/** The configuration after every layer is merged and validated; passed down as a value. */
export type ResolvedConfig = Readonly<
  SettingValues & {
    /** Absolute; derived from dataDir unless REPOS_PATH is set. */
    reposPath: string;
    /** Absolute; derived from dataDir unless INDEX_PATH is set. */
    indexPath: string;
    /** SQLite database file (embedded default). */
    dbPath: string;
    /** Approximate-nearest-neighbour graphs of the embeddings (src/store/sqlite/vectorIndex.ts). */
    vectorIndexPath: string;
    /** Sources from the config file plus GITHUB_ORG / GITHUB_USER. */
    sources: readonly SourceConfig[];
    include: readonly string[];
    exclude: readonly string[];
    /** Where each setting's value came from, for `gitlore status`. */
    origins: Readonly<Record<string, 'flag' | 'env' | '.env' | 'file' | 'default'>>;
    /** The config file that was read, if any. */
    configFile: string | null;
    /** The directory config was resolved from (.env and config file live here). */
    cwd: string;
  }
>;
