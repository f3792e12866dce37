/**
 * Synthetic scale run on the PostgreSQL store: generates repositories, files, chunks (with code-aware tokens drawn
 * from a Zipf vocabulary, as real code has), symbols, vectors and commits through the store ports, then measures
 * query latency (p50/p95 per kind) and the size of every table and index.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/postgres/scaleBench.ts [--chunks 1000000] [--commits 100000]
 *     [--repos 1000] [--dims 128] [--queries 200] [--skip-load]
 *
 * The database should be empty (or hold an earlier run with --skip-load to only query). Numbers feed docs/scaling.md.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { HistoryCommitInput, IndexFileInput, Store } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { indexCodec } from '../../src/store/indexCodec.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const url = process.env.DATABASE_URL;
if (!url?.startsWith('postgres')) {
  console.error('scaleBench: set DATABASE_URL to an empty PostgreSQL database (postgres://…).');
  process.exit(2);
}
const TOTAL_CHUNKS = opt('chunks', 1_000_000);
const TOTAL_COMMITS = opt('commits', 100_000);
const REPOS = opt('repos', 1000);
const DIMS = opt('dims', 128);
const QUERIES = opt('queries', 200);
const CHUNKS_PER_FILE = 8;
const LINES_PER_CHUNK = 12;
const MODEL = `synthetic-${DIMS}`;

// Deterministic generator, so two runs load the same corpus.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const VOCAB = 50_000;
const syllables = [
  'get',
  'set',
  'load',
  'parse',
  'user',
  'repo',
  'index',
  'cache',
  'retry',
  'token',
  'conf',
  'http',
  'item',
  'node',
  'tree',
  'file',
  'path',
  'query',
  'map',
  'list',
];
const words = Array.from({ length: VOCAB }, (_, i) => {
  let n = i;
  let word = '';
  do {
    word += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  } while (n > 0);
  return word;
});
/** Zipf(1) over the vocabulary: a few words everywhere, most words rare. */
const zipf = () => words[Math.min(VOCAB - 1, Math.floor(Math.exp(random() * Math.log(VOCAB)) - 1))];
const tokens = (n: number) => Array.from({ length: n }, zipf);

function vector(): Float32Array {
  const v = new Float32Array(DIMS);
  let norm = 0;
  for (let i = 0; i < DIMS; i++) {
    v[i] = random() - 0.5;
    norm += v[i] * v[i];
  }
  for (let i = 0; i < DIMS; i++) v[i] /= Math.sqrt(norm);
  return v;
}

function syntheticFile(repo: number, index: number): IndexFileInput {
  const path = `src/${words[index % 97]}/${words[(index * 7) % 1013]}${index}.ts`;
  const lines: string[] = [];
  const chunks: IndexFileInput['chunks'] = [];
  const symbols: IndexFileInput['symbols'] = [];
  for (let c = 0; c < CHUNKS_PER_FILE; c++) {
    const name = `${zipf()}${words[(repo * 31 + index * 17 + c) % VOCAB]}`;
    const body = tokens(60);
    const startLine = lines.length + 1;
    lines.push(`export function ${name}(input) {`);
    for (let l = 0; l < LINES_PER_CHUNK - 2; l++) lines.push(`  ${body.slice(l * 6, l * 6 + 6).join(' ')};`);
    lines.push('}');
    const endLine = lines.length;
    chunks.push({
      startLine,
      endLine,
      kind: 'function',
      symbol: name,
      doc: null,
      context: null,
      hash: `${repo}-${index}-${c}`,
      fts: { symbol: name, path: path.replace(/[/.]/g, ' '), doc: '', body: body.join(' ') },
    });
    symbols.push({ name, qualified: name, kind: 'function', signature: `function ${name}(input)`, startLine, endLine });
  }
  const content = Buffer.from(lines.join('\n'));
  return {
    path,
    blob: `${repo.toString(16).padStart(8, '0')}${index.toString(16).padStart(32, '0')}`,
    language: 'typescript',
    size: content.length,
    content,
    grams: indexCodec.prefilterTerms(content.toString()),
    chunks,
    symbols,
  };
}

function syntheticCommit(i: number): HistoryCommitInput & { seq: number } {
  const time = 1_500_000_000 + i * 600;
  const author = words[Math.floor(random() * 300)];
  return {
    hash: i.toString(16).padStart(40, '0'),
    parents: i === 0 ? [] : [(i - 1).toString(16).padStart(40, '0')],
    authorName: author,
    authorEmail: `${author}@example.com`,
    authorTime: time,
    authorTz: 0,
    committerName: author,
    committerEmail: `${author}@example.com`,
    committerTime: time,
    committerTz: 0,
    subject: `${zipf()} ${zipf()}: ${tokens(5).join(' ')}`,
    body: '',
    files: Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
      status: 'M' as const,
      path: `src/${words[Math.floor(random() * 97)]}/${words[Math.floor(random() * 1013)]}.ts`,
      oldPath: null,
    })),
    seq: i + 1,
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function time(label: string, runs: number, query: (i: number) => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await query(i);
    ms.push(performance.now() - t0);
  }
  console.log(`${label.padEnd(36)} p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${percentile(ms, 95).toFixed(1)} ms`);
}

