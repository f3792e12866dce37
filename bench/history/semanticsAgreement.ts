/**
 * Does gitlore's history of a path agree with git's? Ingests one repository, samples paths (files ever touched,
 * and folders), and compares, path by path, the commit lists of
 *
 *   gitlore log --path P                      with  git log --no-merges -- P
 *   gitlore log --path P --merges             with  git log -- P
 *   gitlore log --path P --full-history       with  git log --no-merges --full-history -- P
 *   gitlore log --path P --full-history --merges  with  git log --full-history -- P
 *   last change (lastChange)                  with  git log -1 -- P
 *   get_contributors (path)                   with  git shortlog -sn --no-merges -- P
 *   get_contributors (path, merges)           with  git shortlog -sn -- P
 *   get_contributors (path, groupBy email)    with  git shortlog -sn --no-merges --group=format:%aE -- P
 *
 * and, for reference, what gitlore answered before history simplification (every non-merge commit that changed
 * P) against `git log --no-merges -- P`. Prints agreement counts and timings.
 *
 *   npx tsx bench/history/semanticsAgreement.ts --repo /work/.mirror/sqlalchemy+sqlalchemy/repo [--paths 200] [--seed 1]
 *     [--default-only] [--verbose]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { commitTimeline, getContributors, lastChange, type TimelineParams } from '../../src/core/history.js';
import { createServices } from '../../src/core/services.js';
import { createLogger } from '../../src/shared/logger.js';
import { openStore } from '../../src/store/index.js';
import { rng } from '../../test/helpers/random.js';

const { values } = parseArgs({
  options: {
    repo: { type: 'string', default: '/work/.mirror/sqlalchemy+sqlalchemy/repo' },
    paths: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
    /** Only the checks of git's default simplification (commit lists and the last change), for a quicker run. */
    'default-only': { type: 'boolean', default: false },
  },
});
const defaultOnly = values['default-only'] as boolean;
const repoPath = resolve(values.repo as string);
const wanted = Number(values.paths);

const git = (args: string[]) =>
  execFileSync('git', ['--literal-pathspecs', ...args], { cwd: repoPath, encoding: 'utf8', maxBuffer: 1 << 30 });
const lines = (text: string) => text.split('\n').filter(Boolean);
const timed = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const out = f();
  return [out, performance.now() - t];
};

/** Files ever touched (as `--no-renames` names them) and the folders above them, sampled with a fixed seed. */
function samplePaths(): string[] {
  const files = [...new Set(lines(git(['log', '--format=', '--name-only', '--no-renames', 'HEAD'])))].sort();
  const folders = [
    ...new Set(
      files.flatMap((f) =>
        f
          .split('/')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
      ),
    ),
  ].sort();
  const random = rng(Number(values.seed));
  const pick = (from: string[], n: number) => {
    const pool = [...from];
    const out: string[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor((random() + 0.5) * pool.length), 1)[0] as string);
    return out;
  };
  const nFolders = Math.min(folders.length, Math.round(wanted * 0.3));
  return [...pick(files, wanted - nFolders), ...pick(folders, nFolders)];
}

const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-semantics-bench-'));
const config = loadConfig({ flags: { dataDir }, env: {}, cwd: dataDir });
const store = await openStore({ dbPath: config.dbPath });
const app: App = await createServices(config, { store, log: createLogger('bench', { level: 'warn' }) });
await store.repos.upsert({
  name: 'bench',
  sourceType: 'local',
  sourceKey: 'manual',
  fullName: 'bench',
  cloneUrl: repoPath,
  localPath: repoPath,
});
const ctx = () => createContext(app);

