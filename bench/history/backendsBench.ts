/**
 * One real repository's history ingested into both backends (`ingestHistory`, as `gitlore sync` runs it): the
 * time each takes, then the same questions asked of both, every answer compared row for row.
 *
 *   npx tsx bench/history/backendsBench.ts [--repo /work/.mirror/sqlalchemy+sqlalchemy/repo] [--database-url postgres://…]
 *
 * Without --database-url a throwaway PostgreSQL cluster is started (needs `bash scripts/postgres.sh`).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { ingestHistory } from '../../src/history/index.js';
import { createLogger } from '../../src/shared/logger.js';
import type { Store, TimelineQuery } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { startPostgres } from '../../test/helpers/postgres.js';

const { values } = parseArgs({
  options: { repo: { type: 'string', default: '/work/.mirror/sqlalchemy+sqlalchemy/repo' }, 'database-url': { type: 'string' } },
});
const repoPath = resolve(values.repo as string);
const cluster = values['database-url'] ? null : await startPostgres();
const databaseUrl = values['database-url'] ?? (await cluster?.createDatabase('gitlore_history_backends'));
const dir = mkdtempSync(join(tmpdir(), 'gitlore-history-backends-'));
const log = createLogger('bench', { level: 'warn' });

const stores: { backend: string; store: Store; repoId: number }[] = [];
for (const [backend, url] of [
  ['sqlite', undefined],
  ['postgres', databaseUrl],
] as const) {
  const store = await openStore({ dbPath: join(dir, backend, 'gitlore.db'), databaseUrl: url, reposPath: join(dir, 'repos') });
  const repo = await store.repos.upsert({
    name: 'bench',
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: 'bench',
    cloneUrl: repoPath,
    localPath: repoPath,
  });
  const t = performance.now();
  const { added } = await ingestHistory({ store, log }, repo);
  const s = (performance.now() - t) / 1000;
  console.log(`${backend}: ingested ${added} commits in ${s.toFixed(1)} s (${Math.round(added / s)} commits/s)`);
  stores.push({ backend, store, repoId: repo.id });
}

const [sqlite, postgres] = stores as [(typeof stores)[0], (typeof stores)[0]];
const withoutIds = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key === 'id' ? undefined : v)));
let asked = 0;
let differ = 0;
async function compare(label: string, ask: (store: Store, repoId: number) => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  const answers: unknown[] = [];
  for (const { store, repoId } of [sqlite, postgres]) {
    const t = performance.now();
    answers.push(withoutIds(await ask(store, repoId)));
    times.push(performance.now() - t);
  }
  asked++;
  const same = isDeepStrictEqual(answers[0], answers[1]);
  if (!same) differ++;
  if (!same || asked <= 12) {
    console.log(
      `${same ? 'same' : 'DIFFERENT'}  ${label.padEnd(52)} sqlite ${times[0]?.toFixed(1)} ms, postgres ${times[1]?.toFixed(1)} ms`,
    );
  }
}

const everything = (await sqlite.store.history.timeline({ repoId: sqlite.repoId, merges: 'include', withFiles: true })).commits;
const paths = [...new Set(everything.flatMap((c) => c.files?.map((f) => f.path) ?? []))].sort();
const folders = [...new Set(paths.map((p) => p.split('/').slice(0, -1).join('/')).filter(Boolean))].sort();
const timeline = (q: Omit<TimelineQuery, 'repoId'>) => (store: Store, repoId: number) => store.history.timeline({ repoId, ...q });

await compare('every commit, with files', timeline({ merges: 'include', withFiles: true }));
await compare('merges only', timeline({ merges: 'only' }));
await compare('roots', timeline({ roots: true }));
await compare('contributors', (s, r) => s.history.contributors(r));
await compare('weekly activity', (s, r) => s.history.weeklyActivity(r));
for (const word of ['fix', 'Merge pull request', 'typo documentation', 'ORM', 'café', 'py3k', 'issue 1234', '!!']) {
  await compare(`--grep ${word}`, timeline({ grep: word, merges: 'include', limit: 200 }));
}
for (const author of ['mike', 'BAYER', 'gmail.com', 'é']) await compare(`--author ${author}`, timeline({ author, limit: 200 }));
const step = Math.max(1, Math.floor(paths.length / 150));
for (const path of paths.filter((_, i) => i % step === 0)) {
  await compare(`--path ${path}`, timeline({ paths: [{ path, exact: true }], withFiles: true }));
  await compare(`renames into ${path}`, (s, r) => s.history.renamesInto(r, path, null));
}
for (const folder of folders.filter((_, i) => i % Math.max(1, Math.floor(folders.length / 40)) === 0)) {
  await compare(`--path ${folder}/`, timeline({ paths: [{ path: folder }], limit: 100, offset: 10 }));
  await compare(`contributors ${folder}/`, (s, r) => s.history.contributors(r, { path: folder, limit: 10 }));
  await compare(`activity ${folder}/`, (s, r) => s.history.weeklyActivity(r, { path: folder }));
}
for (const c of everything.filter((_, i) => i % 500 === 0)) {
  await compare(`findCommit ${c.hash.slice(0, 5)}`, (s, r) => s.history.findCommit(r, c.hash.slice(0, 5)));
  await compare(`files of ${c.hash.slice(0, 7)}`, async (s, r) => {
    const found = (await s.history.findCommit(r, c.hash)).commit;
    return found && s.history.commitFiles(found.id);
  });
}
console.log(`${asked} questions, ${differ} answered differently`);
for (const { store } of stores) await store.close();
await cluster?.stop();
rmSync(dir, { recursive: true, force: true });
