/**
 * CLI start-up latency, measured as a user runs it: the built `bin/gitlore.js` in a fresh process.
 *
 *   npx tsx bench/cliBench.ts [--runs 20] [--no-build]
 *
 * One run times, N times each and interleaved (so machine load hits every command alike):
 * `node -e 0` (the floor), `gitlore --version`, `gitlore --help`, and `gitlore search <q>` on a small
 * index (this checkout's src/ and the test fixtures as one local repo, indexed with the default
 * embeddings in a temp data dir first). Prints p50/p95 and each command's p50 over `node -e 0`'s.
 * On a Node with a compile cache (22.1+, which bin/gitlore.js turns on) search is also timed with it off.
 * Targets: --version under 150 ms, search under 300 ms (p50).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/gitlore.js');
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : 20;

if (!argv.includes('--no-build')) {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}

const work = mkdtempSync(join(tmpdir(), 'gitlore-cli-bench-'));
const repo = join(work, 'corpus');
cpSync(join(ROOT, 'src'), join(repo, 'src'), { recursive: true });
cpSync(join(ROOT, 'test/fixtures/code'), join(repo, 'fixtures'), { recursive: true });
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
for (const args of [
  ['init', '-q', '-b', 'main'],
  ['add', '-A'],
  ['commit', '-q', '-m', 'corpus'],
]) {
  execFileSync('git', args, { cwd: repo, env: gitEnv });
}

// The developer's own settings must not leak into the measurement.
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: work, GITLORE_DATA_DIR: join(work, 'data'), NO_COLOR: '1' };
const gitlore = (args: string[]) => {
  const out = spawnSync(process.execPath, [BIN, ...args], { cwd: work, env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`gitlore ${args.join(' ')} exited ${out.status}: ${out.stderr}`);
  return out.stdout;
};
let t = performance.now();
gitlore(['repo', 'add', repo, '--name', 'corpus']);
gitlore(['sync']);
const report = JSON.parse(gitlore(['index', '--json']));
const setupMs = performance.now() - t;
const chunks = report.repos.reduce((sum: number, r: { chunks: number }) => sum + r.chunks, 0);
console.log(
  `index: ${report.repos[0].files} files, ${chunks} chunks, embeddings ${report.embeddingModel ?? 'none'}; set-up ${Math.round(setupMs)} ms`,
);
const hits = JSON.parse(gitlore(['search', 'parse the config file', '--json'])).results.length;
if (hits === 0) throw new Error('the search query found nothing; the benchmark would time an empty answer');

const search = [BIN, 'search', 'parse the config file'];
const cases: [string, string[], NodeJS.ProcessEnv?][] = [
  ['node -e 0', ['-e', '0']],
  ['gitlore --version', [BIN, '--version']],
  ['gitlore --help', [BIN, '--help']],
  ['gitlore search (hybrid)', search],
];
if ('enableCompileCache' in module) cases.push(['search, compile cache off', search, { ...env, NODE_DISABLE_COMPILE_CACHE: '1' }]);
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
// One warm-up round (file cache), then interleaved rounds.
for (let round = -1; round < RUNS; round += 1) {
  for (const [name, args, caseEnv] of cases) {
    t = performance.now();
    const out = spawnSync(process.execPath, args, { cwd: work, env: caseEnv ?? env, encoding: 'utf8' });
    const ms = performance.now() - t;
    if (out.status !== 0) throw new Error(`${name} exited ${out.status}: ${out.stderr}`);
    if (round >= 0) times.get(name)?.push(ms);
  }
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const floor = pct(times.get('node -e 0') ?? [], 50);
console.log(`node ${process.version}, ${RUNS} runs each`);
console.log(`${'command'.padEnd(26)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p50 / node -e 0'.padStart(16)}`);
for (const [name] of cases) {
  const values = times.get(name) ?? [];
  const p50 = pct(values, 50);
  console.log(
    `${name.padEnd(26)} ${p50.toFixed(0).padStart(8)} ${pct(values, 95).toFixed(0).padStart(8)} ${`${(p50 / floor).toFixed(2)}x`.padStart(16)}`,
  );
}
rmSync(work, { recursive: true, force: true });
