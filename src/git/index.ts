export {
  credentialHelperConfig,
  GIT_TOKEN_ENV,
  type GitOptions,
  type GitResult,
  isAuthError,
  isNotFoundError,
  runGit,
  tokenEnv,
} from './git.js';
export {
  type CloneOptions,
  cloneRepo,
  fetchAndReset,
  isGitRepository,
  type LocalHead,
  localHead,
  looksLikeClone,
  lsRemoteHead,
  type RemoteHead,
  resetTo,
} from './repoOps.js';
