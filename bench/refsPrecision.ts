/**
 * Precision and recall of `gitlore refs` (core/findReferences.ts) against a parser's ground truth, with
 * `git grep -w` and ctags + `git grep -w` as baselines, on real repositories.
 *
 *   npx tsx bench/refsPrecision.ts [--repos click,cobra,ky] [--sample 30] [--seed 1] [--root .eval/repos]
 *
 * Each repository is indexed into a temporary data dir (no embeddings, no history). For each, `--sample` names are
 * drawn (seeded) from universal-ctags' definitions (functions, methods, classes, types) of its Python, Go,
 * TypeScript and JavaScript files. A reference site is `path:line:column`.
 *
 * - Ground truth: every identifier token so named in a tree-sitter parse of those files (leaf nodes whose type is an
 *   identifier kind, so never a comment or a string's text), minus each definition ctags lists (the first such token on
 *   the definition's line). This is the "manually checkable" rule: a whole-word use outside comments and strings that
 *   is not a definition.
 * - `git grep -w`: every whole-word occurrence on the lines `git grep -n -w` prints, over the same files.
 * - `ctags+grep`: the grep sites minus the ctags definition sites.
 * - gitlore: `findReferences({symbol, repos: [repo], limit: 1000})`, the sites in those files; a name with more
 *   than 1000 references is left out of every system's count (reported).
 *
 * Prints micro precision and recall per repository and over all, the refs latency (p50/p95), and a few
 * false positives and misses of gitlore for reading.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { createContext } from '../src/core/context.js';
import { findReferences } from '../src/core/findReferences.js';
import { indexRepos } from '../src/core/indexRepos.js';
import { createServices } from '../src/core/services.js';
import { getParser } from '../src/indexer/treeSitter.js';
import { detectLanguage, type LanguageId, skipReasonForContent, skipReasonForPath } from '../src/shared/languages.js';
import { silentLogger } from '../src/shared/logger.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => (argv.includes(name) ? (argv[argv.indexOf(name) + 1] ?? fallback) : fallback);
const REPOS = option('--repos', 'click,cobra,ky').split(',');
const SAMPLE = Number(option('--sample', '30'));
const SEED = Number(option('--seed', '1'));
const ROOT = resolve(option('--root', join(import.meta.dirname, '../../main/.eval/repos')));
const LANGUAGES = new Set<LanguageId>(['python', 'go', 'typescript', 'tsx', 'javascript']);
/** ctags kinds sampled: things people ask "who uses this" about. */
const KINDS = new Set(['function', 'method', 'class', 'member', 'func', 'struct', 'interface', 'type', 'methodSpec', 'alias']);

type Site = string;
interface Tag {
  name: string;
  path: string;
  line: number;
  kind: string;
}

/** A small seeded PRNG (mulberry32), so a rerun samples the same names. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const key = (path: string, line: number, column: number): Site => `${path}:${line}:${column}`;

/** UTF-16 column (1-based) of a UTF-8 byte offset in a line. */
const charColumn = (line: string, byteColumn: number) => Buffer.from(line).subarray(0, byteColumn).toString().length + 1;

/** Whole-word occurrences in a line as grep -w finds them (word characters: letters, digits, underscore). */
function grepColumns(line: string, name: string): number[] {
  const out: number[] = [];
  const word = /[A-Za-z0-9_]/;
  for (let at = line.indexOf(name); at !== -1; at = line.indexOf(name, at + 1)) {
    if (!word.test(line[at - 1] ?? '') && !word.test(line[at + name.length] ?? '')) out.push(at + 1);
  }
  return out;
}

