/**
 * Writes a git repository with a long linear history (git fast-import), for ingest benchmarks at sizes no mirror
 * has: each commit edits, adds, renames or deletes 1-3 files among a few thousand, by one of a dozen authors in
 * several time zones, with a subject and, for half of them, a body.
 *
 *   npx tsx bench/history/syntheticRepo.ts <dir> [--commits 100000]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rng } from '../../test/helpers/random.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { commits: { type: 'string', default: '100000' } } });
const dir = positionals[0];
if (!dir) throw new Error('usage: syntheticRepo.ts <dir> [--commits N]');
const count = Number(values.commits);
mkdirSync(dir, { recursive: true });
execFileSync('git', ['init', '-q', '-b', 'main', dir]);

const random = rng(5);
const pick = <T>(list: readonly T[]): T => list[Math.floor((random() + 0.5) * list.length)] as T;
const PEOPLE = Array.from({ length: 12 }, (_, i) => `Dev ${String.fromCharCode(65 + i)} <dev${i}@example.com>`);
const ZONES = ['+0000', '+0100', '-0700', '+0530', '+0900', '-0300'];
const DIRS = ['src', 'src/core', 'src/util', 'lib', 'docs', 'test', 'test/unit', 'tools'];
const WORDS = ['fix', 'add', 'parser', 'cache', 'docs', 'refactor', 'test', 'build', 'release', 'typo', 'memory', 'leak', 'speed'];

const git = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
const live: string[] = [];
let time = 1_300_000_000;
let chunk = '';
const write = async (text: string) => {
  chunk += text;
  if (chunk.length > 1 << 20) {
    if (!git.stdin.write(chunk)) await new Promise((r) => git.stdin.once('drain', r));
    chunk = '';
  }
};
for (let i = 1; i <= count; i++) {
  time += Math.floor((random() + 0.5) * 7200);
  const who = `${pick(PEOPLE)} ${time} ${pick(ZONES)}`;
  const subject = Array.from({ length: 3 + Math.floor((random() + 0.5) * 5) }, () => pick(WORDS)).join(' ');
  const message = random() < 0 ? `${subject}\n\n${Array.from({ length: 20 }, () => pick(WORDS)).join(' ')}\n` : `${subject}\n`;
  const ops: string[] = [];
  for (let k = 0; k < 1 + Math.floor((random() + 0.5) * 3); k++) {
    const roll = random() + 0.5;
    if (live.length > 50 && roll < 0.05) {
      const from = live.splice(Math.floor((random() + 0.5) * live.length), 1)[0] as string;
      const to = `${pick(DIRS)}/r${i}_${k}.ts`;
      ops.push(`R ${from} ${to}`);
      live.push(to);
    } else if (live.length > 50 && roll < 0.08) {
      ops.push(`D ${live.splice(Math.floor((random() + 0.5) * live.length), 1)[0]}`);
    } else if (live.length < 3000 && (live.length < 50 || roll < 0.3)) {
      const path = `${pick(DIRS)}/f${i}_${k}.ts`;
      live.push(path);
      ops.push(`M 100644 inline ${path}\ndata <<EOF\ncreated ${i}\nEOF`);
    } else {
      ops.push(`M 100644 inline ${pick(live)}\ndata <<EOF\nedit ${i} ${k}\nEOF`);
    }
  }
  await write(
    `commit refs/heads/main\nauthor ${who}\ncommitter ${who}\ndata ${Buffer.byteLength(message)}\n${message}${ops.join('\n')}\n\n`,
  );
}
await write('done\n');
git.stdin.end(chunk);
await new Promise((resolve, reject) =>
  git.on('close', (code) => (code === 0 ? resolve(null) : reject(new Error(`git fast-import: ${code}`)))),
);
execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
console.log(`${dir}: ${execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim()} commits`);
