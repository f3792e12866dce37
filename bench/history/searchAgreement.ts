/**
 * Do gitlore's diff search and commit search find the commits git finds, on a real history? Ingests one repository
 * with its diff index, samples words, and compares, word by word,
 *
 *   type:diff W order:newest        with  git log --no-merges -M -E -G <token regex of W>   (same commits, same order)
 *   type:diff +W / removed:W        with  the added / removed lines of git log -p -U0 -M holding W as a token
 *   type:diff +W order:oldest       with  the last commit of git's added side (the first to add W)
 *   type:diff W                     contains  git log --no-merges -M -S W
 *   type:commit W                   with  git log --no-merges -i -E --grep=<message-word regex of W>   (same commits)
 *
 * Every commit git finds and gitlore does not is checked against the diff index's documented bounds (DIFF_LIMITS:
 * merges, commits over the file limit, skipped paths, huge or binary files, generated files, changes over the line
 * limit, characters past the line limit); what no bound explains is listed as unexplained.
 *
 * What "W as a token" means is gitlore's documented rule (docs/history.md, src/shared/codeTokens.ts), written here
 * as a POSIX regex of its own rather than through gitlore's tokenizer: W matches, case-insensitively, a whole word
 * (`[A-Za-z_$][A-Za-z0-9_$]*`, `$` dropped, a leading digit run its own token); and a one-part W (`retry`) also
 * matches, in its lower, Capitalized or UPPER form, a camelCase / snake_case / digit part of a longer word
 * (`retryPolicy`, `max_retry`, `getRETRY`). Messages: runs of ASCII letters and digits, case-insensitive, no
 * stemming (src/store/messageTerms.ts, as SQLite FTS5's unicode61 reads ASCII).
 *
 *   npx tsx bench/history/searchAgreement.ts --repo /work/.mirror/pallets+click/repo [--words 100] [--seed 1]
 *     [--database-url postgres://…] [--verbose]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { searchCode } from '../../src/core/searchCode.js';
import { searchCommits } from '../../src/core/searchCommits.js';
import { searchDiffs } from '../../src/core/searchDiffs.js';
import { planSearch } from '../../src/core/searchPlan.js';
import { createServices } from '../../src/core/services.js';
import { DIFF_FORMAT_VERSION, DIFF_LIMITS, ingestHistory } from '../../src/history/index.js';
import { skipReasonForContent, skipReasonForPath } from '../../src/shared/languages.js';
import { createLogger } from '../../src/shared/logger.js';
import { parseQuery } from '../../src/shared/queryLanguage.js';
import { messageTerms } from '../../src/store/index.js';
import { rng } from '../../test/helpers/random.js';

const { values } = parseArgs({
  options: {
    repo: { type: 'string', default: '/work/.mirror/pallets+click/repo' },
    words: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const repoPath = resolve(values.repo as string);
const WORDS = Number(values.words);
const repoName = basename(repoPath) === 'repo' ? basename(dirname(repoPath)).replace(/^.*\+/, '') : basename(repoPath);
const run = promisify(execFile);
/** git in the C locale: its regex ranges are byte ranges, as the JavaScript side reads them. */
const gitEnv = { ...process.env, LC_ALL: 'C' };
const git = (args: string[]) => execFileSync('git', args, { cwd: repoPath, env: gitEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
const gitAsync = async (args: string[]) =>
  (await run('git', args, { cwd: repoPath, env: gitEnv, encoding: 'utf8', maxBuffer: 1 << 28 })).stdout;
const hashes = (text: string) => text.split('\n').filter(Boolean);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
/** The diff git log shows for each commit, as the diff index asks for it (renames found, no context, no textconv). */
const DIFF_ARGS = ['-c', 'core.quotePath=false', 'log', '--no-merges', '-M', '--no-color', '--no-ext-diff', '--no-textconv'];

// ---------------------------------------------------------------------------------------------------------------
// git's side: the patches of the whole history, parsed once.

interface FileChange {
  path: string;
  oldPath: string | null;
  created: boolean;
  binary: boolean;
  added: string[];
  removed: string[];
}
interface CommitPatch {
  hash: string;
  files: FileChange[];
}

/** `git log -p -U0`, newest first, split per commit and per file; hunks read by their line counts. */
function readHistory(): CommitPatch[] {
  const out = git([...DIFF_ARGS, '-p', '-U0', '--format=%x1e%H']);
  const commits: CommitPatch[] = [];
  for (const record of out.split('\x1e').slice(1)) {
    const lines = record.split('\n');
    const commit: CommitPatch = { hash: lines[0] as string, files: [] };
    let file: FileChange | null = null;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.startsWith('diff --git ')) {
        const rest = line.slice('diff --git '.length);
        const half = rest.slice(rest.length / 2 + 1);
        file = { path: half.replace(/^b\//, ''), oldPath: null, created: false, binary: false, added: [], removed: [] };
        commit.files.push(file);
        continue;
      }
      if (!file) continue;
      if (line.startsWith('rename from ')) file.oldPath = line.slice('rename from '.length);
      else if (line.startsWith('rename to ')) file.path = line.slice('rename to '.length);
      else if (line.startsWith('new file mode')) file.created = true;
      else if (line.startsWith('+++ b/')) file.path = line.slice(6);
      else if (line.startsWith('Binary files ')) file.binary = true;
      else if (line.startsWith('@@ ')) {
        const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
        const removed = Number(m?.[1] ?? 1);
        const added = Number(m?.[2] ?? 1);
        let r = 0;
        let a = 0;
        while (r < removed || a < added) {
          const body = lines[++i];
          if (body === undefined) break;
          if (body.startsWith('\\')) continue; // "\ No newline at end of file"
          if (body.startsWith('-')) {
            file.removed.push(body.slice(1));
            r++;
          } else {
            file.added.push(body.slice(1));
            a++;
          }
        }
      }
    }
    commits.push(commit);
  }
  return commits;
}

// ---------------------------------------------------------------------------------------------------------------
// The token rule as a regex (POSIX ERE, which JavaScript reads the same way here).

const anyCase = (word: string) => [...word].map((c) => (/[A-Za-z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');

/** A line holds W as gitlore tokenizes code (see the header). */
export function tokenRegex(word: string): string {
  const alternatives = [`(^|[^A-Za-z0-9_$])[0-9]*[$]*${anyCase(word)}[$]*([^A-Za-z0-9_$]|$)`];
  if (/^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)$/.test(word)) {
    const lower = word.toLowerCase();
    const capitalized = lower[0]!.toUpperCase() + lower.slice(1);
    alternatives.push(
      `(^|[^A-Za-z])${lower}([^a-z]|$)`,
      `${capitalized}([^a-z]|$)`,
      `(^|[^A-Z])${lower.toUpperCase()}([A-Z][a-z]|[^A-Za-z]|$)`,
    );
  }
  return alternatives.map((a) => `(${a})`).join('|');
}

/** A commit message holds W as a word (runs of ASCII letters and digits; the caller passes -i). */
const messageRegex = (word: string) => `(^|[^0-9A-Za-z])${word}([^0-9A-Za-z]|$)`;

type Side = 'any' | 'added' | 'removed';
const sideLines = (f: FileChange, side: Side) => (side === 'added' ? f.added : side === 'removed' ? f.removed : [...f.added, ...f.removed]);

/** The commits (newest first) with a changed line holding W on that side, as git shows the patches. */
function gitSide(history: CommitPatch[], re: RegExp, side: Side): string[] {
  return history.filter((c) => c.files.some((f) => sideLines(f, side).some((l) => re.test(l)))).map((c) => c.hash);
}

/**
 * Why the diff index leaves out W's lines of this commit, or null when no documented bound does: the commit is over
 * the file limit, or every file holding W on that side is skipped (path rules, over 1 MB, over the line limit,
 * generated, or W only past the characters of a line that are tokenized).
 */
function skipReason(commit: CommitPatch, re: RegExp, side: Side): string | null {
  if (commit.files.length > DIFF_LIMITS.maxCommitFiles) return 'commit over the file limit';
  const reasons = new Set<string>();
  for (const file of commit.files) {
    const lines = sideLines(file, side).filter((l) => re.test(l));
    if (lines.length === 0) continue;
    const reason = fileSkipReason(commit.hash, file, lines, re);
    if (reason === null) return null;
    reasons.add(reason);
  }
  if (reasons.size > 0) return [...reasons].sort().join(', ');
  // git log -G diffs with 3 lines of context, and xdiff may then pair lines otherwise than in the -U0 diff gitlore reads.
  if (side === 'any' && git(['diff-tree', '-r', '--root', '-M', '-U0', '--format=', '-E', '-G', re.source, commit.hash]).trim() === '') {
    return "git's 3-line-context diff pairs the lines otherwise (its -U0 diff holds no such line)";
  }
  return null;
}

function fileSkipReason(hash: string, file: FileChange, matching: string[], re: RegExp): string | null {
  const byPath = skipReasonForPath(file.path) ?? (file.oldPath ? skipReasonForPath(file.oldPath) : null);
  if (byPath) return `skipped path (${byPath})`;
  if (
    blobSize(`${hash}:${file.path}`) > DIFF_LIMITS.maxBlobBytes ||
    blobSize(`${hash}^:${file.oldPath ?? file.path}`) > DIFF_LIMITS.maxBlobBytes
  ) {
    return 'file over 1 MB (binary to the index)';
  }
  if (file.added.length + file.removed.length > DIFF_LIMITS.maxFileChangedLines) return 'change over the line limit';
  if (file.created && skipReasonForContent(Buffer.from(file.added.slice(0, 40).join('\n')))) return 'generated file';
  if (matching.every((l) => !re.test(l.slice(0, DIFF_LIMITS.maxLineChars)))) return 'word past the tokenized characters of a line';
  return null;
}

function blobSize(object: string): number {
  try {
    return Number(
      execFileSync('git', ['cat-file', '-s', object], { cwd: repoPath, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sampling: half the words by occurrence (common ones), half uniformly over the distinct ones (mostly rare).

function sample(occurrences: string[], n: number, seed: number): string[] {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor((random() + 0.5) * list.length)] as T;
  const distinct = [...new Set(occurrences)].sort();
  const chosen = new Set<string>();
  for (let tries = 0; chosen.size < Math.min(n, distinct.length) && tries < n * 100; tries++) {
    const word = chosen.size % 2 === 0 ? pick(occurrences) : pick(distinct);
    if (![...chosen].some((w) => w.toLowerCase() === word.toLowerCase())) chosen.add(word);
  }
  return [...chosen];
}

function diffWords(history: CommitPatch[]): string[] {
  const occurrences: string[] = [];
  for (const commit of history) {
    for (const file of commit.files) {
      // Words of the files the index keeps: a word only a lock file holds would only test the path rule.
      if (skipReasonForPath(file.path)) continue;
      for (const line of [...file.added, ...file.removed]) {
        for (const m of line.slice(0, DIFF_LIMITS.maxLineChars).matchAll(/[A-Za-z_$][A-Za-z0-9_$]*/g)) {
          if (m[0].length >= 5 && !m[0].includes('$')) occurrences.push(m[0]);
        }
      }
    }
  }
  return sample(occurrences, WORDS, Number(values.seed));
}

function messageWords(): string[] {
  const text = git(['log', '--no-merges', '--format=%B']);
  return sample(
    (text.match(/[A-Za-z]{4,}/g) ?? []).map((w) => w.toLowerCase()),
    WORDS,
    Number(values.seed) + 1,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// gitlore's side.

const dataDir = mkdtempSync(join(tmpdir(), 'gitlore-search-agreement-'));
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | null = null;
if (values['database-url']) {
  const name = `gitlore_agreement_${process.pid}`;
  const admin = new pg.Client({ connectionString: values['database-url'] });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  databaseUrl = (values['database-url'] as string).replace(/\/[^/]*$/, `/${name}`);
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: values['database-url'] });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.end();
  };
}
const env: Record<string, string> = { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none' };
if (databaseUrl) env.DATABASE_URL = databaseUrl;
const log = createLogger('bench', { level: 'warn' });
const services = await createServices(loadConfig({ env, cwd: dataDir }), {
  log: createLogger('bench', { level: 'silent' }),
  embedder: null,
});
const ctx = createContext(services);
const backend = databaseUrl ? 'postgres' : 'sqlite';

const repo = await services.store.repos.upsert({
  name: repoName,
  sourceType: 'local',
  sourceKey: 'bench',
  fullName: repoName,
  cloneUrl: repoPath,
  localPath: repoPath,
});
const ingest = await ingestHistory({ store: services.store, log }, repo);
const stats = await services.store.history.diffStats(repo.id, DIFF_FORMAT_VERSION);
const history = readHistory();
console.log(
  `${repoName} (${backend}): ${history.length} non-merge commits; ingest ${(ingest.durationMs / 1000).toFixed(1)} s, of which diff index ` +
    `${((ingest.diffs?.durationMs ?? 0) / 1000).toFixed(1)} s (${stats.files} file changes, ${stats.skippedCommits} commits left out whole, ` +
    `${ingest.diffs?.skippedFiles ?? 0} file changes left out, ${stats.pending} pending)`,
);

/** Every match, through core as `gitlore search` runs it, with no page limit (the CLI caps a page at 200). */
async function allDiffs(query: string): Promise<string[]> {
  const parsed = parseQuery(query);
  const plan = planSearch({ query, limit: 1_000_000 }, parsed);
  return (await searchDiffs(ctx, plan, parsed, [repo])).diffs.map((d) => d.hash);
}
async function allCommits(query: string): Promise<string[]> {
  const parsed = parseQuery(query);
  const plan = planSearch({ query, limit: 1_000_000 }, parsed);
  return (await searchCommits(ctx, plan, parsed, [repo])).map((c) => c.hash);
}
/** One page as the CLI asks for it (count:all), timed. */
async function page(query: string, times: number[]) {
  const t = performance.now();
  const answer = await searchCode({ query: `${query} repo:${repoName} count:all` }, ctx);
  times.push(performance.now() - t);
  return answer;
}

// ---------------------------------------------------------------------------------------------------------------
// The comparisons.

interface Tally {
  compared: number;
  equal: number;
  explained: number;
  unexplained: string[];
  reasons: Map<string, number>;
}
const tally = (): Tally => ({ compared: 0, equal: 0, explained: 0, unexplained: [], reasons: new Map() });
const short = (h: string) => h.slice(0, 10);

/** Compares one word's sets: the commits only git finds must each have a documented reason; gitlore finds none git does not. */
function compareSets(t: Tally, word: string, ours: string[], theirs: string[], explain: (hash: string) => string | null): string[] {
  t.compared++;
  const mine = new Set(ours);
  const gits = new Set(theirs);
  const onlyGit = theirs.filter((h) => !mine.has(h));
  const onlyOurs = ours.filter((h) => !gits.has(h));
  if (onlyGit.length === 0 && onlyOurs.length === 0) {
    t.equal++;
    return [];
  }
  const unexplained = onlyOurs.map((h) => `+${short(h)}`);
  const skipped: string[] = [];
  for (const hash of onlyGit) {
    const reason = explain(hash);
    if (reason === null) unexplained.push(`-${short(hash)}`);
    else {
      skipped.push(hash);
      t.reasons.set(reason, (t.reasons.get(reason) ?? 0) + 1);
    }
  }
  if (unexplained.length === 0) t.explained++;
  else t.unexplained.push(`${word}: ours ${ours.length}, git ${theirs.length}; ${unexplained.slice(0, 8).join(' ')}`);
  return skipped;
}

const byHash = new Map(history.map((c) => [c.hash, c]));
const authorTime = new Map(
  hashes(git(['log', '--no-merges', '--format=%H %at'])).map((l) => [l.slice(0, l.indexOf(' ')), Number(l.slice(l.indexOf(' ') + 1))]),
);
const diff = { any: tally(), added: tally(), removed: tally() };
const pickaxe = { words: 0, contained: 0, explained: 0, unexplained: [] as string[], substringOnly: 0, skipped: 0 };
const newest = { compared: 0, same: 0, authorDate: 0, differing: [] as string[], pageIsPrefix: 0 };
const oldest = { compared: 0, same: 0, authorDate: 0, differing: [] as string[] };
const harness = { words: 0, agree: 0, agreeAtU0: 0, differing: [] as string[] };
const diffTimes: number[] = [];

const wordsForDiffs = diffWords(history);
for (const word of wordsForDiffs) {
  const regex = tokenRegex(word);
  const re = new RegExp(regex);
  const byG = gitAsync([...DIFF_ARGS, '--format=%H', '-E', '-G', regex]).then(hashes);
  const byS = gitAsync([...DIFF_ARGS, '--format=%H', '-S', word]).then(hashes);
  const ours = await allDiffs(`type:diff ${word} order:newest`);
  const oursAdded = await allDiffs(`type:diff +${word} order:newest`);
  const oursRemoved = await allDiffs(`type:diff removed:${word} order:newest`);
  const shown = await page(`type:diff ${word} order:newest`, diffTimes);
  const first = await page(`type:diff +${word} order:oldest`, diffTimes);
  const [gitG, gitS] = await Promise.all([byG, byS]);

  // The regex read by JavaScript over the parsed patches must be what git -G finds: else the harness is wrong.
  const any = gitSide(history, re, 'any');
  harness.words++;
  if (any.join() === gitG.join()) harness.agree++;
  else {
    const atU0 = hashes(await gitAsync([...DIFF_ARGS, '-U0', '-s', '--format=%H', '-E', '-G', regex]));
    if (any.join() === atU0.join()) harness.agreeAtU0++;
    else harness.differing.push(`${word}: -G ${gitG.length}, -G -U0 ${atU0.length}, patches ${any.length}`);
  }

  const skippedAny = new Set(compareSets(diff.any, word, ours, gitG, (h) => skipReason(byHash.get(h)!, re, 'any')));
  const added = gitSide(history, re, 'added');
  const skippedAdded = new Set(compareSets(diff.added, word, oursAdded, added, (h) => skipReason(byHash.get(h)!, re, 'added')));
  compareSets(diff.removed, word, oursRemoved, gitSide(history, re, 'removed'), (h) => skipReason(byHash.get(h)!, re, 'removed'));

  // Ranking: order:newest lists the commits in git's order; order:oldest's first adds W first.
  const expected = gitG.filter((h) => !skippedAny.has(h));
  if (expected.length > 0) {
    newest.compared++;
    if (ours.join() === expected.join()) newest.same++;
    else {
      // gitlore orders by author date; git log by commit date, parents after children.
      const byAuthorDate = [...expected].sort((a, b) => authorTime.get(b)! - authorTime.get(a)!);
      if (ours.join() === byAuthorDate.join()) newest.authorDate++;
      else {
        const at = ours.findIndex((h, i) => h !== expected[i]);
        newest.differing.push(`${word}: ours ${ours.length}, git ${expected.length}, first difference at ${at < 0 ? ours.length : at}`);
      }
    }
    if ((shown.diffs ?? []).map((d) => d.hash).join() === ours.slice(0, 200).join()) newest.pageIsPrefix++;
  }
  const addedKept = added.filter((h) => !skippedAdded.has(h));
  if (addedKept.length > 0) {
    oldest.compared++;
    const ourFirst = first.diffs?.[0]?.hash;
    const gitFirst = addedKept[addedKept.length - 1];
    const earliest = Math.min(...addedKept.map((h) => authorTime.get(h)!));
    if (ourFirst === gitFirst) oldest.same++;
    else if (ourFirst && authorTime.get(ourFirst) === earliest) oldest.authorDate++;
    else oldest.differing.push(`${word}: ours ${ourFirst?.slice(0, 10) ?? 'none'}, git ${gitFirst?.slice(0, 10)}`);
  }

  // -S: every commit changing W's count is one gitlore finds, unless a bound leaves it out or W is only a substring there.
  pickaxe.words++;
  const found = new Set(ours);
  const gitAny = new Set(gitG);
  const missing = gitS.filter((h) => !found.has(h));
  const unexplained = missing.filter((h) => {
    if (!gitAny.has(h)) {
      pickaxe.substringOnly++;
      return false;
    }
    if (skipReason(byHash.get(h)!, re, 'any') !== null) {
      pickaxe.skipped++;
      return false;
    }
    return true;
  });
  if (missing.length === 0) pickaxe.contained++;
  else if (unexplained.length === 0) pickaxe.explained++;
  else pickaxe.unexplained.push(`${word}: ${unexplained.map(short).join(' ')}`);
}

const commit = tally();
const subjectFirst = { compared: 0, held: 0, violations: [] as string[] };
const commitTimes: number[] = [];
const nonAscii = (hash: string) => /[^\x00-\x7f]/.test(git(['log', '-1', '--format=%B', hash]));
for (const word of messageWords()) {
  const theirs = gitAsync(['log', '--no-merges', '-i', '-E', `--grep=${messageRegex(word)}`, '--format=%H']).then(hashes);
  const ours = await allCommits(`type:commit ${word} order:newest`);
  const ranked = await page(`type:commit ${word}`, commitTimes);
  compareSets(commit, word, ours, await theirs, (h) => (nonAscii(h) ? 'non-ASCII message (FTS5 unicode61 words)' : null));
  // The ranking's promise: a subject word weighs three body words, so commits naming W in the subject come first.
  const inSubject = (ranked.commits ?? []).map((c) => (messageTerms([c.subject])[0] ?? []).includes(word));
  if (inSubject.includes(true) && inSubject.includes(false)) {
    subjectFirst.compared++;
    const lastSubject = inSubject.lastIndexOf(true);
    const firstBody = inSubject.indexOf(false);
    if (lastSubject < firstBody) subjectFirst.held++;
    else {
      const body = git(['log', '-1', '--format=%b', ranked.commits![firstBody]!.hash]);
      const times = (messageTerms([body])[0] ?? []).filter((t) => t === word).length;
      subjectFirst.violations.push(
        `${word}: a body-only commit (its body holds it ${times} times) at ${firstBody + 1}, a subject one at ${lastSubject + 1}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report.

const reasons = (t: Tally) => [...t.reasons].map(([r, n]) => `${r} ${n}`).join('; ') || 'none';
const row = (name: string, t: Tally) =>
  `  ${name.padEnd(26)} ${t.compared} words: ${t.equal} equal sets, ${t.explained} differ only by the bounds, ${t.unexplained.length} unexplained` +
  ` (commits left out by a bound: ${reasons(t)})`;
const ms = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms`;
};
console.log(`\n${repoName} (${backend}), seed ${values.seed}`);
console.log(
  `  harness: the token regex over git's -U0 patches equals git log -G for ${harness.agree}/${harness.words} words, git log -G -U0 for ${harness.agreeAtU0} more`,
);
console.log(row('type:diff W vs -G', diff.any));
console.log(row('type:diff +W vs added', diff.added));
console.log(row('type:diff removed:W vs removed', diff.removed));
console.log(
  `  -S W contained in type:diff W: ${pickaxe.contained}/${pickaxe.words} words whole, ${pickaxe.explained} more once explained ` +
    `(${pickaxe.substringOnly} commits where W is only inside a longer token, ${pickaxe.skipped} left out by a bound), ${pickaxe.unexplained.length} unexplained`,
);
console.log(
  `  order:newest = git's order: ${newest.same}/${newest.compared}, + ${newest.authorDate} equal to it sorted by author date; ` +
    `the count:all page is the list's first 200 for ${newest.pageIsPrefix}/${newest.compared}`,
);
console.log(
  `  order:oldest first = git's first to add W: ${oldest.same}/${oldest.compared}, + ${oldest.authorDate} the earliest by author date`,
);
console.log(row('type:commit W vs --grep', commit));
console.log(
  `  subject matches ranked above body-only ones: ${subjectFirst.held}/${subjectFirst.compared} queries (the others hold only one kind)`,
);
console.log(
  `  timings: ingest + diff index ${(ingest.durationMs / 1000).toFixed(1)} s; type:diff ${ms(diffTimes)}; type:commit ${ms(commitTimes)}`,
);
const lists: [string, string[]][] = [
  ['harness', harness.differing],
  ['type:diff W unexplained', diff.any.unexplained],
  ['type:diff +W unexplained', diff.added.unexplained],
  ['type:diff removed:W unexplained', diff.removed.unexplained],
  ['-S unexplained', pickaxe.unexplained],
  ['order:newest differing', newest.differing],
  ['order:oldest differing', oldest.differing],
  ['type:commit unexplained', commit.unexplained],
  ['subject-first violations', subjectFirst.violations],
];
for (const [name, list] of lists) {
  if (list.length === 0) continue;
  console.log(`  ${name}:`);
  for (const line of values.verbose ? list : list.slice(0, 10)) console.log(`    ${line}`);
}

await services.close();
await dropDatabase?.();
rmSync(dataDir, { recursive: true, force: true });
