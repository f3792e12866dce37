/**
 * Sync benchmark: 200 bare repositories (~50 commits each) listed by a fake GitHub API on
 * 127.0.0.1, cloned over file:// (partial clones allowed). Measures gitlore's first sync and
 * no-change resync at 1, 4 and 8 parallel jobs, next to the shell loop earlier deployments
 * used (`git clone --depth 1`, then `git fetch --depth 1 && git reset --hard`, 4 at a time).
 *
 *   npx tsx bench/syncBench.ts [--repos 200] [--commits 50]
 *
 * Data lives in bench/.data/sync (gitignored) and is regenerated when the counts change.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import type { App } from '../src/core/app.js';
import { createContext } from '../src/core/context.js';
import { createServices } from '../src/core/services.js';
import { syncRepos } from '../src/core/syncRepos.js';
import { createLogger } from '../src/shared/logger.js';
import { openStore } from '../src/store/index.js';
import { startGithubServer } from '../test/fakes/githubServer.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REPOS = opt('repos', 200);
const COMMITS = opt('commits', 50);
const DATA = resolve(import.meta.dirname, '.data/sync');
const SRV = join(DATA, 'srv');

function generate(): void {
  const stamp = join(DATA, 'stamp.json');
  const want = JSON.stringify({ REPOS, COMMITS });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(SRV, { recursive: true });
  const started = Date.now();
  for (let r = 0; r < REPOS; r++) {
    const bare = join(SRV, `repo-${r}.git`);
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    execFileSync('git', ['-C', bare, 'config', 'uploadpack.allowFilter', 'true']);
    let stream = '';
    for (let c = 1; c <= COMMITS; c++) {
      const msg = `commit ${c} of repo ${r}\n`;
      const body = `// repo ${r} file ${c % 10}\n${'export const value = 1;\n'.repeat(20)}// revision ${c}\n`;
      stream += `commit refs/heads/main\nmark :${c}\ncommitter Bench <bench@example.com> ${1_700_000_000 + c * 60} +0000\n`;
      stream += `data ${Buffer.byteLength(msg)}\n${msg}${c > 1 ? `from :${c - 1}\n` : ''}`;
      stream += `M 100644 inline src/file${c % 10}.ts\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    execFileSync('git', ['-C', bare, 'fast-import', '--quiet'], { input: stream });
  }
  writeFileSync(stamp, want);
  console.log(`generated ${REPOS} bare repos x ${COMMITS} commits in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function time<T>(fn: () => T): [number, T] {
  const t = process.hrtime.bigint();
  const value = fn();
  return [Number(process.hrtime.bigint() - t) / 1e9, value];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e9, value];
}

function shellLoop(dir: string, jobs: number): { first: number; resync: number } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const list = Array.from({ length: REPOS }, (_, r) => `repo-${r}`).join(' ');
  const clone = `printf '%s\\n' ${list} | xargs -P${jobs} -I{} git clone -q --depth 1 file://${SRV}/{}.git ${dir}/{}`;
  const fetch = `printf '%s\\n' ${list} | xargs -P${jobs} -I{} sh -c 'cd ${dir}/{} && git fetch -q --depth 1 && git reset -q --hard FETCH_HEAD'`;
  const [first] = time(() => execSync(clone, { stdio: 'inherit', shell: '/bin/bash' }));
  const [resync] = time(() => execSync(fetch, { stdio: 'inherit', shell: '/bin/bash' }));
  return { first, resync };
}

async function gitloreRun(
  dataDir: string,
  jobs: number,
  env: NodeJS.ProcessEnv,
): Promise<{ first: number; resync: number; failed: number; unchanged: number }> {
  rmSync(dataDir, { recursive: true, force: true });
  const config = loadConfig({
    cwd: DATA,
    env: { GITLORE_DATA_DIR: dataDir, MAX_PARALLEL_CLONES: String(jobs), GITLORE_SYNC_RETRIES: '0', ...env },
  });
  const store = await openStore({ dbPath: config.dbPath });
  const app: App = await createServices(config, { store, log: createLogger('bench', { level: 'error' }) });
  try {
    const [first, a] = await timeAsync(() => syncRepos({}, createContext(app)));
    const [resync, b] = await timeAsync(() => syncRepos({}, createContext(app)));
    if (a.totals.cloned !== REPOS)
      throw new Error(`first sync cloned ${a.totals.cloned}/${REPOS}: ${JSON.stringify(a.repos.find((r) => r.error))}`);
    return { first, resync, failed: a.totals.failed + b.totals.failed, unchanged: b.totals.unchanged };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  generate();
  const github = await startGithubServer();
  github.orgs.set(
    'bench',
    Array.from({ length: REPOS }, (_, r) => ({
      owner: 'bench',
      name: `repo-${r}`,
      cloneUrl: `file://${SRV}/repo-${r}.git`,
      pushedAt: '2024-01-01T00:00:00Z',
    })),
  );
  const rows: [string, number, number][] = [];
  const results: Record<string, { first: number; resync: number }> = {};
  try {
    for (const jobs of [1, 4, 8]) {
      const r = await gitloreRun(join(DATA, `gitlore-${jobs}`), jobs, { GITHUB_ORG: 'bench', GITHUB_API_URL: github.url });
      results[`gitlore-${jobs}`] = r;
      rows.push([`gitlore, GitHub org source (pushed_at), ${jobs} job(s)`, r.first, r.resync]);
    }
    // Plain git URLs have no pushed_at: each resync asks the remote with one ls-remote per repo.
    const cfg = join(DATA, 'gitlore.config.json');
    writeFileSync(
      cfg,
      JSON.stringify({ sources: Array.from({ length: REPOS }, (_, r) => ({ type: 'git', url: `file://${SRV}/repo-${r}.git` })) }),
    );
    try {
      const r = await gitloreRun(join(DATA, 'gitlore-url-4'), 4, {});
      results['gitlore-url-4'] = r;
      rows.push(['gitlore, git URL sources (ls-remote), 4 jobs', r.first, r.resync]);
    } finally {
      rmSync(cfg);
    }
    const shell = shellLoop(join(DATA, 'shell-4'), 4);
    results['shell-4'] = shell;
    rows.push(['shell: clone --depth 1 / fetch --depth 1 + reset --hard, xargs -P4', shell.first, shell.resync]);
  } finally {
    await github.close();
  }

  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${REPOS} repos x ${COMMITS} commits, ${(await import('node:os')).cpus().length} CPU cores\n`);
  console.log(`${'approach'.padEnd(width)}  first sync   no-change resync`);
  console.log(`${'-'.repeat(width)}  ----------   ----------------`);
  for (const [name, first, resync] of rows)
    console.log(`${name.padEnd(width)}  ${first.toFixed(2).padStart(9)}s   ${resync.toFixed(2).padStart(15)}s`);
  const shellResync = results['shell-4']?.resync ?? Number.NaN;
  const ours = results['gitlore-4']?.resync ?? Number.NaN;
  const url = results['gitlore-url-4']?.resync ?? Number.NaN;
  console.log(
    `\nno-change resync speed-up vs the shell loop (4 jobs each): ${(shellResync / ours).toFixed(1)}x with a GitHub source (target >= 5x)`,
  );
  console.log(
    `                                                        ${(shellResync / url).toFixed(1)}x with git URL sources (ls-remote)`,
  );
}

await main();
