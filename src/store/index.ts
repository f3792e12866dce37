export type { HistoryStore } from './historyStore.js';
export type { IndexStore } from './indexStore.js';
export { type OpenStoreOptions, openStore } from './openStore.js';
export type { RepoRecord, RepoSourceType, RepoStore, RepoSyncUpdate, RepoUpsert, SyncStatus } from './repoStore.js';
export type { TokenRecord, TokenStore } from './tokenStore.js';
export type { Store } from './types.js';
