/**
 * The code index on SQLite and on PostgreSQL, side by side, at the store port: the same prepared files written
 * through `applyBatch` in the indexer's batch size, then the same queries against both.
 *
 *   npx tsx bench/pgIndexBench.ts [--corpus DIR[,DIR...]] [--database-url postgres://…] [--dims 256]
 *
 * Corpus: every git repo under .eval/repos and .eval/bench-repos (bench/eval/prepare.ts), or --corpus. Without
 * --database-url (or DATABASE_URL) a throwaway PostgreSQL cluster is started (test/helpers/postgres.ts).
 * Prints: write throughput per backend; lexical p50/p95 of the 270 dev-set sentences (whole index, and each
 * within its own repository) and how many of them rank differently from SQLite (top 100); symbol and regex
 * p50/p95; semantic p50/p95 exact and through pgvector's HNSW index, with its recall@10 against the exact scan.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { prepareFile } from '../src/indexer/prepareFile.js';
import { queryTerms } from '../src/shared/codeTokens.js';
import type { IndexFileInput, IndexFilter, Store } from '../src/store/index.js';
import { openStore } from '../src/store/openStore.js';
import { rng } from '../test/helpers/random.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const ROOT = join(import.meta.dirname, '..');
const DIMS = Number(opt('dims', '256'));
const BATCH_BYTES = 256 * 1024;
const WEIGHTS = { symbol: 10, path: 5, doc: 1, body: 0.25 };
const print = (k: string, v: unknown) => console.log(`${k.padEnd(52)} ${typeof v === 'number' ? Number(v.toFixed(3)) : JSON.stringify(v)}`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

// 1. The corpus, prepared once as the indexer's workers would.
const dirs = opt('corpus', [join(ROOT, '.eval/repos'), join(ROOT, '.eval/bench-repos')].join(','))
  .split(',')
  .flatMap((d) => (existsSync(d) ? readdirSync(d).map((n) => join(d, n)) : []))
  .filter((d) => existsSync(join(d, '.git')));
const repos: { name: string; files: IndexFileInput[]; bytes: number }[] = [];
for (const dir of dirs) {
  const files: IndexFileInput[] = [];
  let bytes = 0;
  for (const line of execFileSync('git', ['ls-files', '-s'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
    if (!line) continue;
    const [meta, path] = line.split('\t') as [string, string];
    const full = join(dir, path);
    if (!existsSync(full) || statSync(full).size > 1_000_000) continue;
    const raw = readFileSync(full);
    if (raw.includes(0)) continue;
    files.push({ ...(await prepareFile(path, meta.split(' ')[1]!, raw)), content: raw });
    bytes += raw.length;
  }
  repos.push({ name: basename(dir), files, bytes });
}
const totalMb = repos.reduce((n, r) => n + r.bytes, 0) / 1024 / 1024;
print('corpus: repos / files / MB', [repos.length, repos.reduce((n, r) => n + r.files.length, 0), Number(totalMb.toFixed(1))]);

// 2. Both stores.
const work = mkdtempSync(join(tmpdir(), 'gitlore-pgbench-'));
let cluster: { url: string; createDatabase(): Promise<string>; stop(): Promise<void> } | null = null;
let databaseUrl = opt('database-url', process.env.DATABASE_URL ?? '');
if (!databaseUrl) {
  cluster = await (await import('../test/helpers/postgres.js')).startPostgres();
  databaseUrl = await cluster.createDatabase();
}
const backends: { name: string; store: Store; repoIds: Map<string, number> }[] = [];
for (const [name, url] of [
  ['sqlite', undefined],
  ['postgres', databaseUrl],
] as const) {
  const store = await openStore({ dbPath: join(work, name, 'gitlore.db'), databaseUrl: url, reposPath: join(work, 'repos') });
  const repoIds = new Map<string, number>();
  for (const r of repos) {
    const repo = await store.repos.upsert({
      name: r.name,
      sourceType: 'local',
      sourceKey: 'bench',
      fullName: r.name,
      cloneUrl: r.name,
      localPath: r.name,
    });
    repoIds.set(r.name, repo.id);
  }
  backends.push({ name, store, repoIds });
}

// 3. Writes, in the indexer's batch size.
for (const { name, store, repoIds } of backends) {
  const end = await store.index.beginBulkWrites();
  const started = performance.now();
  for (const r of repos) {
    let batch: IndexFileInput[] = [];
    let bytes = 0;
    for (const file of r.files) {
      batch.push(file);
      bytes += file.size;
      if (bytes >= BATCH_BYTES) {
        await store.index.applyBatch(repoIds.get(r.name)!, { remove: [], add: batch });
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) await store.index.applyBatch(repoIds.get(r.name)!, { remove: [], add: batch });
  }
  await end();
  const seconds = (performance.now() - started) / 1000;
  print(`${name}: applyBatch s / MB/s`, [Number(seconds.toFixed(2)), Number((totalMb / seconds).toFixed(2))]);
}

// 4. Lexical: the dev-set sentences, whole index and per repository; rank agreement with SQLite.
const dev = readFileSync('/work/shared/eval/queries.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { query: string; repo: string });
async function timed<T>(run: () => Promise<T>, times: number[]): Promise<T> {
  const t0 = performance.now();
  const out = await run();
  times.push(performance.now() - t0);
  return out;
}
for (const scope of ['whole index', 'own repo'] as const) {
  const results = new Map<string, number[][]>();
  for (const { name, store, repoIds } of backends) {
    const times: number[] = [];
    const ranked: number[][] = [];
    for (const q of dev) {
      const repoId = repoIds.get(q.repo.split('/')[1]!);
      const filter: IndexFilter = scope === 'own repo' && repoId ? { repoIds: [repoId] } : {};
      const rows = await timed(() => store.index.lexical({ terms: queryTerms(q.query), fieldWeights: WEIGHTS }, filter, 100), times);
      ranked.push(rows.map((r) => r.chunkId));
    }
    results.set(name, ranked);
    print(`${name}: lexical (${scope}) p50 / p95 ms`, [Number(pct(times, 50).toFixed(2)), Number(pct(times, 95).toFixed(2))]);
  }
  const [a, b] = [results.get('sqlite')!, results.get('postgres')!];
  print(`lexical (${scope}): queries ranked differently`, a.filter((ids, i) => ids.join() !== b[i]!.join()).length);
}

// 5. Symbols and regex candidates on identifiers of the corpus.
const idents = [
  ...new Set(
    (await backends[0]!.store.index.symbols({ names: ['get', 'set', 'parse', 'read'], prefix: true }, {}, 300)).map((s) => s.name),
  ),
];
const answers = new Map<string, string[]>();
for (const { name, store } of backends) {
  const sym: number[] = [];
  const rx: number[] = [];
  const out: string[] = [];
  for (const id of idents) {
    const symbols = await timed(() => store.index.symbols({ names: [id.toLowerCase()] }, {}, 50), sym);
    const files = await timed(() => store.index.regexCandidates([[id]], {}, 0, 50), rx);
    out.push(`${symbols.map((s) => s.id).join()} / ${files.map((f) => f.id).join()}`);
  }
  answers.set(name, out);
  print(`${name}: symbol / regex prefilter p50 ms`, [Number(pct(sym, 50).toFixed(2)), Number(pct(rx, 50).toFixed(2))]);
}
print(
  `symbol + regex (${idents.length} identifiers): answered differently`,
  answers.get('sqlite')!.filter((a, i) => a !== answers.get('postgres')![i]).length,
);

// 6. Semantic: unit vectors around 200 random centres (embeddings cluster; uniform random vectors are the worst
// case of any approximate index), exact, then through the approximate index.
const random = rng(11);
const centres = Array.from({ length: 200 }, () => Float32Array.from({ length: DIMS }, () => random()));
const near = () => {
  const centre = centres[Math.floor((random() + 0.5) * centres.length)]!;
  const v = centre.map((x) => x + random() * 0.6);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const hashes = [...new Set(repos.flatMap((r) => r.files.flatMap((f) => f.chunks.map((c) => c.hash))))];
const vectors = hashes.map((hash) => ({ hash, vector: near() }));
const queries = Array.from({ length: 100 }, near);
for (const { name, store } of backends) {
  let t0 = performance.now();
  for (let i = 0; i < vectors.length; i += 2000) await store.index.putVectors('bench', vectors.slice(i, i + 2000));
  print(`${name}: putVectors of ${vectors.length} s`, (performance.now() - t0) / 1000);
  const exactTimes: number[] = [];
  const exact: number[][] = [];
  for (const q of queries) exact.push(await timed(() => store.index.nearest('bench', q, 10, {}), exactTimes));
  print(`${name}: semantic exact p50 / p95 ms`, [Number(pct(exactTimes, 50).toFixed(2)), Number(pct(exactTimes, 95).toFixed(2))]);
  t0 = performance.now();
  await store.index.refreshVectorIndex('bench', { minVectors: 1 });
  print(`${name}: vector index build s`, (performance.now() - t0) / 1000);
  const annTimes: number[] = [];
  let recall = 0;
  for (const [i, q] of queries.entries()) {
    const found = await timed(() => store.index.nearest('bench', q, 10, {}), annTimes);
    recall += found.filter((id) => exact[i]!.includes(id)).length / 10;
  }
  print(`${name}: semantic approximate p50 / p95 ms, recall@10`, [
    Number(pct(annTimes, 50).toFixed(2)),
    Number(pct(annTimes, 95).toFixed(2)),
    Number((recall / queries.length).toFixed(3)),
  ]);
}

for (const { store } of backends) await store.close();
await cluster?.stop();
rmSync(work, { recursive: true, force: true });
