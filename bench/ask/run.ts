/**
 * Runs the dev set's questions through `gitlore ask` and scores the answers (see score.ts): the 66
 * history questions (with-docs trees, whose history is the upstream's) and a deterministic sample of
 * the docstring questions on the with-docs and stripped trees.
 *
 *   npx tsx bench/ask/run.ts --scripted                # the scripted server + policy.ts: proves the harness, scores no model
 *   GITLORE_LLM=openai GITLORE_LLM_MODEL=gpt-4.1-mini OPENAI_API_KEY=… npx tsx bench/ask/run.ts
 *   npx tsx bench/ask/run.ts --cmd ['gitlore ask {question} --repo {repo} --json']   # through the CLI, one process per question
 *
 * Options: --docs N (docstring sample size, default 30), --history N (first N history questions, default all),
 * --variant with-docs|stripped|both (docstring questions; default both), --verbose (print every miss).
 * Needs the trees of bench/eval/prepare.ts. Writes bench/results/ask-<time>.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AskAnswer, askQuestion } from '../../src/core/ask/agent.js';
import { createContext } from '../../src/core/context.js';
import { type FakeChatServer, startFakeChat } from '../../test/fakes/chatServer.js';
import { loadHistory, loadQueries, loadRepos, type QueryRow, repoName, treeDir, type Variant } from '../eval/dataset.js';
import { type AskBenchApp, openAskApp, scriptedEnv } from './app.js';
import { answerPolicy, docstringQuestion } from './policy.js';
import { type CitationScore, type FactScore, scoreCitations, scoreHistory } from './score.js';

const DEFAULT_CMD = 'node --import tsx src/main.ts ask {question} --repo {repo} --json';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  const next = argv[i + 1];
  return i === -1 ? undefined : next && !next.startsWith('--') ? next : '';
};
const scripted = flag('--scripted');
const cmd = option('--cmd') === '' ? DEFAULT_CMD : option('--cmd');
const docsN = Number(option('--docs') || 30);
const historyN = option('--history') ? Number(option('--history')) : Number.POSITIVE_INFINITY;
const variantOpt = option('--variant') || 'both';
const variants: Variant[] = variantOpt === 'both' ? ['with-docs', 'stripped'] : [variantOpt as Variant];
const verbose = flag('--verbose');

const repos = loadRepos().filter((r) => r.used_for.includes('history') || r.used_for.includes('queries'));
const history = loadHistory().slice(0, historyN);
const docs = sampleDocstrings(loadQueries(), docsN);

/** `n` docstring questions spread evenly over the repos, each repo's chosen by the hash of its id. */
function sampleDocstrings(rows: QueryRow[], n: number): QueryRow[] {
  const byRepo = new Map<string, QueryRow[]>();
  for (const r of rows) byRepo.set(r.repo, [...(byRepo.get(r.repo) ?? []), r]);
  const per = Math.ceil(n / Math.max(1, byRepo.size));
  const key = (r: QueryRow) => createHash('sha1').update(r.id).digest('hex');
  return [...byRepo.values()].flatMap((list) => [...list].sort((a, b) => key(a).localeCompare(key(b))).slice(0, per)).slice(0, n);
}

let chat: FakeChatServer | null = null;
if (scripted) chat = await startFakeChat((request) => answerPolicy(request));
const llm = chat ? scriptedEnv(chat.url) : null;
if (!chat && !process.env.GITLORE_LLM) {
  console.error('No model: set GITLORE_LLM and GITLORE_LLM_MODEL (and the provider key), or pass --scripted.');
  process.exit(2);
}

function trees(variant: Variant) {
  return repos.map((r) => {
    const dir = treeDir(variant, r.name);
    if (!existsSync(dir)) throw new Error(`${dir} is missing: run npx tsx bench/eval/prepare.ts --skip-loc first`);
    return { name: r.name, dir };
  });
}

/** Shell-quotes one argument for --cmd. */
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

