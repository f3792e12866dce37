/**
 * Indexing and query benchmark on a corpus of at least 50 MB of source.
 *
 *   npx tsx bench/indexBench.ts [--corpus DIR[,DIR...]] [--queries 1000] [--use-sample 300] [--lexical-runs 3] [--ann-min-vectors N]
 *
 * Corpus: every git repo directly under .eval/repos and .eval/bench-repos (bench/eval/prepare.ts
 * and the README list what to fetch), or --corpus. One run prints: lexical + symbol indexing
 * throughput (MB/s, files/s), embedding throughput (the corpus-learned model on the whole corpus;
 * USE on a sample, because USE on 50 MB takes hours on 2 cores), no-change reindex time, reindex
 * after changing 10 files (with embeddings), peak RSS, index size per MB of source, query
 * p50/p95 over N queries per mode, and ripgrep on the same literal and regex queries.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '../src/core/app.js';
import type { SearchMode } from '../src/search/engine.js';

// The product is measured as it ships: the compiled build that `gitlore` runs (bin/gitlore.js ->
// dist/), not the sources through the tsx loader, whose transpiling, source maps and per-worker
// loader cost 1.5-2.5 CPU-s of the lexical pass. Built first so the numbers are the current code's.
const ROOT = join(import.meta.dirname, '..');
execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
const built = <T>(module: string): Promise<T> => import(pathToFileURL(join(ROOT, 'dist', module)).href);
const { loadConfig } = await built<typeof import('../src/config/index.js')>('config/index.js');
const { indexRepos } = await built<typeof import('../src/core/indexRepos.js')>('core/indexRepos.js');
const { addRepo, listRepos } = await built<typeof import('../src/core/repos.js')>('core/repos.js');
const { searchCode } = await built<typeof import('../src/core/searchCode.js')>('core/searchCode.js');
const { createServices } = await built<typeof import('../src/core/services.js')>('core/services.js');
const { createContext } = await built<typeof import('../src/core/context.js')>('core/context.js');
const { syncRepos } = await built<typeof import('../src/core/syncRepos.js')>('core/syncRepos.js');
const { corpusTexts, fitEmbedder } = await built<typeof import('../src/indexer/embed.js')>('indexer/embed.js');
const { createUseEmbedder } = await built<typeof import('../src/embeddings/localUse.js')>('embeddings/localUse.js');
const { createLogger } = await built<typeof import('../src/shared/logger.js')>('shared/logger.js');

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const WORK = join(ROOT, 'bench', '.data', 'indexBench');
const nQueries = Number(opt('queries', '1000'));
const useSample = Number(opt('use-sample', '300'));
const lexicalRuns = Number(opt('lexical-runs', '3'));
/** GITLORE_ANN_MIN_VECTORS for the run (1 puts semantic search on the HNSW graph at this corpus size). */
const annMinVectors = opt('ann-min-vectors', '');
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const out: Record<string, unknown> = {};
const print = (k: string, v: unknown) => {
  out[k] = v;
  console.log(`${k.padEnd(44)} ${typeof v === 'number' ? Number(v.toFixed(3)) : JSON.stringify(v)}`);
};

const corpusDirs = opt('corpus', [join(ROOT, '.eval/repos'), join(ROOT, '.eval/bench-repos')].join(','))
  .split(',')
  .flatMap((d) => (existsSync(d) ? readdirSync(d).map((n) => join(d, n)) : []))
  .filter((d) => existsSync(join(d, '.git')));
if (corpusDirs.length === 0) throw new Error('no corpus: run bench/eval/prepare.ts or pass --corpus');

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
// A scratch copy of the first corpus repo that the bench may commit to (the "10 changed files" step).
const scratchSrc = join(WORK, 'scratch-src');
execFileSync('git', ['clone', '-q', '--shared', corpusDirs[0], scratchSrc]);

const corpusTargets = [scratchSrc, ...corpusDirs.slice(1)];
const names = corpusTargets.map((dir) => (dir === scratchSrc ? 'scratch' : dir.split('/').pop()!));

/** A store under `dataDir` with every corpus repo registered (not synced yet). */
async function openBenchApp(dataDir: string): Promise<App> {
  const config = loadConfig({
    cwd: WORK,
    env: {
      GITLORE_DATA_DIR: dataDir,
      GITLORE_EMBEDDINGS_MODEL: 'codevec',
      GITLORE_LOG_LEVEL: 'warn',
      ...(annMinVectors ? { GITLORE_ANN_MIN_VECTORS: annMinVectors } : {}),
    },
  });
  const benchApp: App = await createServices(config, { log: createLogger('bench', { level: 'warn' }) });
  for (const [i, dir] of corpusTargets.entries()) await addRepo({ target: dir, name: names[i]! }, createContext(benchApp));
  return benchApp;
}

