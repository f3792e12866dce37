import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createServices } from '../../src/core/services.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { RepoUpsert } from '../../src/store/repoStore.js';
import { openSqliteStore } from '../../src/store/sqlite/sqliteStore.js';

/** Services over a fresh SQLite store under `dataDir` with one repository registered as given (not synced yet). */
export async function servicesWithRepo(dataDir: string, repo: RepoUpsert): Promise<App> {
  const config = loadConfig({ flags: { dataDir } });
  const store = openSqliteStore(config.dbPath);
  await store.repos.upsert(repo);
  return createServices(config, { store, log: silentLogger });
}
