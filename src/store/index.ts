export type { Store } from './types.js';
export type { RepoRecord, RepoSourceType, RepoStore, RepoSyncUpdate, RepoUpsert, SyncStatus } from './repoStore.js';
export type { IndexStore } from './indexStore.js';
export type { HistoryStore } from './historyStore.js';
export type { TokenStore } from './tokenStore.js';
export { openStore, type OpenStoreOptions } from './openStore.js';
