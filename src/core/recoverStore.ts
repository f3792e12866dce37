import { checkDataDirs, type ResolvedConfig } from '../config/index.js';
import { describeHolder, type RecoverResult, recoverStore } from '../store/index.js';

/**
 * `gitlore index --full` on a store that cannot even be opened: the store checks itself and, when it is
 * damaged, sets it aside and starts a fresh one that keeps every row of repositories and tokens it could read.
 */
export function recoverDamagedStore(
  config: Pick<ResolvedConfig, 'dbPath' | 'databaseUrl' | 'dataDir' | 'indexPath' | 'reposPath' | 'origins' | 'configFile' | 'lockWaitSec'>,
  writer: { command: string; onWait?: (holder: string) => void },
): Promise<RecoverResult> {
  checkDataDirs(config);
  return recoverStore(
    { dbPath: config.dbPath, databaseUrl: config.databaseUrl },
    { command: writer.command, waitMs: config.lockWaitSec * 1000, onWait: (holder) => writer.onWait?.(describeHolder(holder)) },
  );
}

const TABLE_NAMES: Record<string, string> = {
  repos: 'registered repositories',
  api_tokens: 'API tokens',
  chat_threads: 'ask threads',
  chat_turns: 'ask answers',
  users: 'users',
  user_identities: 'sign-in identities',
  sessions: 'sessions',
  audit_events: 'audit events',
  repo_access: 'repository grants',
  permission_syncs: 'permission sync states',
};
/** Always reported, even at 0; other tables only when they held rows. */
const ALWAYS_REPORTED = new Set(['repos', 'api_tokens']);
const tableName = (table: string) => TABLE_NAMES[table] ?? `rows of ${table}`;

/** One line for the user: where the damaged file went, what was kept, what was lost and what the rebuild restores. */
export function describeRecovery(result: RecoverResult, dbPath: string): string {
  const aside = `the database ${dbPath} was damaged (${result.problem}); set it aside as ${result.movedTo}.`;
  if (result.nothingReadable) {
    return `${aside} Nothing in it could be read, so no repositories or API tokens were kept: register repositories again (\`gitlore repo add\`, or \`gitlore sync\` for configured sources) and create new tokens (\`gitlore token create\`).`;
  }
  const kept = Object.entries(result.kept)
    .filter(([table, rows]) => rows > 0 || ALWAYS_REPORTED.has(table) || (result.lost[table] ?? 0) !== 0)
    .map(([table, rows]) => `${rows} ${tableName(table)}`);
  const lost = Object.entries(result.lost)
    .filter(([, rows]) => rows !== 0)
    .map(([table, rows]) => (rows === null ? `some ${tableName(table)} (the table could not be counted)` : `${rows} ${tableName(table)}`));
  return [
    aside,
    `Kept ${kept.length > 0 ? kept.join(', ') : 'nothing'}.`,
    ...(lost.length > 0 ? [`Could not keep ${lost.join(', ')}: register or create them again.`] : []),
    'The code index and history are rebuilt from the clones now.',
  ].join(' ');
}
