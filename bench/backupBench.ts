/**
 * Backup and restore time and size: a first backup, an incremental one (nothing changed), one after a commit in one
 * repository (fixture only), and a restore of the last into an empty data dir, through the CLI's own run() (in one
 * process), to a folder and, with --s3, to s3rver on loopback (the real AWS SDK).
 *
 *   npx tsx bench/backupBench.ts                         # a small fixture: 3 repositories of test/fixtures/code, indexed
 *   npx tsx bench/backupBench.ts --corpus [--s3]         # the 57 MB benchmark corpus (.eval/repos + .eval/bench-repos,
 *                                                        #   as bench/indexBench.ts): synced, history and codevec index
 *   BENCH_DATA_DIR=/path/to/data npx tsx bench/backupBench.ts   # an existing data dir, copied first (left untouched)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/main.js';
import { formatBytes } from '../src/shared/statusView.js';
import { startLocalS3 } from '../test/helpers/s3rver.js';

const args = process.argv.slice(2);
const useCorpus = args.includes('--corpus');
const useS3 = args.includes('--s3');
const ROOT = join(import.meta.dirname, '..');
// The corpus run works beside the repository (bench/.data, ignored by git): same file system as the corpus, so its
// clones hard-link their objects as `gitlore sync` of a local path does; tmpfs would hold it in memory.
const root = useCorpus
  ? (() => {
      const dir = join(ROOT, 'bench', '.data', 'backupBench');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      return dir;
    })()
  : mkdtempSync(join(tmpdir(), 'gitlore-backup-bench-'));
const data = join(root, 'data');
const sink = {
  isTTY: false,
  columns: 100,
  text: '',
  write(s: string) {
    this.text += s;
    return true;
  },
};

let s3Endpoint: string | null = null;
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = { ...sink, text: '' };
  const stderr = { ...sink, text: '' };
  const env = {
    GITLORE_DATA_DIR: dataDir,
    // The corpus is indexed as indexBench does (corpus-learned code vectors), so the database holds vectors too.
    ...(useCorpus ? { GITLORE_EMBEDDINGS_MODEL: 'codevec' } : { GITLORE_EMBEDDINGS: 'none' }),
    ...(s3Endpoint ? { AWS_ENDPOINT_URL_S3: s3Endpoint, AWS_REGION: 'us-east-1' } : {}),
    GITLORE_LOG_LEVEL: 'warn',
    PATH: process.env.PATH,
  };
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

async function must(dataDir: string, ...cmd: string[]): Promise<void> {
  const result = await cli(dataDir, ...cmd);
  if (result.code !== 0) throw new Error(`gitlore ${cmd.join(' ')} exited ${result.code}: ${result.err.slice(-2000)}`);
}

let changeRepo: string | null = null;
if (process.env.BENCH_DATA_DIR) {
  cpSync(process.env.BENCH_DATA_DIR, data, { recursive: true });
} else if (useCorpus) {
  const corpus = [join(ROOT, '.eval/repos'), join(ROOT, '.eval/bench-repos')]
    .flatMap((d) => (existsSync(d) ? readdirSync(d).map((n) => join(d, n)) : []))
    .filter((d) => existsSync(join(d, '.git')));
  if (corpus.length === 0) throw new Error('no corpus under .eval/repos and .eval/bench-repos: run bench/eval/prepare.ts');
  let t = performance.now();
  for (const dir of corpus) await must(data, 'repo', 'add', dir);
  await must(data, 'sync');
  console.log(`corpus: ${corpus.length} repositories; sync with history ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await must(data, 'index');
  console.log(`corpus: index (codevec) ${((performance.now() - t) / 1000).toFixed(1)} s`);
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

function targetBytes(url: string): number {
  return url.startsWith('s3://') ? du(join(root, 's3')) : du(url);
}

async function backup(label: string, to: string): Promise<void> {
  const started = performance.now();
  const result = await cli(data, 'backup', '--to', to, '--json');
  const ms = performance.now() - started;
  if (!result.out) throw new Error(`backup failed: ${result.err.slice(-2000)}`);
  const report = JSON.parse(result.out);
  console.log(
    `${label.padEnd(26)} ${ms.toFixed(0).padStart(7)} ms  written ${mb(report.writtenBytes).padStart(9)}  reused ${mb(report.reusedBytes).padStart(9)}  target ${mb(targetBytes(to))}${report.failed.length ? `  (${report.failed.length} clones failed)` : ''}`,
  );
}

async function restore(label: string, from: string, into: string): Promise<void> {
  const started = performance.now();
  const restored = await cli(into, 'restore', '--from', from, '--json');
  if (!restored.out) throw new Error(`restore failed: ${restored.err.slice(-2000)}`);
  const report = JSON.parse(restored.out);
  console.log(
    `${label.padEnd(26)} ${(performance.now() - started).toFixed(0).padStart(7)} ms  fetched ${mb(report.bytes)}  data dir ${mb(du(into))}  re-index ${report.reindex.length}${report.rebuild ? ` (rebuilt in ${report.rebuild.tookMs} ms)` : ''}`,
  );
}

const folder = join(root, 'target');
await backup('first backup (folder)', folder);
await backup('unchanged (folder)', folder);
if (changeRepo) {
  const file = join(changeRepo, 'sample.ts');
  execFileSync('sh', ['-c', `echo '// changed' >> ${JSON.stringify(file)}`]);
  git(changeRepo, 'commit', '-qam', 'change');
  await cli(data, 'sync');
  await backup('after one commit (folder)', folder);
}
await restore('restore (folder)', folder, join(root, 'restored'));
rmSync(join(root, 'restored'), { recursive: true, force: true });

if (useS3) {
  // s3rver on loopback, through the real SDK (the helper sets its key pair where the SDK's credential chain reads it).
  const server = await startLocalS3(root, 'bench');
  s3Endpoint = server.endpoint;
  try {
    await backup('first backup (s3rver)', 's3://bench/gitlore');
    await backup('unchanged (s3rver)', 's3://bench/gitlore');
    await restore('restore (s3rver)', 's3://bench/gitlore', join(root, 'restored-s3'));
  } finally {
    await server.close();
  }
}