/** One lexical + symbols pass over the corpus: its report, wall seconds and process CPU seconds. */
async function lexicalPass(target: App) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const report = await indexRepos({ names, skipHistory: true, skipEmbeddings: true }, createContext(target));
  return { report, sec: (performance.now() - started) / 1000, cpu: cpuSeconds(process.cpuUsage(cpu)) };
}

const app = await openBenchApp(join(WORK, 'data'));
let t = performance.now();
await syncRepos({ names }, createContext(app));
print('sync (local clones), s', (performance.now() - t) / 1000);

// 1. Lexical + symbols. This shared 2-core machine varies by +-15% from run to run, so the pass
// is repeated on fresh stores (--lexical-runs) and the median reported; the first run's index is kept.
const first = await lexicalPass(app);
const lexical = first.report;
const lexRuns = [first];
for (let run = 1; run < lexicalRuns; run += 1) {
  const extraDir = join(WORK, `lexical-run-${run}`);
  const extra = await openBenchApp(extraDir);
  await syncRepos({ names }, createContext(extra));
  lexRuns.push(await lexicalPass(extra));
  await extra.store.close();
  rmSync(extraDir, { recursive: true, force: true });
}
const lexSec = [...lexRuns].sort((a, b) => a.sec - b.sec)[Math.floor(lexRuns.length / 2)]!.sec;
const bytes = lexical.repos.reduce((a, r) => a + r.bytes, 0);
const files = lexical.repos.reduce((a, r) => a + r.files, 0);
const chunks = lexical.repos.reduce((a, r) => a + r.chunks, 0);
const mb = bytes / 1024 / 1024;
print('corpus: repos', names.length);
print('corpus: indexed source MB', mb);
print('corpus: indexed files', files);
print('corpus: chunks', chunks);
print('lexical+symbols: runs', lexRuns.length);
print('lexical+symbols: seconds per run', lexRuns.map((r) => Number(r.sec.toFixed(2))).join(' '));
print('lexical+symbols: process CPU s per run', lexRuns.map((r) => Number(r.cpu.toFixed(1))).join(' '));
print('lexical+symbols: seconds (median)', lexSec);
print('lexical+symbols: MB/s (median run)', mb / lexSec);
print('lexical+symbols: files/s (median run)', files / lexSec);
print('peak RSS after lexical indexing, MB', process.resourceUsage().maxRSS / 1024);

// 2. Embeddings with the corpus-learned model (fit + embed every chunk).
const embedder = await app.embedder();
t = performance.now();
if (embedder) await fitEmbedder(app.store, embedder);
const fitSec = (performance.now() - t) / 1000;
t = performance.now();
const emb = await indexRepos({ names, skipHistory: true, embedder }, createContext(app));
const embSec = (performance.now() - t) / 1000;
print('codevec: learn model, s', fitSec);
print('codevec: embed chunks, s', embSec);
print('codevec: chunks/s (embed only)', emb.embedded / embSec);
print('vector search', emb.vectorIndex ? `HNSW graph of ${emb.vectorIndex.vectors} vectors` : 'exact scan');
if (emb.vectorIndex) print('vector index (HNSW) build, s (in the embed time)', emb.vectorIndex.ms / 1000);
print('lexical + codevec embeddings: MB/s overall', mb / (lexSec + fitSec + embSec));
print('peak RSS after codevec, MB', process.resourceUsage().maxRSS / 1024);

// USE on a sample of chunk texts (the full corpus would take hours on 2 cores).
const use = await createUseEmbedder();
const sample = (await corpusTexts(app.store, { stride: Math.max(1, Math.floor(chunks / useSample)) })).slice(0, useSample);
t = performance.now();
for (let i = 0; i < sample.length; i += use.batchSize) await use.embed(sample.slice(i, i + use.batchSize));
const useRate = sample.length / ((performance.now() - t) / 1000);
print('use: sample chunks', sample.length);
print('use: chunks/s', useRate);
print('use: projected hours for whole corpus', chunks / useRate / 3600);

// 3. No-change reindex (incremental: blob ids unchanged, nothing to embed).
t = performance.now();
await indexRepos({ names, skipHistory: true, embedder }, createContext(app));
print('no-change reindex (all repos), s', (performance.now() - t) / 1000);

