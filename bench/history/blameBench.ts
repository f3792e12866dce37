/**
 * Blame of line ranges, and search with each hit's last change, on real repositories.
 *
 *   npx tsx bench/history/blameBench.ts [--repos /work/main/.eval/repos] [--ranges 200] [--queries 40] [--no-search]
 *
 * 1. Agreement: samples `--ranges` ranges (chunk-sized: 1-60 lines) from the files of every repository under
 *    `--repos`, asks core's blameFile (what `gitlore blame -L` and the blame tool run) and compares each line's
 *    commit and original path/line, and the range's last change, with `git blame -l -f -n -s -L` and `git log`
 *    read independently. Prints agreement counts and p50/p95 latency cold (git blame runs) and warm (cached).
 * 2. Search: registers the same repositories in a temp data dir, indexes them (lexical + symbols), and runs
 *    `--queries` searches through core's searchCode (the default GITLORE_BLAME_BUDGET_MS) with the blame cache
 *    empty (cold), then again once their blames are cached (warm): p50/p95 of tookMs and the share of hits that
 *    carry their last change.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { blameFile } from '../../src/core/blame.js';
import { blameRunner } from '../../src/core/blameRunner.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { addRepo } from '../../src/core/repos.js';
import { searchCode } from '../../src/core/searchCode.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createLogger } from '../../src/shared/logger.js';

const { values } = parseArgs({
  options: {
    repos: { type: 'string', default: '/work/main/.eval/repos' },
    ranges: { type: 'string', default: '200' },
    queries: { type: 'string', default: '40' },
    'no-search': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
  },
});
const reposDir = resolve(values.repos as string);
const nRanges = Number(values.ranges);
const nQueries = Number(values.queries);

let seed = Number(values.seed);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const int = (n: number) => Math.floor(random() * n);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

const names = readdirSync(reposDir).filter((n) => !n.startsWith('.'));
const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-blame-bench-'));
const config = loadConfig({ flags: { dataDir }, env: { GITLORE_EMBEDDINGS: 'none' }, cwd: dataDir });
const app: App = await createServices(config, { log: createLogger('bench', { level: 'warn' }) });
const ctx = createContext(app);

console.log(`registering and cloning ${names.length} repositories (${names.join(', ')}) into ${dataDir}`);
for (const name of names) await addRepo({ target: join(reposDir, name), name }, ctx);
await syncRepos({ names }, ctx);
const clones = new Map((await app.store.repos.list()).map((r) => [r.name, r.localPath]));

// ---------------------------------------------------------------- 1. agreement with git blame, latency
interface Sample {
  repo: string;
  path: string;
  start: number;
  end: number;
}
const textFiles = new Map<string, { path: string; lines: number }[]>();
for (const name of names) {
  const dir = clones.get(name) as string;
  const files: { path: string; lines: number }[] = [];
  // Source and docs of the checkout (numstat against the empty tree counts lines; binaries show `-`).
  for (const row of git(dir, ['diff', '--numstat', '4b825dc642cb6eb9a060e54bf8d69288fbee4904', 'HEAD']).split('\n')) {
    const [added, , path] = row.split('\t');
    if (!path || added === '-' || Number(added) < 5 || /\.(lock|min\.js|svg|json)$/.test(path)) continue;
    files.push({ path, lines: Number(added) });
  }
  textFiles.set(name, files);
}
const samples: Sample[] = [];
for (let k = 0; k < nRanges; k++) {
  const repo = names[k % names.length] as string;
  const files = textFiles.get(repo) ?? [];
  const file = files[int(files.length)];
  if (!file) continue;
  const start = 1 + int(file.lines);
  samples.push({ repo, path: file.path, start, end: Math.min(file.lines, start + int(60)) });
}

interface GitLine {
  hash: string;
  origPath: string;
  origLine: number;
}
function gitBlame(s: Sample): GitLine[] {
  const out = git(clones.get(s.repo) as string, [
    '-c',
    'core.quotePath=false',
    'blame',
    '-l',
    '-f',
    '-n',
    '-s',
    '-L',
    `${s.start},${s.end}`,
    'HEAD',
    '--',
    s.path,
  ]);
  return out
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = /^\^?([0-9a-f]+) (.+?) +(\d+) +(\d+)\)( |$)/.exec(line);
      return { hash: m?.[1] ?? '?', origPath: m?.[2] ?? '?', origLine: Number(m?.[3]) };
    });
}
function newestByGit(dir: string, hashes: string[]): string {
  let best = { hash: '', time: -1 };
  for (const h of new Set(hashes)) {
    const [hash = '', time = '0'] = git(dir, ['log', '-1', '--format=%H %ct', h]).trim().split(' ');
    if (Number(time) > best.time) best = { hash, time: Number(time) };
  }
  return best.hash;
}

let rangesAgree = 0;
let linesAgree = 0;
let linesTotal = 0;
let lastAgree = 0;
const disagreements: string[] = [];
const cold: number[] = [];
const warm: number[] = [];
for (const s of samples) {
  let t = performance.now();
  const ours = await blameFile({ repo: s.repo, path: s.path, startLine: s.start, endLine: s.end }, ctx);
  cold.push(performance.now() - t);
  t = performance.now();
  await blameFile({ repo: s.repo, path: s.path, startLine: s.start, endLine: s.end }, ctx);
  warm.push(performance.now() - t);
  const theirs = gitBlame(s);
  const perLine = ours.groups.flatMap((g) =>
    Array.from({ length: g.endLine - g.startLine + 1 }, (_, i) => ({ hash: g.hash, origPath: g.origPath, origLine: g.origStartLine + i })),
  );
  let same = perLine.length === theirs.length;
  theirs.forEach((want, i) => {
    const got = perLine[i];
    const ok = got?.hash.startsWith(want.hash) && got.origPath === want.origPath && got.origLine === want.origLine;
    linesTotal++;
    if (ok) linesAgree++;
    else same = false;
  });
  if (same) rangesAgree++;
  else disagreements.push(`${s.repo}/${s.path}:${s.start}-${s.end}`);
  const newest = newestByGit(
    clones.get(s.repo) as string,
    theirs.map((l) => l.hash),
  );
  if (ours.lastChange?.hash === newest) lastAgree++;
  else disagreements.push(`last change of ${s.repo}/${s.path}:${s.start}-${s.end}: ${ours.lastChange?.hash} vs ${newest}`);
}
console.log(`\nblame of ${samples.length} sampled ranges (${linesTotal} lines) in ${names.length} repositories, against git blame -L`);
console.log(`  ranges identical (every line's commit, original path and line): ${rangesAgree}/${samples.length}`);
console.log(`  lines identical: ${linesAgree}/${linesTotal}`);
console.log(`  last change identical (newest commit by committer time): ${lastAgree}/${samples.length}`);
for (const d of disagreements.slice(0, 10)) console.log(`  differs: ${d}`);
console.log(`  latency cold (git blame + cache write) p50 ${ms(pct(cold, 50))}, p95 ${ms(pct(cold, 95))}`);
console.log(`  latency warm (cache) p50 ${ms(pct(warm, 50))}, p95 ${ms(pct(warm, 95))}`);

// ---------------------------------------------------------------- 2. search with last changes, cold and warm
if (!values['no-search']) {
  let t = performance.now();
  await indexRepos({ skipEmbeddings: true, skipHistory: true }, ctx);
  console.log(`\nindexed ${names.length} repositories (lexical + symbols) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // Query words: symbol names of the index, so every query has hits across the repositories.
  const words = new Set<string>();
  for (const s of samples) for (const w of s.path.split(/[/._-]/)) if (/^[a-z]{4,}$/i.test(w)) words.add(w.toLowerCase());
  const queries = [...words].sort(() => random() - 0.5).slice(0, nQueries);
  const run = async (label: string, oneAtATime = false) => {
    const took: number[] = [];
    let hits = 0;
    let withChange = 0;
    let pending = 0;
    for (const query of queries) {
      if (oneAtATime) await blameRunner.whenIdle();
      t = performance.now();
      const result = await searchCode({ query, limit: 10 }, ctx);
      took.push(performance.now() - t);
      hits += result.results.length;
      withChange += result.results.filter((h) => h.lastChange).length;
      pending += result.results.filter((h) => h.lastChangeStatus === 'pending').length;
    }
    console.log(
      `  ${label}: p50 ${ms(pct(took, 50))}, p95 ${ms(pct(took, 95))}; ${withChange}/${hits} hits with their last change, ${pending} pending`,
    );
  };
  await app.store.blame.prune(0);
  console.log(`search, ${queries.length} queries (hybrid, limit 10, GITLORE_BLAME_BUDGET_MS=${config.blameBudgetMs}):`);
  await run('cold (empty blame cache), back to back     ');
  await blameRunner.whenIdle();
  await app.store.blame.prune(0);
  await run('cold (empty blame cache), one query at a time', true);
  // The searches leave the blames they did not wait for running (at most 64 queued): search again until
  // every hit's blame is cached.
  const drain = () => blameRunner.whenIdle();
  for (let round = 0; round < 20; round++) {
    await drain();
    let pending = 0;
    for (const query of queries) pending += (await searchCode({ query, limit: 10 }, ctx)).results.filter((h) => h.lastChangeStatus).length;
    if (pending === 0) break;
  }
  await drain();
  await run('warm (every blame cached)                   ');
  await run('warm, again                                 ');
}

await app.close();
rmSync(dataDir, { recursive: true, force: true });
