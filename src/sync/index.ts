export { createRepoCredentials, credentialsFor, type RepoCredentials } from './credentials.js';
export { assignNames, NAME_PATTERN, type NamedRepo, sanitizeName, urlKey } from './naming.js';
export { type SyncRepoOptions, syncRepo } from './syncRepo.js';
export { makeTempPath, removeStaleTemps, tempRoot } from './tempDirs.js';
export { type RepoSyncResult, type RepoSyncStatus, type SyncEvent, type SyncReport, type SyncTotals, totalsOf } from './types.js';
