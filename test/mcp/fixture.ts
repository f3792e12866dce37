import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { openStore } from '../../src/store/index.js';
import { commitFiles, git, gitEnv, makeRepo, tempDir } from '../helpers/git.js';

export interface Fixture {
  dataDir: string;
  repoDir: string;
  head: string;
}

/**
 * A data dir holding one registered, "synced" real git repository (two
 * authors, a README, TypeScript and Python). Registered through the store so
 * the serving tests do not depend on the sync engine.
 */
export async function makeFixture(): Promise<Fixture> {
  const root = tempDir('gitlore-serve-');
  const dataDir = join(root, 'data');
  const repoDir = join(root, 'widgets');
  makeRepo(repoDir, {
    'README.md':
      '# Widgets\n\n[![ci](https://x/badge.svg)](https://x)\n\nWidgets is a tiny library that parses widget specs.\n\nMore text.\n',
    'src/parse.ts': 'export function parseWidget(spec: string): string[] {\n  return spec.split(",");\n}\n',
  });
  commitFiles(
    repoDir,
    { 'tools/report.py': 'def report(widgets):\n    return len(widgets)\n' },
    'add report tool',
    gitEnv('2024-02-01T10:00:00+01:00', 'Bob Builder', 'bob@example.com'),
  );
  const head = git(repoDir, ['rev-parse', 'HEAD']);
  const config = loadConfig({ env: { GITLORE_DATA_DIR: dataDir }, cwd: root });
  const store = await openStore({ dbPath: config.dbPath });
  const repo = await store.repos.upsert({
    name: 'widgets',
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: 'widgets',
    cloneUrl: repoDir,
    localPath: repoDir,
    description: 'Widget spec parser',
    defaultBranch: 'main',
    language: 'TypeScript',
  });
  await store.repos.updateSync(repo.id, { headCommit: head, lastSyncAt: new Date().toISOString(), syncStatus: 'ok' });
  await store.close();
  return { dataDir, repoDir, head };
}

/** Environment for a spawned gitlore that must not see the developer's config or network. */
export function childEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(GITHUB_|GH_|GITLORE_|HOST$|PORT$|SKIP_)/.test(k)) env[k] = v;
  }
  return { ...env, GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none', GITLORE_LOG_LEVEL: 'warn', ...extra };
}
