import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { addRepo } from '../../src/core/repos.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createLogger, type Logger, silentLogger } from '../../src/shared/logger.js';
import { commitFiles, git, gitEnv, makeRepo, tempDir } from '../helpers/git.js';

export interface Fixture {
  root: string;
  dataDir: string;
  /** The upstream repository (a plain local git repo the sync clones from). */
  originDir: string;
  head: string;
}

/**
 * A data dir holding one registered and synced real repository, `widgets`
 * (two authors, a README, TypeScript and Python), cloned by the real sync
 * engine from a local upstream.
 */
export async function makeFixture(): Promise<Fixture> {
  const root = tempDir('gitlore-serve-');
  const dataDir = `${root}/data`;
  const originDir = `${root}/upstream/widgets`;
  makeRepo(originDir, {
    'README.md':
      '# Widgets\n\n[![ci](https://x/badge.svg)](https://x)\n\nWidgets is a tiny library that parses widget specs.\n\nMore text.\n',
    'src/parse.ts': 'export function parseWidget(spec: string): string[] {\n  return spec.split(",");\n}\n',
  });
  commitFiles(
    originDir,
    { 'tools/report.py': 'def report(widgets):\n    return len(widgets)\n' },
    'add report tool',
    gitEnv('2024-02-01T10:00:00+01:00', 'Bob Builder', 'bob@example.com'),
  );
  const head = git(originDir, ['rev-parse', 'HEAD']);
  const app = await openTestApp(dataDir, root);
  await addRepo({ target: originDir, name: 'widgets' }, createContext(app));
  await syncRepos({ names: ['widgets'] }, createContext(app));
  await app.store.close();
  return { root, dataDir, originDir, head };
}

/** An App on a fixture's data dir, configured only by `env` (never the developer's environment). */
export async function openTestApp(
  dataDir: string,
  cwd: string,
  env: Record<string, string> = {},
  log: Logger = silentLogger,
): Promise<App> {
  const config = loadConfig({ env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none', ...env }, cwd });
  return createServices(config, { log });
}

/** A logger that keeps every line, to assert what reaches the logs. */
export function captureLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger('test', { level: 'debug', write: (line) => lines.push(line) }), lines };
}

/** Environment for a spawned gitlore that must not see the developer's config or network. */
export function childEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(GITHUB_|GH_|GITLORE_|HOST$|PORT$|SKIP_|DATABASE_URL$)/.test(k)) env[k] = v;
  }
  return { ...env, GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none', GITLORE_LOG_LEVEL: 'warn', ...extra };
}
