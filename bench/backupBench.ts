/**
 * Backup and restore time and size: a first backup, an incremental one (nothing changed), one after a commit in one
 * repository, and a restore of the last into an empty data dir, through the CLI's own run() (in one process).
 *
 *   npx tsx bench/backupBench.ts                         # a small fixture: 3 repositories of test/fixtures/code, indexed
 *   BENCH_DATA_DIR=/path/to/data npx tsx bench/backupBench.ts   # an existing data dir, copied first (left untouched)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/main.js';
import { formatBytes } from '../src/shared/statusView.js';

const root = mkdtempSync(join(tmpdir(), 'gitlore-backup-bench-'));
const data = join(root, 'data');
const target = join(root, 'target');
const sink = {
  isTTY: false,
  columns: 100,
  text: '',
  write(s: string) {
    this.text += s;
    return true;
  },
};

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = { ...sink, text: '' };
  const stderr = { ...sink, text: '' };
  const env = { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none', PATH: process.env.PATH };
  const code = await run(['node', 'gitlore', ...args], { stdout, stderr, env, cwd: root });
  return { code, out: stdout.text, err: stderr.text };
}

function du(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}
const mb = formatBytes;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' },
  });

let changeRepo: string | null = null;
if (process.env.BENCH_DATA_DIR) {
  cpSync(process.env.BENCH_DATA_DIR, data, { recursive: true });
} else {
  const fixtures = join(import.meta.dirname, '../test/fixtures/code');
  for (const name of ['alpha', 'beta', 'gamma']) {
    const dir = join(root, 'src', name);
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(fixtures)) cpSync(join(fixtures, file), join(dir, file), { recursive: true });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    await cli(data, 'repo', 'add', dir);
  }
  changeRepo = join(root, 'src', 'alpha');
  await cli(data, 'sync');
  await cli(data, 'index');
}
console.log(`data dir: ${mb(du(join(data, 'index')))} index, ${mb(du(join(data, 'repos')))} repos`);

async function backup(label: string): Promise<void> {
  const started = performance.now();
  const result = await cli(data, 'backup', '--to', target, '--json');
  const ms = performance.now() - started;
  const report = JSON.parse(result.out);
  console.log(
    `${label.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  written ${mb(report.writtenBytes).padStart(9)}  reused ${mb(report.reusedBytes).padStart(9)}  target ${mb(du(target))}${report.failed.length ? `  (${report.failed.length} clones failed)` : ''}`,
  );
}

await backup('first backup');
await backup('incremental, unchanged');
if (changeRepo) {
  const file = join(changeRepo, 'sample.ts');
  execFileSync('sh', ['-c', `echo '// changed' >> ${JSON.stringify(file)}`]);
  git(changeRepo, 'commit', '-qam', 'change');
  await cli(data, 'sync');
  await backup('after one commit');
}
const started = performance.now();
const restored = await cli(join(root, 'restored'), 'restore', '--from', target, '--json');
const report = JSON.parse(restored.out);
console.log(
  `restore                ${(performance.now() - started).toFixed(0).padStart(6)} ms  fetched ${mb(report.bytes)}  data dir ${mb(du(join(root, 'restored')))}  re-index ${report.reindex.length}`,
);
