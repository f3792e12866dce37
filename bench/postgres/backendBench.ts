/**
 * SQLite vs PostgreSQL in one run, on the same corpus and the same build: lexical + symbols indexing throughput,
 * embedding (corpus-learned codevec), index size, and query latency p50/p95 per search mode.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55440/postgres npx tsx bench/postgres/backendBench.ts [--corpus DIR[,DIR]] [--queries 300] [--reuse]
 *
 * DATABASE_URL names a server (bench/postgres/cluster.sh starts one); the bench makes a fresh database on it.
 * Corpus: every git repo under .eval/repos and .eval/bench-repos (see bench/README.md), or --corpus.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { App } from '../../src/core/app.js';
import type { SearchMode } from '../../src/search/engine.js';

const ROOT = join(import.meta.dirname, '../..');
// The compiled build `gitlore` runs, as bench/indexBench.ts measures it.
execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
const built = <T>(module: string): Promise<T> => import(pathToFileURL(join(ROOT, 'dist', module)).href);
const { loadConfig } = await built<typeof import('../../src/config/index.js')>('config/index.js');
const { indexRepos } = await built<typeof import('../../src/core/indexRepos.js')>('core/indexRepos.js');
const { addRepo } = await built<typeof import('../../src/core/repos.js')>('core/repos.js');
const { searchCode } = await built<typeof import('../../src/core/searchCode.js')>('core/searchCode.js');
const { createServices } = await built<typeof import('../../src/core/services.js')>('core/services.js');
const { createContext } = await built<typeof import('../../src/core/context.js')>('core/context.js');
const { syncRepos } = await built<typeof import('../../src/core/syncRepos.js')>('core/syncRepos.js');
const { fitEmbedder } = await built<typeof import('../../src/indexer/embed.js')>('indexer/embed.js');
const { createLogger } = await built<typeof import('../../src/shared/logger.js')>('shared/logger.js');

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const server = process.env.DATABASE_URL;
if (!server?.startsWith('postgres')) {
  console.error('backendBench: set DATABASE_URL to a PostgreSQL server (bash bench/postgres/cluster.sh start prints one).');
  process.exit(2);
}
const nQueries = Number(opt('queries', '300'));
/** Query the data dirs and database the last run built, without rebuilding them. */
const reuse = argv.includes('--reuse');
const WORK = join(ROOT, 'bench', '.data', 'backendBench');
const corpus = opt('corpus', [join(ROOT, '.eval/repos'), join(ROOT, '.eval/bench-repos')].join(','))
  .split(',')
  .map((d) => resolve(d))
  .flatMap((d) => (existsSync(d) ? readdirSync(d).map((n) => join(d, n)) : []))
  .filter((d) => existsSync(join(d, '.git')));
if (corpus.length === 0) throw new Error('no corpus: run bench/eval/prepare.ts or pass --corpus');
const names = corpus.map((d) => d.split('/').pop()!);

const out: Record<string, unknown> = {};
const print = (k: string, v: unknown) => {
  out[k] = v;
  console.log(`${k.padEnd(48)} ${typeof v === 'number' ? Number(v.toFixed(3)) : JSON.stringify(v)}`);
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function freshDatabase(): Promise<string> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query('DROP DATABASE IF EXISTS gitlore_backend_bench WITH (FORCE)');
    await client.query('CREATE DATABASE gitlore_backend_bench');
  } finally {
    await client.end();
  }
  return benchDatabaseUrl();
}

function benchDatabaseUrl(): string {
  const url = new URL(server!);
  url.pathname = '/gitlore_backend_bench';
  return url.toString();
}

