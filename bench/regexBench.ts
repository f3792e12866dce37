/**
 * Regex search engines on the same corpus in the same run: the product's RE2 scan (re2js, DFA test then
 * find, src/search/regexScan.ts) against the JavaScript RegExp loop regex search used before.
 *
 *   npx tsx bench/regexBench.ts [folder] [--mb 20] [--runs 3]
 *
 * The corpus is the .js/.ts/.tsx files under `folder` (default node_modules), up to --mb megabytes, read
 * once into memory; no prefilter, so every pattern scans every byte. Prints the median ms per pattern of
 * each engine and their ratio, then a catastrophic pattern on one 40-character line, with the JavaScript
 * engine run in a worker thread terminated after 5 s.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { compileRegex } from '../src/search/regexPattern.js';
import { matchingRanges } from '../src/search/regexScan.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const folder = argv[0] && !argv[0].startsWith('--') ? argv[0] : join(import.meta.dirname, '../node_modules');
const MAX_BYTES = option('--mb', 20) * 1024 * 1024;
const RUNS = option('--runs', 3);
/** Ranges per file at most, for both engines (the search limit is 200 hits in all). */
const PER_FILE = 200;

const PATTERNS = [
  'function\\s+\\w+\\(',
  '(?i)todo|fixme',
  'import .* from',
  '\\bconst\\s+[A-Z_]{4,}\\s*=',
  'export (default )?class \\w+',
  'new Promise\\(',
  '[0-9a-f]{32}',
  '\\.then\\(\\s*function',
  '^\\s*//.*\\bhack\\b',
];

function corpus(): string[] {
  const files: string[] = [];
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (bytes >= MAX_BYTES) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|mjs|cjs|ts|tsx)$/.test(entry.name) && statSync(path).size < 1024 * 1024) {
        const text = readFileSync(path, 'utf8');
        files.push(text);
        bytes += text.length;
      }
    }
  };
  walk(folder);
  return files;
}

/** The scan regex search ran before RE2: RegExp with the g and m flags, one range per match (none starting on the previous range's last line). */
function v8Scan(pattern: string, files: string[]): number {
  const caseless = pattern.startsWith('(?i)');
  const regex = new RegExp(caseless ? pattern.slice(4) : pattern, caseless ? 'gim' : 'gm');
  let found = 0;
  for (const content of files) {
    regex.lastIndex = 0;
    let inFile = 0;
    let lineEnd = -1;
    for (let m = regex.exec(content); m !== null && inFile < PER_FILE; m = regex.exec(content)) {
      if (m[0].length === 0) regex.lastIndex += 1;
      if (m.index <= lineEnd) continue; // starts on the line the previous range ended on
      const end = content.indexOf('\n', m.index + Math.max(0, m[0].length - 1));
      lineEnd = end === -1 ? content.length : end;
      inFile += 1;
    }
    found += inFile;
  }
  return found;
}

function re2Scan(pattern: string, files: string[]): number {
  const regex = compileRegex(pattern);
  let found = 0;
  for (const content of files) found += matchingRanges(regex, content, PER_FILE).length;
  return found;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => number): { ms: number; found: number } {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    found = run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), found };
}

/** Milliseconds the JavaScript engine needs for `pattern` on `text`, or null when it was stopped at `limitMs`. */
function v8Guarded(pattern: string, text: string, limitMs: number): Promise<number | null> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const started = performance.now();
     new RegExp(workerData.pattern, 'm').test(workerData.text);
     parentPort.postMessage(performance.now() - started);`,
    { eval: true, workerData: { pattern, text } },
  );
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(null);
    }, limitMs);
    worker.once('message', (ms: number) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(ms);
    });
  });
}

const files = corpus();
const megabytes = files.reduce((n, f) => n + f.length, 0) / 1024 / 1024;
console.log(`corpus: ${files.length} files, ${megabytes.toFixed(1)} MB from ${folder}; median of ${RUNS} runs`);
console.log('pattern'.padEnd(36), 'V8 ms'.padStart(8), 'RE2 ms'.padStart(8), 'RE2/V8'.padStart(7), 'ranges (V8 / RE2)');
for (const pattern of PATTERNS) {
  const v8 = time(() => v8Scan(pattern, files));
  const re2 = time(() => re2Scan(pattern, files));
  console.log(
    pattern.padEnd(36),
    v8.ms.toFixed(0).padStart(8),
    re2.ms.toFixed(0).padStart(8),
    (re2.ms / v8.ms).toFixed(1).padStart(7),
    `${v8.found} / ${re2.found}`,
  );
}

const evil = '^(\\w+\\s?)*$';
const line = `${'a'.repeat(40)}!`;
const started = performance.now();
compileRegex(evil).test(line);
const re2Ms = performance.now() - started;
const v8Ms = await v8Guarded(evil, line, 5000);
console.log(
  `catastrophic ${evil} on a 41-character line: RE2 ${re2Ms.toFixed(1)} ms, V8 ${v8Ms === null ? '> 5000 ms (terminated)' : `${v8Ms.toFixed(0)} ms`}`,
);
