import type { ResolvedConfig } from '../config/index.js';
import { type RecoverResult, recoverStore } from '../store/index.js';

/**
 * `gitlore index --full` on a store that cannot even be opened: the store checks itself and, when it is
 * damaged, moves it aside and starts a fresh one that keeps the registered repositories it could read.
 */
export function recoverDamagedStore(config: Pick<ResolvedConfig, 'dbPath' | 'databaseUrl'>): Promise<RecoverResult> {
  return recoverStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl });
}
