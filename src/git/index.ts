export { type BlameRequest, blameRange, parseBlamePorcelain } from './blame.js';
export { BlobReader, type ObjectInfo } from './blobReader.js';
export { type GitCredentials, gitEnv } from './env.js';
export {
  describeCommand,
  type GitOptions,
  type GitProgress,
  type GitResult,
  gitErrorLine,
  isAuthError,
  isNotFoundError,
  runGit,
  subcommand,
} from './git.js';
export {
  type CloneOptions,
  cloneRepo,
  fetchAndReset,
  fetchAndResetToRemoteHead,
  isGitRepository,
  type LocalHead,
  localHead,
  looksLikeClone,
  lsRemoteHead,
  type RemoteHead,
  resetTo,
} from './repoOps.js';
export { closeSharedReaders, sharedReader, withSharedReader } from './sharedReaders.js';
export { type StreamLogOptions, streamLog } from './streamLog.js';
export { type DirectoryEntry, listDirectory, lsTree, show, type TreeEntry } from './tree.js';