async function databaseBytes(app: App): Promise<number> {
  if (app.store.kind === 'sqlite') {
    const dir = join(app.config.dbPath, '..');
    return readdirSync(dir)
      .filter((f) => f.startsWith('gitlore.db'))
      .reduce((a, f) => a + statSync(join(dir, f)).size, 0);
  }
  const client = new pg.Client({ connectionString: app.config.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  } finally {
    await client.end();
  }
}

const devQueries = readFileSync('/work/shared/eval/queries.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { query: string }).query);

/** The bench's data dir (and database) for one backend: rebuilt from the corpus, or as the last run left it (--reuse). */
async function openBackend(backend: Backend): Promise<App> {
  const dataDir = join(WORK, backend);
  if (!reuse) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
  }
  const env: Record<string, string> = { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS_MODEL: 'codevec', GITLORE_LOG_LEVEL: 'warn' };
  if (backend === 'postgres') env.DATABASE_URL = reuse ? benchDatabaseUrl() : await freshDatabase();
  return createServices(loadConfig({ cwd: WORK, env }), { log: createLogger('bench', { level: 'warn' }) });
}

async function buildIndex(backend: Backend, app: App): Promise<void> {
  for (const [i, dir] of corpus.entries()) await addRepo({ target: dir, name: names[i] }, createContext(app));
  await syncRepos({ names }, createContext(app));

  let t = performance.now();
  const lexical = await indexRepos({ names, skipHistory: true, skipEmbeddings: true }, createContext(app));
  const lexSec = (performance.now() - t) / 1000;
  const mb = lexical.repos.reduce((a, r) => a + r.bytes, 0) / 2 ** 20;
  print(
    `${backend}: corpus MB / files / chunks`,
    `${mb.toFixed(1)} / ${lexical.repos.reduce((a, r) => a + r.files, 0)} / ${lexical.repos.reduce((a, r) => a + r.chunks, 0)}`,
  );
  print(`${backend}: lexical+symbols s`, lexSec);
  print(`${backend}: lexical+symbols MB/s`, mb / lexSec);

  t = performance.now();
  const history = await indexRepos({ names, skipEmbeddings: true }, createContext(app));
  print(`${backend}: history ingest s`, (performance.now() - t) / 1000);
  print(`${backend}: history failures`, history.failed);

  const embedder = await app.embedder();
  t = performance.now();
  if (embedder) await fitEmbedder(app.store, embedder);
  const emb = await indexRepos({ names, skipHistory: true, embedder }, createContext(app));
  print(`${backend}: codevec learn + embed s`, (performance.now() - t) / 1000);
  print(`${backend}: embedded chunks`, emb.embedded);
  print(
    `${backend}: vector search`,
    emb.vectorIndex ? `HNSW over ${emb.vectorIndex.vectors} vectors, built in ${emb.vectorIndex.ms} ms` : 'exact',
  );
  print(`${backend}: database MB`, (await databaseBytes(app)) / 2 ** 20);
}

/**
 * Query latency per mode on both backends, query by query in turn (SQLite, then PostgreSQL, the same query), so
 * the load of the machine falls on both alike and the ratio holds even when the absolute numbers move.
 */
async function queryLatency(apps: Record<Backend, App>): Promise<void> {
  const idents = (
    await apps.sqlite.store.index.symbols({ names: ['get', 'set', 'parse', 'handle', 'read', 'new'], prefix: true }, {}, 400)
  ).map((s) => s.name);
  const prose = Array.from({ length: nQueries }, (_, i) => (i % 3 === 2 ? idents[i % idents.length] : devQueries[i % devQueries.length]));
  const modes: [SearchMode, string[]][] = [
    ['hybrid', prose],
    ['lexical', prose],
    ['semantic', prose],
    ['symbol', prose.map((_, i) => idents[(i * 7) % idents.length])],
    ['regex', prose.map((_, i) => `${idents[(i * 13) % idents.length]}\\(`)],
  ];
  for (const [mode, queries] of modes) {
    const ms: Record<Backend, number[]> = { sqlite: [], postgres: [] };
    for (const query of queries) {
      for (const backend of BACKENDS) {
        const t0 = performance.now();
        await searchCode({ query, mode, limit: 10 }, createContext(apps[backend]));
        ms[backend].push(performance.now() - t0);
      }
    }
    for (const backend of BACKENDS) {
      print(`${backend}: ${mode} p50 / p95 ms`, `${pct(ms[backend], 50).toFixed(1)} / ${pct(ms[backend], 95).toFixed(1)}`);
    }
    print(`postgres / sqlite: ${mode} p50`, pct(ms.postgres, 50) / pct(ms.sqlite, 50));
  }
}

type Backend = 'sqlite' | 'postgres';
const BACKENDS: Backend[] = ['sqlite', 'postgres'];
const apps = {} as Record<Backend, App>;
for (const backend of BACKENDS) {
  apps[backend] = await openBackend(backend);
  if (!reuse) await buildIndex(backend, apps[backend]);
}
await queryLatency(apps);
for (const backend of BACKENDS) await apps[backend].close();
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', `backendBench-${Date.now()}.json`), JSON.stringify(out, null, 1));