const t0 = performance.now();
await commitTimeline({ repo: 'bench', limit: 1 }, ctx());
console.log(`repository: ${repoPath}`);
console.log(
  `commits: ${lines(git(['rev-list', 'HEAD'])).length}, merges: ${lines(git(['rev-list', '--merges', 'HEAD'])).length}; ingest ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

async function allHashes(params: Omit<TimelineParams, 'repo'>): Promise<{ hashes: string[]; semantics: string; ms: number }> {
  const t = performance.now();
  const hashes: string[] = [];
  let semantics = '';
  for (let offset = 0; ; offset += 10_000) {
    const page = await commitTimeline({ repo: 'bench', ...params, limit: 10_000, offset }, ctx());
    semantics = page.semantics;
    hashes.push(...page.commits.map((c) => c.hash));
    if (hashes.length >= page.total) break;
  }
  return { hashes, semantics, ms: performance.now() - t };
}

interface Check {
  name: string;
  equal: number;
  sameSet: number;
  ours: number[];
  git: number[];
  differing: string[];
}
const checks = new Map<string, Check>();
function record(name: string, path: string, ours: string[], theirs: string[], msOurs: number, msGit: number): void {
  let check = checks.get(name);
  if (!check) {
    check = { name, equal: 0, sameSet: 0, ours: [], git: [], differing: [] };
    checks.set(name, check);
  }
  const equal = ours.length === theirs.length && ours.every((h, i) => h === theirs[i]);
  const sameSet = equal || (ours.length === theirs.length && [...ours].sort().join() === [...theirs].sort().join());
  if (equal) check.equal++;
  if (sameSet) check.sameSet++;
  else if (values.verbose || check.differing.length < 5) {
    const a = new Set(ours);
    const b = new Set(theirs);
    check.differing.push(
      `${path}: ours ${ours.length}, git ${theirs.length}; only ours ${ours.filter((h) => !b.has(h)).slice(0, 3)}; only git ${theirs.filter((h) => !a.has(h)).slice(0, 3)}`,
    );
  }
  check.ours.push(msOurs);
  check.git.push(msGit);
}

const shortlog = (args: string[], path: string) =>
  lines(git(['shortlog', '-sn', ...args, 'HEAD', '--', path])).map((l) => {
    const m = /^\s*(\d+)\t(.*)$/.exec(l);
    return `${m?.[2]}:${m?.[1]}`;
  });

const paths = samplePaths();
for (const [i, path] of paths.entries()) {
  if (i % 20 === 0) process.stderr.write(`${i}/${paths.length} paths\n`);
  const cases: [string, Omit<TimelineParams, 'repo'>, string[]][] = [
    ['git log --no-merges -- P', { path }, ['log', '--no-merges']],
    ['git log -- P (--merges)', { path, merges: true }, ['log']],
    ['git log --no-merges --full-history -- P', { path, fullHistory: true }, ['log', '--no-merges', '--full-history']],
    ['git log --full-history -- P (--merges)', { path, fullHistory: true, merges: true }, ['log', '--full-history']],
  ];
  for (const [name, params, args] of defaultOnly ? cases.slice(0, 2) : cases) {
    const ours = await allHashes(params);
    const [theirs, msGit] = timed(() => lines(git([...args, '--format=%H', 'HEAD', '--', path])));
    record(name, path, ours.hashes, theirs, ours.ms, msGit);
    if (name === 'git log --no-merges -- P' && !defaultOnly) {
      // What gitlore answered before: every non-merge commit that changed the path.
      const before = await allHashes({ path, fullHistory: true });
      record('before: every change vs git log --no-merges -- P', path, before.hashes, theirs, before.ms, msGit);
    }
  }
  {
    const t = performance.now();
    const last = await lastChange({ repo: 'bench', path }, ctx());
    const ms = performance.now() - t;
    const [theirs, msGit] = timed(() => lines(git(['log', '-1', '--format=%H', 'HEAD', '--', path])));
    record('last change: git log -1 -- P', path, last.commit ? [last.commit.hash] : [], theirs, ms, msGit);
  }
  const people: [string, Parameters<typeof getContributors>[0], string[]][] = [
    ['git shortlog -sn --no-merges -- P', { repo: 'bench', path, limit: 100_000 }, ['--no-merges']],
    ['git shortlog -sn -- P (merges)', { repo: 'bench', path, merges: true, limit: 100_000 }, []],
    [
      'git shortlog -sn --no-merges --group=format:%aE -- P (groupBy email)',
      { repo: 'bench', path, groupBy: 'email', limit: 100_000 },
      ['--no-merges', '--group=format:%aE'],
    ],
  ];
  for (const [name, params, args] of defaultOnly ? [] : people) {
    const t = performance.now();
    const out = await getContributors(params, ctx());
    const ms = performance.now() - t;
    const key = params.groupBy === 'email' ? 'email' : 'name';
    const ours = out.contributors.map((c) => `${c[key]}:${c.commits}`);
    const [theirs, msGit] = timed(() => shortlog(args, path));
    record(name, path, ours, theirs, ms, msGit);
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
console.log(`paths: ${paths.length} (${paths.filter((p) => !p.includes('.')).length} without a dot, mostly folders)`);
for (const c of checks.values()) {
  console.log(
    `${c.name}: ${c.equal}/${paths.length} equal (same set: ${c.sameSet}); gitlore p50 ${pct(c.ours, 50).toFixed(1)} ms p95 ${pct(c.ours, 95).toFixed(1)} ms, git p50 ${pct(c.git, 50).toFixed(1)} ms`,
  );
  for (const d of c.differing) console.log(`    ${d}`);
}
await store.close();
rmSync(dataDir, { recursive: true, force: true });
