/**
 * Answers every question of the shared history eval set through gitlore's MCP
 * tool definitions (the same execute() as `gitlore log` / `show`) and reports
 * exact matches per question type.
 *
 *   npx tsx bench/history/evalHistory.ts [--eval /work/shared/eval] [--repos .eval/repos] [--verbose]
 *
 * Needs the eval repos cloned at the commits of repos.json (see the eval README).
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { createServices } from '../../src/core/services.js';
import { getCommitTool } from '../../src/core/tools/getCommit.js';
import { getCommitTimelineTool } from '../../src/core/tools/getCommitTimeline.js';
import { getContributorsTool } from '../../src/core/tools/getContributors.js';
import { createLogger } from '../../src/shared/logger.js';
import { openStore } from '../../src/store/index.js';
import type { HistoryRow } from '../eval/dataset.js';

type Question = HistoryRow;

const { values } = parseArgs({
  options: {
    eval: { type: 'string', default: '/work/shared/eval' },
    repos: { type: 'string', default: '.eval/repos' },
    verbose: { type: 'boolean', default: false },
  },
});
const evalDir = values.eval as string;
const reposDir = resolve(values.repos as string);
const questions = readFileSync(join(evalDir, 'history.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Question);
const repoList = JSON.parse(readFileSync(join(evalDir, 'repos.json'), 'utf8')) as { name: string; upstream: string; commit: string }[];

const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-history-eval-'));
const config = loadConfig({ flags: { dataDir }, env: {}, cwd: dataDir });
const store = await openStore({ dbPath: config.dbPath });
const app: App = await createServices(config, { store, log: createLogger('eval', { level: 'warn' }) });

const nameOf = new Map<string, string>();
for (const r of repoList) {
  if (!questions.some((q) => q.repo === r.upstream)) continue;
  const localPath = join(reposDir, r.name);
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: localPath, encoding: 'utf8' }).trim();
  if (head !== r.commit) throw new Error(`${localPath} is at ${head}, expected ${r.commit}; check out the eval commit first.`);
  await store.repos.upsert({
    name: r.name,
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: r.upstream,
    cloneUrl: localPath,
    localPath,
  });
  nameOf.set(r.upstream, r.name);
}

const started = performance.now();
const ingestMs: number[] = [];
// Ingest up front so the per-question timings below are query-only.
for (const name of nameOf.values()) {
  const t = performance.now();
  await getCommitTimelineTool.execute({ repo: name, limit: 1 }, createContext(app));
  ingestMs.push(performance.now() - t);
}

const hashEq = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.length >= 7 && b.startsWith(a.slice(0, 40));
const setEq = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

function match(re: RegExp, text: string): string {
  const m = re.exec(text);
  if (!m?.[1]) throw new Error(`cannot parse question: ${text}`);
  return m[1];
}

async function answer(q: Question): Promise<{ ok: boolean; got: unknown }> {
  const repo = nameOf.get(q.repo) as string;
  const a = q.answer;
  switch (q.qtype) {
    case 'first_commit': {
      const out = await getCommitTimelineTool.execute({ repo, roots: true, order: 'oldest', limit: 10 }, createContext(app));
      const first = out.commits[0];
      return { ok: hashEq(first?.hash, a.hash) && out.total === a.n_roots, got: { hash: first?.hash, roots: out.total } };
    }
    case 'last_author': {
      const path = match(/last changed (.+) in \S+, and in which commit/, q.question);
      // "Who last changed X": `git log -1 -- X`, a merge that changed X against both parents included.
      const out = await getCommitTimelineTool.execute({ repo, path, merges: true, limit: 1 }, createContext(app));
      const c = out.commits[0];
      const ok = hashEq(c?.hash, a.hash) && c?.author.toLowerCase() === String(a.author).toLowerCase();
      return { ok, got: { hash: c?.hash, author: c?.author } };
    }
    case 'commits_in_month': {
      const path = match(/changed (.+) in \S+ during/, q.question);
      const month = match(/during (\d{4}-\d{2})/, q.question);
      // The gold is defined with --full-history (eval README).
      const out = await getCommitTimelineTool.execute(
        { repo, path, since: month, until: month, fullHistory: true, limit: 10_000 },
        createContext(app),
      );
      const hashes = out.commits.map((c) => c.hash);
      return { ok: setEq(hashes, a.hashes as string[]), got: hashes };
    }
    case 'file_added': {
      const path = match(/first added the file (.+) to \S+\?/, q.question);
      const out = await getCommitTimelineTool.execute({ repo, path, order: 'oldest', files: true, limit: 10_000 }, createContext(app));
      // Renames are not followed: a file renamed into this path was added there (as `--no-renames` shows it).
      const adds = out.commits.filter((c) =>
        c.files?.some((f) => f.path === path && (f.status === 'A' || f.status === 'R' || f.status === 'C')),
      );
      const first = adds[0];
      return { ok: hashEq(first?.hash, a.hash), got: { hash: first?.hash, timesAdded: adds.length } };
    }
    case 'top_author_dir': {
      const path = match(/commits touching (.+) in \S+\?/, q.question);
      const out = await getContributorsTool.execute({ repo, path, limit: 3 }, createContext(app));
      const top = out.contributors[0];
      return { ok: top?.name.toLowerCase() === String(a.author).toLowerCase(), got: out.contributors.map((c) => `${c.name}:${c.commits}`) };
    }
    case 'files_in_commit': {
      const subject = match(/commit titled "(.+)"\?$/, q.question);
      const found = await getCommitTimelineTool.execute({ repo, grep: subject, merges: true, limit: 10_000 }, createContext(app));
      const candidates = found.commits.filter((c) => c.subject === subject);
      const hit = candidates[0];
      if (!hit) return { ok: false, got: { candidates: found.total } };
      const detail = await getCommitTool.execute({ repo, hash: hit.hash }, createContext(app));
      // `--no-renames`: a rename is the old path deleted and the new one added.
      const files = [...new Set(detail.files.flatMap((f) => (f.oldPath && f.status === 'R' ? [f.oldPath, f.path] : [f.path])))];
      return { ok: setEq(files, a.files as string[]), got: { hash: hit.hash, n: candidates.length, files } };
    }
    case 'commit_count': {
      const path = match(/modified (.+) in \S+\?/, q.question);
      // `git log --no-merges --full-history HEAD -- path` (eval README).
      const out = await getCommitTimelineTool.execute({ repo, path, fullHistory: true, limit: 1 }, createContext(app));
      return { ok: out.total === a.count, got: out.total };
    }
    default:
      return { ok: false, got: `unknown qtype ${q.qtype}` };
  }
}

const byType = new Map<string, { ok: number; n: number }>();
const queryMs: number[] = [];
let okAll = 0;
for (const q of questions) {
  const t = performance.now();
  let result: { ok: boolean; got: unknown };
  try {
    result = await answer(q);
  } catch (error) {
    result = { ok: false, got: String(error) };
  }
  queryMs.push(performance.now() - t);
  const stat = byType.get(q.qtype) ?? { ok: 0, n: 0 };
  stat.n++;
  if (result.ok) {
    stat.ok++;
    okAll++;
  } else {
    console.log(
      `MISS ${q.id} ${q.qtype} ${q.repo}: ${q.question}\n  expected ${JSON.stringify(q.answer)}\n  got      ${JSON.stringify(result.got)}`,
    );
  }
  if (values.verbose && result.ok) console.log(`ok   ${q.id} ${q.qtype}`);
  byType.set(q.qtype, stat);
}
queryMs.sort((a, b) => a - b);
const pct = (p: number) => queryMs[Math.min(queryMs.length - 1, Math.floor((p / 100) * queryMs.length))]?.toFixed(1);
console.log('\nqtype               exact');
for (const [type, s] of byType) console.log(`${type.padEnd(20)}${s.ok}/${s.n}`);
console.log(`${'total'.padEnd(20)}${okAll}/${questions.length}`);
console.log(
  `ingest of ${nameOf.size} repos: ${ingestMs.map((m) => Math.round(m)).join(', ')} ms; per-question p50 ${pct(50)} ms, p95 ${pct(95)} ms; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
await store.close();