async function ask(bench: AskBenchApp, question: string, repo: string): Promise<AskAnswer> {
  if (!cmd) return askQuestion({ question, repos: [repo] }, createContext(bench.app));
  const line = cmd.replaceAll('{question}', quote(question)).replaceAll('{repo}', quote(repo));
  const child = spawn('sh', ['-c', line], { env: { ...process.env, ...bench.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`exit ${code}: ${err.trim().split('\n').at(-1)}`);
  return JSON.parse(out) as AskAnswer;
}

interface Outcome {
  id: string;
  kind: string;
  variant: Variant;
  question: string;
  answer?: string;
  error?: string;
  steps: number;
  tookMs: number;
  dropped: number;
  facts?: FactScore;
  citations?: CitationScore;
}
const outcomes: Outcome[] = [];

async function runOne(bench: AskBenchApp, row: { id: string; kind: string; variant: Variant; question: string; repo: string }) {
  const t0 = performance.now();
  try {
    const a = await ask(bench, row.question, row.repo);
    return { answer: a, ms: performance.now() - t0 };
  } catch (error) {
    return { error: String((error as Error).message ?? error), ms: performance.now() - t0 };
  }
}

const started = performance.now();
for (const variant of variants.includes('with-docs') ? variants : ['with-docs' as Variant, ...variants]) {
  const runHistory = variant === 'with-docs';
  const runDocs = variants.includes(variant);
  if (variant === 'with-docs') {
    // History answers are computed at the listed commits; the stripped trees add a commit on top.
    for (const r of repos) {
      const head = execFileSync('git', ['-C', treeDir('with-docs', r.name), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      if (head !== r.commit) throw new Error(`${r.name} is at ${head}, not ${r.commit}: rerun bench/eval/prepare.ts`);
    }
  }
  const bench = await openAskApp(trees(variant), variant, llm);
  if (runHistory) {
    for (const q of history) {
      const repo = repoName(q.repo);
      const r = await runOne(bench, { id: q.id, kind: q.qtype, variant, question: q.question, repo });
      const o: Outcome = { id: q.id, kind: q.qtype, variant, question: q.question, steps: 0, tookMs: r.ms, dropped: 0 };
      if (r.answer) {
        Object.assign(o, { answer: r.answer.answer, steps: r.answer.steps.length, dropped: r.answer.droppedCitations });
        o.facts = scoreHistory(q, r.answer.answer);
      } else o.error = r.error;
      outcomes.push(o);
      if (verbose && !o.facts?.exact)
        console.log(`MISS ${q.id} ${q.qtype}: ${q.question}\n  gold ${JSON.stringify(q.answer)}\n  got  ${o.answer ?? o.error}`);
    }
  }
  if (runDocs) {
    for (const q of docs) {
      const repo = repoName(q.repo);
      const question = docstringQuestion(q.query);
      const r = await runOne(bench, { id: q.id, kind: 'docstring', variant, question, repo });
      const o: Outcome = { id: q.id, kind: 'docstring', variant, question, steps: 0, tookMs: r.ms, dropped: 0 };
      if (r.answer) {
        Object.assign(o, { answer: r.answer.answer, steps: r.answer.steps.length, dropped: r.answer.droppedCitations });
        o.citations = scoreCitations({ repo, path: q.gold_path, startLine: q.start_line, endLine: q.end_line }, r.answer.citations);
      } else o.error = r.error;
      outcomes.push(o);
      if (verbose && !o.citations?.hit) {
        console.log(`MISS ${q.id} ${variant} ${q.gold_path}:${q.start_line}-${q.end_line} ${q.gold_symbol}\n  got  ${o.answer ?? o.error}`);
      }
    }
  }
  await bench.app.close();
}
await chat?.close();

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const f3 = (x: number) => x.toFixed(3);
const model = scripted ? 'scripted server + bench/ask/policy.ts' : `${process.env.GITLORE_LLM}:${process.env.GITLORE_LLM_MODEL ?? ''}`;
console.log(`\n# gitlore ask on the dev set — model: ${model}; path: ${cmd ? `\`${cmd}\`` : 'askQuestion in process'}`);
if (scripted) console.log('(scripted: these numbers prove the harness and that the tools carry the facts; they score no model)');

const hist = outcomes.filter((o) => o.kind !== 'docstring');
if (hist.length) {
  console.log('\n| qtype | n | exact | facts | set P / R | errors | steps (mean) | ms p50 |');
  console.log('|---|---|---|---|---|---|---|---|');
  const kinds = [...new Set(hist.map((o) => o.kind)), 'all'];
  for (const kind of kinds) {
    const rows = kind === 'all' ? hist : hist.filter((o) => o.kind === kind);
    const factNames = [...new Set(rows.flatMap((o) => Object.keys(o.facts?.facts ?? {})))];
    const facts =
      kind === 'all' ? '' : factNames.map((f) => `${f} ${rows.filter((o) => o.facts?.facts[f]).length}/${rows.length}`).join(', ');
    const sets = rows.filter((o) => o.facts?.precision !== undefined);
    const pr = sets.length
      ? `${f3(mean(sets.map((o) => o.facts?.precision ?? 0)))} / ${f3(mean(sets.map((o) => o.facts?.recall ?? 0)))}`
      : '';
    console.log(
      `| ${kind} | ${rows.length} | ${rows.filter((o) => o.facts?.exact).length}/${rows.length} | ${facts} | ${pr} | ${rows.filter((o) => o.error).length} | ${mean(rows.map((o) => o.steps)).toFixed(1)} | ${Math.round(
        pct(
          rows.map((o) => o.tookMs),
          50,
        ),
      )} |`,
    );
  }
}
const docRows = outcomes.filter((o) => o.kind === 'docstring');
if (docRows.length) {
  console.log(
    '\n| docstring variant | n | hit (a cited range overlaps gold) | citation precision (overlap) | citation precision (contains gold) | citations kept / dropped | errors | ms p50 |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const variant of variants) {
    const rows = docRows.filter((o) => o.variant === variant);
    const cited = rows.filter((o) => o.citations?.precisionOverlap !== null && o.citations !== undefined);
    console.log(
      `| ${variant} | ${rows.length} | ${f3(rows.filter((o) => o.citations?.hit).length / Math.max(1, rows.length))} | ${f3(mean(cited.map((o) => o.citations?.precisionOverlap ?? 0)))} | ${f3(mean(cited.map((o) => o.citations?.precisionContain ?? 0)))} | ${rows.reduce((a, o) => a + (o.citations?.cited ?? 0), 0)} / ${rows.reduce((a, o) => a + o.dropped, 0)} | ${rows.filter((o) => o.error).length} | ${Math.round(
        pct(
          rows.map((o) => o.tookMs),
          50,
        ),
      )} |`,
    );
  }
}
console.log(`\n${outcomes.length} questions in ${((performance.now() - started) / 1000).toFixed(1)} s (index set-up included)`);
const outDir = join(import.meta.dirname, '..', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `ask-${new Date().toISOString().replaceAll(':', '-').replace('.', '-')}.json`);
writeFileSync(file, JSON.stringify({ model, cmd: cmd ?? null, outcomes }, null, 1));
console.log(`details: ${file}`);
