/**
 * The diff index on the benchmark corpus, on both backends: its build time and size per 10,000 commits, then the
 * latency (p50/p95) of `type:diff` and `type:commit` searches through core (as `gitlore search` runs them).
 *
 *   npx tsx bench/history/diffIndexBench.ts [--database-url postgres://…] [--repos a,b,…] [--queries 40]
 *
 * Repositories: the clones in /work/main/.eval/bench-repos, else /work/.mirror/{pallets+click, encode+httpx,
 * koajs+koa, spf13+cobra}/repo. Without --database-url, `bash bench/postgres/cluster.sh start` gives one.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { searchCode } from '../../src/core/searchCode.js';
import { createServices } from '../../src/core/services.js';
import { DIFF_FORMAT_VERSION, indexDiffs, ingestHistory } from '../../src/history/index.js';
import { createLogger } from '../../src/shared/logger.js';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    repos: { type: 'string' },
    queries: { type: 'string', default: '40' },
    backends: { type: 'string', default: 'sqlite,postgres' },
  },
});
const QUERIES = Number(values.queries);
const evalRepos = '/work/main/.eval/bench-repos';
const defaults = existsSync(evalRepos)
  ? readdirSync(evalRepos).map((name) => join(evalRepos, name))
  : ['pallets+click', 'encode+httpx', 'koajs+koa', 'spf13+cobra'].map((name) => `/work/.mirror/${name}/repo`);
const repoPaths = (values.repos ? values.repos.split(',') : defaults).filter((p) => existsSync(p));
const adminUrl =
  values['database-url'] ?? execFileSync('bash', ['bench/postgres/cluster.sh', 'start'], { encoding: 'utf8' }).trim().split('\n').pop()!;
const log = createLogger('bench', { level: 'warn' });
const silent = createLogger('bench', { level: 'silent' });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });

/** Identifiers of each repository's HEAD and words of its commit subjects, sampled evenly (the same for both backends). */
function sampleQueries(path: string): { diff: string[]; commit: string[] } {
  const ids = [...new Set(git(path, ['grep', '-h', '-o', '-I', '-E', '[A-Za-z_][A-Za-z0-9_]{5,}', 'HEAD', '--']).split('\n'))].filter(
    Boolean,
  );
  const words = [
    ...new Set(
      git(path, ['log', '--no-merges', '--format=%s', '-n', '3000'])
        .split(/\W+/)
        .filter((w) => w.length >= 4),
    ),
  ];
  const every = <T>(list: T[], n: number) =>
    Array.from({ length: Math.min(n, list.length) }, (_, i) => list[Math.floor((i * list.length) / n)]!);
  return { diff: every(ids, QUERIES), commit: every(words, QUERIES) };
}

async function sizes(backend: string, services: Awaited<ReturnType<typeof createServices>>, url?: string): Promise<number> {
  if (backend === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const row = await client.query<{ n: string }>(
      `SELECT pg_total_relation_size('history_diffs') + pg_total_relation_size('history_diff_commits') AS n`,
    );
    await client.end();
    return Number(row.rows[0]?.n ?? 0);
  }
  const db = new (await import('better-sqlite3')).default(join(services.config.dataDir, 'index', 'gitlore.db'), { readonly: true });
  try {
    const row = db
      .prepare(`SELECT sum(pgsize) AS n FROM dbstat WHERE name LIKE 'history_diff%' OR name LIKE 'sqlite_autoindex_history_diff%'`)
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

const report: string[] = [];
for (const backend of (values.backends as string).split(',') as ('sqlite' | 'postgres')[]) {
  const dir = mkdtempSync(join(tmpdir(), `gitlore-diffbench-${backend}-`));
  let databaseUrl: string | undefined;
  if (backend === 'postgres') {
    const name = `gitlore_diffbench_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  }
  const env: Record<string, string> = { GITLORE_DATA_DIR: dir, GITLORE_EMBEDDINGS: 'none' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const services = await createServices(loadConfig({ env, cwd: dir }), { log: silent, embedder: null });
  const ctx = createContext(services);
  let commits = 0;
  let buildMs = 0;
  let files = 0;
  const samples: { repo: string; diff: string[]; commit: string[] }[] = [];
  for (const path of repoPaths) {
    const repoName = basename(path) === 'repo' ? basename(dirname(path)).replace(/^.*\+/, '') : basename(path);
    const repo = await services.store.repos.upsert({
      name: repoName,
      sourceType: 'local',
      sourceKey: 'bench',
      fullName: repoName,
      cloneUrl: path,
      localPath: path,
    });
    await ingestHistory({ store: services.store, log }, repo, { diffs: false });
    const result = await indexDiffs({ store: services.store, log }, repo);
    const stats = await services.store.history.diffStats(repo.id, DIFF_FORMAT_VERSION);
    commits += result.commits;
    buildMs += result.durationMs;
    files += result.files;
    console.log(
      `${backend} ${repoName}: ${result.commits} commits (${stats.skippedCommits} over the file limit), ${result.files} file changes (${result.skippedFiles} left out) in ${(result.durationMs / 1000).toFixed(1)} s`,
    );
    samples.push({ repo: repoName, ...sampleQueries(path) });
  }
  const bytes = await sizes(backend, services, databaseUrl);
  const per10k = 10_000 / commits;
  const line = `${backend}: ${commits} commits, ${files} file changes: build ${((buildMs / 1000) * per10k).toFixed(1)} s and ${((bytes / 2 ** 20) * per10k).toFixed(1)} MiB per 10,000 commits`;
  console.log(line);
  report.push(line);
  for (const type of ['diff', 'commit'] as const) {
    const times: number[] = [];
    let hits = 0;
    for (const sample of samples) {
      for (const word of sample[type]) {
        const query = `type:${type} ${type === 'diff' ? '+' : ''}${word} repo:${sample.repo}`;
        const t = performance.now();
        const answer = await searchCode({ query }, ctx);
        times.push(performance.now() - t);
        hits += (type === 'diff' ? answer.diffs?.length : answer.commits?.length) ?? 0;
      }
    }
    times.sort((a, b) => a - b);
    const out = `${backend} type:${type}: ${times.length} queries, p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (${(hits / times.length).toFixed(1)} hits each)`;
    console.log(out);
    report.push(out);
  }
  await services.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${report.join('\n')}`);