/** Removes, for each definition, the first site of its name on its line. */
function withoutDefinitions(sites: Map<string, Set<Site>>, tags: Tag[]): Map<string, Set<Site>> {
  const out = new Map([...sites].map(([name, set]) => [name, new Set(set)]));
  for (const tag of tags) {
    const set = out.get(tag.name);
    if (!set) continue;
    const prefix = `${tag.path}:${tag.line}:`;
    const first = [...set].filter((s) => s.startsWith(prefix)).sort((a, b) => Number(a.split(':').pop()) - Number(b.split(':').pop()))[0];
    if (first) set.delete(first);
  }
  return out;
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}
const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0 });
function score(t: Tally, got: Set<Site>, truth: Set<Site>): void {
  for (const s of got) {
    if (truth.has(s)) t.tp += 1;
    else t.fp += 1;
  }
  for (const s of truth) if (!got.has(s)) t.fn += 1;
}
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const row = (name: string, t: Tally) =>
  `${name.padEnd(12)} precision ${pct(t.tp, t.tp + t.fp).padStart(6)}  recall ${pct(t.tp, t.tp + t.fn).padStart(6)}  (tp ${t.tp}, fp ${t.fp}, fn ${t.fn})`;

async function main(): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'gitlore-refs-bench-'));
  const services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: data, GITLORE_EMBEDDINGS: 'none' }, cwd: data }), {
    log: silentLogger,
    embedder: null,
  });
  const ctx = createContext(services);
  const totals = { gitlore: tally(), grep: tally(), ctagsGrep: tally() };
  const latencies: number[] = [];
  const causes = new Map<string, number>();
  const examples: string[] = [];
  try {
    for (const repo of REPOS) {
      const dir = join(ROOT, repo);
      await services.store.repos.upsert({
        name: repo,
        sourceType: 'local',
        sourceKey: 'bench',
        fullName: repo,
        cloneUrl: dir,
        localPath: dir,
      });
      const started = Date.now();
      await indexRepos({ names: [repo], skipEmbeddings: true, skipHistory: true }, ctx);
      const indexMs = Date.now() - started;

      // The files: tracked, of a language with a parser, and not skipped by the indexer's rules.
      const files = new Map<string, { language: LanguageId; lines: string[]; text: string }>();
      for (const path of execFileSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 }).split('\0')) {
        const language = path ? detectLanguage(path) : null;
        if (!language || !LANGUAGES.has(language) || skipReasonForPath(path)) continue;
        const buffer = readFileSync(join(dir, path));
        if (skipReasonForContent(buffer)) continue;
        const text = buffer.toString('utf8');
        files.set(path, { language, text, lines: text.split('\n') });
      }
      const tags: Tag[] = execFileSync('ctags', ['--fields=+nK', '--output-format=json', '-f', '-', '-L', '-'], {
        cwd: dir,
        input: [...files.keys()].join('\n'),
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      })
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { _type: string; name: string; path: string; line: number; kind: string })
        .filter((t) => t._type === 'tag')
        .map(({ name, path, line, kind }) => ({ name, path, line, kind }));

      const candidates = [...new Set(tags.filter((t) => KINDS.has(t.kind) && /^[A-Za-z_]\w{2,}$/.test(t.name)).map((t) => t.name))].sort();
      const next = random(SEED);
      for (let i = candidates.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [candidates[i], candidates[j]] = [candidates[j] as string, candidates[i] as string];
      }
      const names = new Set(candidates.slice(0, SAMPLE));
      const defTags = tags.filter((t) => names.has(t.name));

      // Ground truth: identifier tokens of a real parse.
      const parsed = new Map<string, Set<Site>>([...names].map((n) => [n, new Set<Site>()]));
      for (const [path, file] of files) {
        const parser = await getParser(file.language);
        const tree = parser?.parse(file.text);
        if (!tree) continue;
        const cursor = tree.walk();
        let more = true;
        while (more) {
          const node = cursor.currentNode;
          if (node.childCount === 0 && /identifier|^name$/.test(node.type) && names.has(node.text)) {
            const { row, column } = node.startPosition;
            parsed.get(node.text)?.add(key(path, row + 1, charColumn(file.lines[row] ?? '', column)));
          }
          if (cursor.gotoFirstChild()) continue;
          while (!cursor.gotoNextSibling()) {
            if (!cursor.gotoParent()) {
              more = false;
              break;
            }
          }
        }
        tree.delete();
      }
      const truth = withoutDefinitions(parsed, defTags);

      // git grep -w over the same files.
      const grepped = new Map<string, Set<Site>>([...names].map((n) => [n, new Set<Site>()]));
      for (const name of names) {
        let out = '';
        try {
          out = execFileSync('git', ['grep', '-n', '-w', '-I', '-e', name, '--', ...files.keys()], {
            cwd: dir,
            encoding: 'utf8',
            maxBuffer: 1 << 28,
          });
        } catch {
          // exit 1: no match
        }
        for (const line of out.split('\n')) {
          const m = /^(.*?):(\d+):(.*)$/.exec(line);
          if (!m) continue;
          const [, path, n, text] = m as unknown as [string, string, string, string];
          for (const column of grepColumns(text, name)) grepped.get(name)?.add(key(path, Number(n), column));
        }
      }
      const ctagsGrep = withoutDefinitions(grepped, defTags);

      const local = { gitlore: tally(), grep: tally(), ctagsGrep: tally() };
      const repoId = (await services.store.repos.get(repo))?.id as number;
      let skipped = 0;
      for (const name of names) {
        const t0 = performance.now();
        const result = await findReferences({ symbol: name, repos: [repo], limit: 1000 }, ctx);
        latencies.push(performance.now() - t0);
        if (result.truncated) {
          skipped += 1;
          continue;
        }
        const got = new Set<Site>();
        for (const f of result.files) if (files.has(f.path)) for (const r of f.references) got.add(key(f.path, r.line, r.column));
        const want = truth.get(name) ?? new Set();
        score(local.gitlore, got, want);
        score(local.grep, grepped.get(name) ?? new Set(), want);
        score(local.ctagsGrep, ctagsGrep.get(name) ?? new Set(), want);
        // Why gitlore and the ground truth disagree: which side calls the site a definition, or a lexer mistake.
        const gitloreDefs = (await services.store.index.symbols({ names: [name.toLowerCase()] }, { repoIds: [repoId] }, 2000)).filter(
          (d) => d.name === name,
        );
        for (const s of got) {
          if (want.has(s)) continue;
          const [path, line] = s.split(':') as [string, string];
          const tag = defTags.find((t) => t.name === name && t.path === path && t.line === Number(line));
          const cause = parsed.get(name)?.has(s) ? `FP: ctags calls it a definition (${tag?.kind ?? '?'})` : 'FP: not an identifier token';
          causes.set(cause, (causes.get(cause) ?? 0) + 1);
          if (examples.length < 40) examples.push(`${cause.padEnd(46)} ${repo} ${name} ${s}  ${lineOf(files, s)}`);
        }
        for (const s of want) {
          if (got.has(s)) continue;
          const [path, line] = s.split(':') as [string, string];
          const declared = gitloreDefs.some((d) => d.path === path && d.startLine <= Number(line) && d.endLine >= Number(line));
          const cause = declared ? "FN: gitlore's symbol table calls it a definition" : 'FN: missed';
          causes.set(cause, (causes.get(cause) ?? 0) + 1);
          if (examples.length < 40) examples.push(`${cause.padEnd(46)} ${repo} ${name} ${s}  ${lineOf(files, s)}`);
        }
      }
      console.log(
        `\n${repo}: ${files.size} files, ${names.size} names sampled${skipped ? `, ${skipped} left out (over 1000 references)` : ''}, indexed in ${indexMs} ms`,
      );
      for (const [system, t] of Object.entries(local)) {
        console.log(`  ${row(system, t)}`);
        const total = totals[system as keyof typeof totals];
        total.tp += t.tp;
        total.fp += t.fp;
        total.fn += t.fn;
      }
    }
    console.log('\nall repositories:');
    for (const [system, t] of Object.entries(totals)) console.log(`  ${row(system, t)}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
    console.log(`\nrefs latency over ${sorted.length} queries: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`);
    console.log('\nwhy gitlore and the ground truth disagree:');
    for (const [cause, n] of [...causes].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${cause}`);
    console.log('\ngitlore false positives (FP) and misses (FN), first 40:');
    for (const line of examples) console.log(`  ${line}`);
  } finally {
    await services.store.close();
    rmSync(data, { recursive: true, force: true });
  }
}

function lineOf(files: Map<string, { lines: string[] }>, site: Site): string {
  const [path, line] = site.split(':');
  return (files.get(path as string)?.lines[Number(line) - 1] ?? '').trim().slice(0, 100);
}

await main();