// 4. Change 10 files in one repo, sync, reindex with embeddings.
const scratchFiles = execFileSync('git', ['ls-files', '*.py', '*.js', '*.ts', '*.go'], { cwd: scratchSrc, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
  .slice(0, 10);
for (const [i, f] of scratchFiles.entries()) {
  const p = join(scratchSrc, f);
  writeFileSync(p, `${readFileSync(p, 'utf8')}\n// bench change ${i}: renderBenchmarkValue${i}\n`);
}
execFileSync('git', ['commit', '-qam', 'bench: change 10 files'], {
  cwd: scratchSrc,
  env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' },
});
t = performance.now();
await syncRepos({ names: ['scratch'] }, createContext(app));
const syncSec = (performance.now() - t) / 1000;
t = performance.now();
const ten = await indexRepos({ names: ['scratch'], skipHistory: true, embedder }, createContext(app));
print('10 changed files: sync, s', syncSec);
print('10 changed files: reindex incl. embeddings, s', (performance.now() - t) / 1000);
print('10 changed files: files re-chunked', ten.repos[0]?.changed);

// 5. Index size.
const dbBytes = readdirSync(join(app.config.dbPath, '..'))
  .filter((f) => f.startsWith(app.config.dbPath.split('/').pop()!))
  .reduce((a, f) => a + statSync(join(app.config.dbPath, '..', f)).size, 0);
// The learned model is a row of the database (artifact `codevec`), counted in its size.
print('index size: MB (db incl. model)', dbBytes / 1024 / 1024);
print('code-vector model: MB', ((await app.store.artifacts.get('codevec'))?.bytes.length ?? 0) / 1024 / 1024);
print('index size: MB per MB of source', dbBytes / 1024 / 1024 / mb);

// 6. Queries: dev-set sentences, identifiers from the corpus, and literal/regex patterns.
const devQueries = readFileSync('/work/shared/eval/queries.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { query: string }).query);
const idents: string[] = [];
for (const r of await listRepos({}, createContext(app))) {
  const syms = await app.store.index.symbols(
    { names: ['get', 'set', 'new', 'run', 'init', 'parse', 'handle', 'close', 'read', 'write'], prefix: true },
    { repoIds: [r.id] },
    40,
  );
  for (const s of syms) idents.push(s.name);
}
const identList = [...new Set(idents)];
const prose = Array.from({ length: nQueries }, (_, i) =>
  i % 3 === 2 ? identList[i % identList.length] : devQueries[i % devQueries.length],
);
const literals = Array.from({ length: nQueries }, (_, i) => identList[(i * 7) % identList.length]);
const regexes = Array.from({ length: nQueries }, (_, i) => {
  const id = identList[(i * 13) % identList.length];
  return i % 2 === 0 ? `def ${id}\\(|func ${id}\\(|function ${id}\\(` : `${id.slice(0, Math.max(3, id.length - 3))}\\w*\\(`;
});
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
async function timeMode(label: string, mode: SearchMode, qs: string[]) {
  const times: number[] = [];
  for (const q of qs) {
    const t0 = performance.now();
    await searchCode({ query: q, mode, limit: 10 }, createContext(app));
    times.push(performance.now() - t0);
  }
  print(`query ${label}: p50 ms`, pct(times, 50));
  print(`query ${label}: p95 ms`, pct(times, 95));
}
await timeMode('hybrid', 'hybrid', prose);
await timeMode('lexical', 'lexical', prose);
await timeMode('semantic', 'semantic', prose);
await timeMode('symbol', 'symbol', identList.length > 0 ? literals : prose);
await timeMode('literal (regex mode, escaped)', 'regex', literals.map(escapeRegex));
await timeMode('regex', 'regex', regexes);

// 7. ripgrep on the same literal and regex queries over the same clones (first 100 of each).
const clones = (await listRepos({}, createContext(app))).map((r) => r.localPath);
function rgTimes(patterns: string[], fixed: boolean): number[] {
  const times: number[] = [];
  for (const p of patterns.slice(0, 100)) {
    const t0 = performance.now();
    spawnSync('rg', [...(fixed ? ['-F'] : []), '-n', '--max-count', '10', '-e', p, ...clones], { stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  return times;
}
const rgLit = rgTimes(literals, true);
const rgRe = rgTimes(regexes, false);
print('ripgrep literal (100 queries): p50 ms', pct(rgLit, 50));
print('ripgrep literal (100 queries): p95 ms', pct(rgLit, 95));
print('ripgrep regex (100 queries): p50 ms', pct(rgRe, 50));
print('ripgrep regex (100 queries): p95 ms', pct(rgRe, 95));

print('peak RSS at the end (USE model loaded), MB', process.resourceUsage().maxRSS / 1024);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', `indexBench-${Date.now()}.json`), JSON.stringify(out, null, 1));
await app.store.close();
