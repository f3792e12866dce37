/**
 * Gets the dev repositories ready for evaluation:
 *   .eval/repos/<name>      clone at the listed commit (with-docs variant)
 *   .eval/stripped/<name>   clone with the strip_spans deletions applied and committed (stripped variant)
 *   .eval/loc/<instance>    worktree at each localization base_commit
 * Sources: a git directory per upstream, found at $EVAL_MIRRORS/<owner>+<name>/repo
 * (what the `fetch github:<owner>/<name>` tool returns), or pass --from owner/name=PATH.
 *
 *   npx tsx bench/eval/prepare.ts [--from koajs/koa=/path/to/git] [--skip-loc]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVAL_WORK_DIR, loadLocalization, loadRepos, loadStrips, locDir, treeDir } from './dataset.js';

const MIRRORS = process.env.EVAL_MIRRORS ?? '/work/.mirror';
const args = process.argv.slice(2);
const from = new Map<string, string>();
for (let i = 0; i < args.length; i++)
  if (args[i] === '--from') {
    const [k, v] = args[++i].split('=');
    from.set(k, v);
  }
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'eval',
  GIT_AUTHOR_EMAIL: 'eval@example.com',
  GIT_COMMITTER_NAME: 'eval',
  GIT_COMMITTER_EMAIL: 'eval@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};
const git = (cwd: string, a: string[]) => execFileSync('git', a, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function cloneAt(source: string, dest: string, commit: string): void {
  if (!existsSync(dest)) {
    mkdirSync(join(dest, '..'), { recursive: true });
    execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', source, dest], { env });
  }
  git(dest, ['checkout', '-q', '-B', 'eval', commit]);
}

/** Deletes [line, colStart, colEnd) code-point ranges, right to left per line. */
export function applyDeletes(text: string, deletes: [number, number, number][]): string {
  const lines = text.split('\n');
  const byLine = new Map<number, [number, number][]>();
  for (const [line, a, b] of deletes) byLine.set(line, [...(byLine.get(line) ?? []), [a, b]]);
  for (const [line, spans] of byLine) {
    let chars = Array.from(lines[line - 1]);
    for (const [a, b] of spans.sort((x, y) => y[0] - x[0])) chars = [...chars.slice(0, a), ...chars.slice(b)];
    lines[line - 1] = chars.join('');
  }
  return lines.join('\n');
}

const repos = loadRepos();
const strips = loadStrips();
for (const repo of repos) {
  const source = from.get(repo.upstream) ?? join(MIRRORS, repo.upstream.replace('/', '+'), 'repo');
  if (!existsSync(source)) {
    console.error(`missing ${repo.upstream}: fetch it (fetch github:${repo.upstream}) or pass --from ${repo.upstream}=PATH`);
    process.exitCode = 1;
    continue;
  }
  const withDocs = treeDir('with-docs', repo.name);
  cloneAt(source, withDocs, repo.commit);
  console.error(`with-docs ${repo.name} @ ${repo.commit.slice(0, 10)}`);
  const rows = strips.filter((s) => s.repo === repo.upstream);
  if (rows.length === 0) continue;
  const stripped = treeDir('stripped', repo.name);
  cloneAt(source, stripped, repo.commit);
  const byFile = new Map<string, [number, number, number][]>();
  for (const row of rows) byFile.set(row.gold_path, [...(byFile.get(row.gold_path) ?? []), ...row.delete]);
  for (const [path, deletes] of byFile) {
    const file = join(stripped, path);
    writeFileSync(file, applyDeletes(readFileSync(file, 'utf8'), deletes));
  }
  git(stripped, ['add', '-A']);
  git(stripped, ['commit', '-q', '-m', `eval: strip ${rows.length} query sentences`]);
  console.error(`stripped  ${repo.name}: ${rows.length} deletions in ${byFile.size} files`);
}

if (!args.includes('--skip-loc')) {
  for (const row of loadLocalization()) {
    const name = repos.find((r) => r.upstream === row.repo)?.name ?? '';
    const dir = locDir(row.instance_id);
    if (existsSync(dir)) continue;
    mkdirSync(join(EVAL_WORK_DIR, 'loc'), { recursive: true });
    git(treeDir('with-docs', name), ['worktree', 'add', '-q', '--detach', dir, row.base_commit]);
  }
  console.error('localization worktrees ready');
}
