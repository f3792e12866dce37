/**
 * What `gitlore_clones_bytes` costs: one walk of a folder with folderBytes (src/server/folderSize.ts), its time and
 * the largest event-loop delay while it runs (what a request arriving meanwhile waits at most), against
 * `find -P <dir> -type f -printf '%s'` summed (the same total, from a native walk, and its time).
 *
 *   npx tsx bench/folderSizeBench.ts                    # this checkout's node_modules, 3 walks
 *   BENCH_DIR=~/.gitlore/repos BENCH_ROUNDS=5 npx tsx bench/folderSizeBench.ts
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { folderBytes } from '../src/server/folderSize.js';

const DIR = resolve(process.env.BENCH_DIR ?? resolve(import.meta.dirname, '../node_modules'));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const findStart = performance.now();
const sizes = execFileSync('find', ['-P', `${DIR}/`, '-type', 'f', '-printf', '%s\n'], { encoding: 'utf8', maxBuffer: 1 << 30 })
  .split('\n')
  .filter(Boolean)
  .map(Number);
const findMs = performance.now() - findStart;
const files = sizes.length;
const expected = sizes.reduce((a, b) => a + b, 0);
console.log(`${DIR}: ${files} files, ${expected} bytes by find -type f -printf %s (${findMs.toFixed(0)} ms)`);

// The same measure with nothing to do, for the noise of the machine (other processes, GC).
const idle = monitorEventLoopDelay({ resolution: 1 });
idle.enable();
await new Promise((r) => setTimeout(r, 2000));
idle.disable();
console.log(`idle 2 s: event-loop delay max ${(idle.max / 1e6).toFixed(1)} ms, p99 ${(idle.percentile(99) / 1e6).toFixed(1)} ms`);

for (let round = 1; round <= ROUNDS; round++) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = performance.now();
  const bytes = await folderBytes(DIR);
  const ms = performance.now() - start;
  delay.disable();
  console.log(
    `walk ${round}: ${bytes} bytes (${bytes === expected ? 'same as find' : `find says ${expected}`}) in ${ms.toFixed(0)} ms (${Math.round(files / (ms / 1000))} files/s); ` +
      `event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
  );
}