async function load(store: Store): Promise<number[]> {
  const filesPerRepo = Math.ceil(TOTAL_CHUNKS / CHUNKS_PER_FILE / REPOS);
  const repoIds: number[] = [];
  const t0 = performance.now();
  let chunks = 0;
  for (let r = 0; r < REPOS; r++) {
    const repo = await store.repos.upsert({
      name: `repo${r}`,
      sourceType: 'local',
      sourceKey: 'bench',
      fullName: `repo${r}`,
      cloneUrl: '/dev/null',
      localPath: `/srv/repo${r}`,
    });
    repoIds.push(repo.id);
    const files = Array.from({ length: filesPerRepo }, (_, i) => syntheticFile(r, i));
    await store.index.applyBatch(repo.id, { remove: [], add: files });
    await store.index.putVectors(
      MODEL,
      files.flatMap((f) => f.chunks.map((c) => ({ hash: c.hash, vector: vector() }))),
    );
    await store.index.setState(repo.id, { commit: 'synthetic', status: 'ok' });
    chunks += filesPerRepo * CHUNKS_PER_FILE;
    if (r % 50 === 49) console.error(`loaded ${chunks} chunks in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const loadSec = (performance.now() - t0) / 1000;
  console.log(`chunks loaded                        ${chunks} in ${loadSec.toFixed(0)} s (${(chunks / loadSec).toFixed(0)} chunks/s)`);

  const t1 = performance.now();
  const update = await store.index.refreshVectorIndex(MODEL, { minVectors: 1 });
  console.log(`vector index built                   ${update?.vectors ?? 0} vectors in ${((performance.now() - t1) / 1000).toFixed(0)} s`);

  const t2 = performance.now();
  const historyRepos = repoIds.slice(0, 10);
  const perRepo = Math.ceil(TOTAL_COMMITS / historyRepos.length);
  for (const repoId of historyRepos) {
    for (let i = 0; i < perRepo; i += 5000) {
      await store.history.insertCommits(
        repoId,
        Array.from({ length: Math.min(5000, perRepo - i) }, (_, k) => syntheticCommit(i + k)),
      );
    }
    await store.history.setState(repoId, {
      head: (perRepo - 1).toString(16).padStart(40, '0'),
      mailmapHash: null,
      formatVersion: 2,
      ingestedAt: new Date().toISOString(),
    });
  }
  console.log(`commits loaded                       ${perRepo * historyRepos.length} in ${((performance.now() - t2) / 1000).toFixed(0)} s`);
  return repoIds;
}

async function sizes(): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const total = await client.query('SELECT pg_database_size(current_database()) AS bytes');
    console.log(`database size                        ${(Number(total.rows[0].bytes) / 2 ** 30).toFixed(2)} GiB`);
    const tables = await client.query(`
      SELECT relname, pg_total_relation_size(c.oid) AS total, pg_relation_size(c.oid) AS heap
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 12`);
    for (const row of tables.rows)
      console.log(
        `  ${row.relname.padEnd(34)} ${(Number(row.total) / 2 ** 20).toFixed(0)} MiB (heap ${(Number(row.heap) / 2 ** 20).toFixed(0)} MiB)`,
      );
  } finally {
    await client.end();
  }
}

const store = await openStore({ dbPath: '/nonexistent/gitlore.db', databaseUrl: url, reposPath: '/srv' });
try {
  const repoIds = argv.includes('--skip-load') ? (await store.repos.list()).map((r) => r.id) : await load(store);
  await sizes();
  const weights = { symbol: 10, path: 5, doc: 1, body: 0.25 };
  const common = () => [zipf(), zipf(), words[Math.floor(random() * 2000)]];
  await time('lexical, all repos (3 terms)', QUERIES, () => store.index.lexical({ terms: common(), fieldWeights: weights }, {}, 100));
  await time('lexical, one repo', QUERIES, (i) =>
    store.index.lexical({ terms: common(), fieldWeights: weights }, { repoIds: [repoIds[i % repoIds.length]] }, 100),
  );
  await time('symbols (exact name)', QUERIES, () =>
    store.index.symbols({ names: [`${zipf()}${words[Math.floor(random() * VOCAB)]}`.toLowerCase()] }, {}, 50),
  );
  await time('nearest (k=100), all repos', QUERIES, () => store.index.nearest(MODEL, vector(), 100, {}));
  await time('nearest (k=100), one repo', QUERIES, (i) =>
    store.index.nearest(MODEL, vector(), 100, { repoIds: [repoIds[i % repoIds.length]] }),
  );
  await time('regex prefilter (one literal)', Math.min(QUERIES, 50), () =>
    store.index.regexCandidates([[words[500 + Math.floor(random() * 5000)]]], {}, 0, 100),
  );
  const historyRepo = repoIds[0];
  await time('history: path timeline (20)', QUERIES, () =>
    store.history.timeline({ repoId: historyRepo, paths: [{ path: `src/${words[Math.floor(random() * 97)]}` }], limit: 20 }),
  );
  await time('history: author timeline (20)', QUERIES, () =>
    store.history.timeline({ repoId: historyRepo, author: words[Math.floor(random() * 300)], limit: 20 }),
  );
  await time('history: contributors of a folder', Math.min(QUERIES, 50), () =>
    store.history.contributors(historyRepo, { path: `src/${words[Math.floor(random() * 97)]}` }),
  );
} finally {
  await store.close();
}
