/** What a git process needs to authenticate to one remote; passed per invocation, never stored. */
export interface GitCredentials {
  token: string;
  /** The remote the token belongs to; the token is sent to this URL's origin only. */
  url: string;
}

/**
 * Settings every git call gets, whatever the user's global config says: never prompt, never
 * use a terminal, no pager, colours or signature checks in output we parse, no fsmonitor daemon, no detached gc.
 * The user's global and system config still apply otherwise (proxies, CA bundles, insteadOf).
 */
const PINNED_CONFIG: [string, string][] = [
  ['core.pager', 'cat'],
  ['color.ui', 'false'],
  ['log.showSignature', 'false'],
  ['core.fsmonitor', 'false'],
  // Auto gc/maintenance after a fetch runs in the foreground: no git of ours outlives its call, so the
  // writer-lock holder knows any lock file in a clone is a killed git's (sync/syncRepo.ts removes them).
  ['gc.autoDetach', 'false'],
  ['maintenance.autoDetach', 'false'],
];

/**
 * The environment of one git process: a clean, prompt-free environment plus, when given,
 * the credentials as an HTTP header scoped to the remote's origin, through GIT_CONFIG_*
 * variables: never in argv (visible in `ps`), a URL, `.git/config` or any file.
 */
export function gitEnv(credentials: GitCredentials | null | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const config = [...PINNED_CONFIG];
  if (credentials && /^https?:\/\//i.test(credentials.url)) {
    const origin = new URL(credentials.url).origin;
    const basic = Buffer.from(`x-access-token:${credentials.token}`).toString('base64');
    config.push([`http.${origin}/.extraHeader`, `Authorization: Basic ${basic}`]);
    // A user's own credential helper (and one a clone's config names) must not be asked for,
    // or store, this host's password.
    config.push(['credential.helper', '']);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'true',
    SSH_ASKPASS: 'true',
    GCM_INTERACTIVE: 'never',
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
    ...extra,
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
