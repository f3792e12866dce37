/**
 * The product, in process: registers each tree as a local repo in a data dir under
 * .eval/data/ (kept between runs, so reindexing is incremental), syncs and indexes it
 * as `gitlore index` does, then answers queries through core searchCode().
 *
 * EVAL_EMBEDDINGS=use|codevec|none picks the embedder (default: the product default).
 * EVAL_PARAMS='{"weights":{"semantic":2}}' overrides ranking params (deep-merged into
 * RANKING_PARAMS) by calling the engine directly, for tuning without editing the file.
 * EVAL_DATABASE_URL=postgres://user@host:port/postgres runs the same on the PostgreSQL store: each data dir
 * gets its own database on that server (created when missing, kept between runs like .eval/data/).
 *
 * `gitlore:<mode>/files` groups results by file (`--group file`): `limit` then counts files, as the localization
 * metric does. EVAL_PER_FILE=N passes `perFile` (chunks of one file before the others' next ones).
 * EVAL_ISSUE='{"lexicalTerms":32,"boost":{"path":0}}' overrides the pasted-text extraction's constants
 * (src/search/issueText.ts ISSUE_TEXT_PARAMS, deep-merged in place) for tuning without editing the file.
 */

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { addRepo, listRepos } from '../../src/core/repos.js';
import { searchCode } from '../../src/core/searchCode.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { fitEmbedder } from '../../src/indexer/embed.js';
import { type SearchMode, search } from '../../src/search/engine.js';
import { ISSUE_TEXT_PARAMS } from '../../src/search/issueText.js';
import { RANKING_PARAMS, type RankingParams } from '../../src/search/rankingParams.js';
import { createLogger } from '../../src/shared/logger.js';
import { isPastedText } from '../../src/shared/queryLanguage.js';
import { openStore } from '../../src/store/index.js';
import type { SearchSystem } from './candidates.js';
import { EVAL_WORK_DIR } from './dataset.js';

const apps = new Map<string, Promise<App>>();

/** Writes `over` into `target` in place, object by object (the params object is shared by every search). */
function assignDeep(target: object, over: unknown): void {
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    const t = target as Record<string, unknown>;
    if (v && typeof v === 'object' && !Array.isArray(v) && t[k] && typeof t[k] === 'object') assignDeep(t[k] as object, v);
    else t[k] = v;
  }
}

function deepMerge<T>(base: T, over: unknown): T {
  // null replaces (`{"ranker":null}` turns the learned ranker off); undefined keeps the base.
  if (over === null) return null as T;
  if (!over || typeof over !== 'object' || Array.isArray(over)) return (over ?? base) as T;
  const out = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
  return out as T;
}

export async function openApp(trees: { name: string; dir: string }[], tag: string, log: (m: string) => void): Promise<App> {
  const embeddings = process.env.EVAL_EMBEDDINGS ?? 'default';
  const key = createHash('sha1')
    .update(trees.map((t) => t.dir).join('\n'))
    .digest('hex')
    .slice(0, 8);
  const dataDir = join(EVAL_WORK_DIR, 'data', `${tag}-${embeddings}-${key}`);
  const env: Record<string, string> = { GITLORE_DATA_DIR: dataDir, GITLORE_LOG_LEVEL: 'warn' };
  if (embeddings === 'none') env.GITLORE_EMBEDDINGS = 'none';
  else if (embeddings !== 'default') env.GITLORE_EMBEDDINGS_MODEL = embeddings;
  // EVAL_ANN_MIN_VECTORS=1 puts semantic search on the HNSW graph even for these small indexes.
  if (process.env.EVAL_ANN_MIN_VECTORS) env.GITLORE_ANN_MIN_VECTORS = process.env.EVAL_ANN_MIN_VECTORS;
  if (process.env.EVAL_DATABASE_URL)
    env.DATABASE_URL = await evalDatabase(process.env.EVAL_DATABASE_URL, `eval_${tag}_${embeddings}_${key}`);
  const config = loadConfig({ cwd: dataDir, env });
  const open = () => openStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl, reposPath: config.reposPath });
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await open();
  } catch (error) {
    if (config.databaseUrl) throw error;
    // A schema from an older build of the work in progress: rebuild this eval data dir.
    log(`[${tag}] ${(error as Error).message}: rebuilding ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
    store = await open();
  }
  const app: App = await createServices(config, { store, log: createLogger('eval', { level: 'warn' }) });
  const known = new Set((await listRepos({}, createContext(app))).map((r) => r.name));
  for (const t of trees) if (!known.has(t.name)) await addRepo({ target: t.dir, name: t.name }, createContext(app));
  const names = trees.map((t) => t.name);
  const t0 = Date.now();
  const sync = await syncRepos({ names }, createContext(app));
  const failed = sync.repos.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw new Error(`sync failed: ${JSON.stringify(failed)}`);
  const lexical = await indexRepos({ names, skipHistory: true, skipEmbeddings: true }, createContext(app));
  log(`[${tag}] synced + indexed (lexical) in ${Date.now() - t0} ms; chunks ${lexical.repos.reduce((a, r) => a + r.chunks, 0)}`);
  const embedder = await app.embedder();
  if (embedder?.fit) {
    // Corpus-learned model: learn from every indexed chunk before embedding (what `gitlore index` does).
    await fitEmbedder(store, embedder);
  }
  if (embedder) {
    const t1 = Date.now();
    const report = await indexRepos({ names, skipHistory: true, embedder }, createContext(app));
    log(`[${tag}] embedded ${report.embedded} chunks with ${embedder.id} in ${Date.now() - t1} ms`);
  }
  return app;
}

/** The URL of database `name` on the server of `serverUrl`, created when missing. */
async function evalDatabase(serverUrl: string, name: string): Promise<string> {
  const database = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function gitloreSystem(
  system: string,
  trees: { name: string; dir: string }[],
  tag: string,
  log: (m: string) => void,
): Promise<SearchSystem> {
  const [mode, variant] = system.split('/') as [string, string | undefined];
  const group = variant === 'files' ? ('file' as const) : undefined;
  if (variant !== undefined && !group) throw new Error(`unknown variant ${variant} of gitlore:${system} (known: files)`);
  const perFile = process.env.EVAL_PER_FILE ? Number(process.env.EVAL_PER_FILE) : undefined;
  if (process.env.EVAL_ISSUE) assignDeep(ISSUE_TEXT_PARAMS, JSON.parse(process.env.EVAL_ISSUE));
  const key = `${tag}:${trees.map((t) => t.dir).join(',')}`;
  if (!apps.has(key)) apps.set(key, openApp(trees, tag, log));
  const app = await apps.get(key)!;
  const override = process.env.EVAL_PARAMS ? (JSON.parse(process.env.EVAL_PARAMS) as unknown) : null;
  const params: RankingParams | null = override ? deepMerge(RANKING_PARAMS, override) : null;
  const repos = await listRepos({}, createContext(app));
  return {
    name: `gitlore:${system}`,
    async search(repo, query, k) {
      if (!params) {
        return (await searchCode({ query, repos: [repo], mode: mode as SearchMode, limit: k, group, perFile }, createContext(app))).results;
      }
      const r = repos.find((x) => x.name === repo);
      return search(
        { store: app.store, embedder: () => app.embedder(), params },
        {
          query,
          repos: repos.map((x) => ({ id: x.id, name: x.name, htmlUrl: null, commit: null })),
          repoIds: r ? [r.id] : [],
          mode: mode as SearchMode,
          limit: k,
          ...(isPastedText(query) ? { text: query } : {}),
          group,
          perFile,
        },
      );
    },
  };
}
