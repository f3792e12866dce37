/**
 * The history store on both backends over the same generated history: ingest speed (batches of 100, as a first
 * ingest writes them, and of 2,000) and the latency of the queries `gitlore log` and the web pages run.
 *
 *   npx tsx bench/history/storeBench.ts [--commits 100000] [--database-url postgres://…]
 *
 * Without --database-url a throwaway PostgreSQL cluster is started (needs `bash scripts/postgres.sh`).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HISTORY_FORMAT_VERSION } from '../../src/history/ingest.js';
import type { Store, TimelineQuery } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { generateHistory, type SeqCommit } from '../../test/helpers/historyCommits.js';
import { startPostgres } from '../../test/helpers/postgres.js';

const { values } = parseArgs({
  options: { commits: { type: 'string', default: '100000' }, 'database-url': { type: 'string' } },
});
const count = Number(values.commits);
const cluster = values['database-url'] ? null : await startPostgres();
const databaseUrl = values['database-url'] ?? (await cluster?.createDatabase('gitlore_history_bench'));
const dir = mkdtempSync(join(tmpdir(), 'gitlore-history-store-bench-'));

const history = generateHistory(count, 42);
const files = history.reduce((n, c) => n + c.files.length, 0);
console.log(`generated history: ${count} commits, ${files} file changes`);

const ms = (t: number) => performance.now() - t;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function ingest(store: Store, name: string, batch: number): Promise<{ repoId: number; seconds: number }> {
  const repoId = (
    await store.repos.upsert({ name, sourceType: 'local', sourceKey: 'manual', fullName: name, cloneUrl: dir, localPath: dir })
  ).id;
  const t = performance.now();
  for (let start = 0; start < history.length; start += batch)
    await store.history.insertCommits(repoId, history.slice(start, start + batch));
  // As an ingest ends (PostgreSQL refreshes its statistics here).
  await store.history.setState(repoId, {
    head: history.at(-1)?.hash ?? null,
    mailmapHash: null,
    ingestedAt: new Date().toISOString(),
    formatVersion: HISTORY_FORMAT_VERSION,
  });
  return { repoId, seconds: ms(t) / 1000 };
}

async function time(label: string, run: () => Promise<unknown>, times = 20): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await run();
    samples.push(ms(t));
  }
  console.log(
    `  ${label.padEnd(44)} p50 ${pct(samples, 50).toFixed(1).padStart(7)} ms   p95 ${pct(samples, 95).toFixed(1).padStart(7)} ms`,
  );
}

for (const [backend, url] of [
  ['sqlite', undefined],
  ['postgres', databaseUrl],
] as const) {
  const store = await openStore({ dbPath: join(dir, backend, 'gitlore.db'), databaseUrl: url, reposPath: join(dir, 'repos') });
  console.log(`\n${backend}`);
  for (const batch of [100, 2000]) {
    const { seconds } = await ingest(store, `bench-${batch}`, batch);
    console.log(`  ingest, batches of ${String(batch).padEnd(5)} ${seconds.toFixed(1)} s   ${Math.round(count / seconds)} commits/s`);
  }
  const { repoId } = { repoId: (await store.repos.get('bench-100'))?.id as number };
  const again = performance.now();
  const skipped = await store.history.insertCommits(repoId, history.slice(0, 2000));
  console.log(`  re-insert of 2,000 stored commits: ${skipped} added, ${ms(again).toFixed(0)} ms`);
  const t = async (q: Omit<TimelineQuery, 'repoId'>) => store.history.timeline({ repoId, limit: 50, ...q });
  const sample = history.filter((_, i) => i % Math.floor(count / 20) === 0) as SeqCommit[];
  const paths = sample.flatMap((c) => c.files.map((f) => f.path));
  const grepFirst = performance.now();
  await t({ grep: 'parser' });
  console.log(`  first --grep (indexes every message)          ${ms(grepFirst).toFixed(0)} ms`);
  await time('timeline, newest 50', () => t({}));
  await time('timeline --path <file>', () => t({ paths: [{ path: paths[Math.floor(Math.random() * paths.length)] as string }] }));
  await time('timeline --path src/lib (folder)', () => t({ paths: [{ path: 'src/lib' }] }));
  await time('timeline --path src --author alice', () => t({ paths: [{ path: 'src' }], author: 'alice' }));
  await time('timeline --grep "cafe naive"', () => t({ grep: 'cafe naive' }));
  await time('timeline --since (a month)', () => t({ since: sample[10]?.authorTime, until: (sample[10]?.authorTime ?? 0) + 30 * 86400 }));
  await time('findCommit (7-char prefix)', () => store.history.findCommit(repoId, (sample[3] as SeqCommit).hash.slice(0, 7)));
  await time('contributors', () => store.history.contributors(repoId), 5);
  await time('contributors --path src/lib', () => store.history.contributors(repoId, { path: 'src/lib' }), 5);
  await time('weeklyActivity', () => store.history.weeklyActivity(repoId), 5);
  await store.close();
}
await cluster?.stop();
rmSync(dir, { recursive: true, force: true });
