/**
 * What gitlore itself adds to an answer, measured against the scripted OpenAI-compatible server
 * (test/fakes/chatServer.ts), which answers in microseconds, on koa indexed as `gitlore index` does:
 *
 * - per tool step: from the model turn that asks for a tool (the fake handing over its turn) to the
 *   next model request arriving, split into dispatch (stream parse, argument check), the tool itself
 *   (onEvent step-start → step-finish) and the next prompt (messages serialised, sent, read);
 * - the citation check of the final answer (checkCitations, timed alone on the same answer);
 * - time to the first streamed text in process, and over HTTP (the server app on a loopback socket)
 *   time to the first SSE byte and to the first `text` event of POST /api/ask.
 *
 * Each question is a tour: search_code → find_symbol → get_file → get_commit_timeline → get_commit →
 * get_contributors → an answer citing a file range and a commit; arguments come from the earlier results.
 *
 *   npx tsx bench/ask/overheadBench.ts [--questions 20] [--http 10]
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { askQuestion } from '../../src/core/ask/agent.js';
import { checkCitations } from '../../src/core/ask/citations.js';
import { createContext } from '../../src/core/context.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { type ChatRequest, type ScriptedTurn, startFakeChat } from '../../test/fakes/chatServer.js';
import { loadQueries, treeDir } from '../eval/dataset.js';
import { openAskApp, scriptedEnv } from './app.js';
import { parseHits, parseTimeline, questionOf, toolResults } from './policy.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const QUESTIONS = option('--questions', 20);
const HTTP_QUESTIONS = option('--http', 10);
const WARM_UP = 2;
const REPO = 'koa';

/** The tour, one tool per model turn; `[direct]` questions are answered at once (no tools). */
function tour(request: ChatRequest): ScriptedTurn {
  const question = questionOf(request);
  const results = toolResults(request);
  if (question.startsWith('[direct]'))
    return { text: 'Koa is a small web framework; the application lives in koa/lib/application.js:1-20.' };
  const call = (name: string, args: Record<string, unknown>): ScriptedTurn => ({ toolCalls: [{ name, arguments: JSON.stringify(args) }] });
  const hit = parseHits(results[0] ?? '')[0];
  const commit = parseTimeline(results[3] ?? '').commits[0];
  switch (results.length) {
    case 0:
      return call('search_code', { query: question, repos: [REPO], limit: 10 });
    case 1:
      return hit ? call('find_symbol', { name: hit.symbol?.split('.').at(-1) ?? 'use', repo: REPO }) : { text: 'no hit' };
    case 2:
      return call('get_file', { repo: REPO, path: hit?.path, startLine: hit?.startLine, endLine: hit?.endLine });
    case 3:
      return call('get_commit_timeline', { repo: REPO, path: hit?.path, limit: 5 });
    case 4:
      return call('get_commit', { repo: REPO, hash: commit?.hash });
    case 5:
      return call('get_contributors', { repo: REPO, path: hit?.path, limit: 5 });
    default:
      return {
        text: `It is ${hit?.symbol ?? 'this'} in ${REPO}/${hit?.path}:${hit?.startLine}-${hit?.endLine}, last changed in ${REPO}@${commit?.hash} (${commit?.subject}).`,
      };
  }
}

/** When each model request reached the fake, and how long the scripted model took to decide. */
const arrivals: number[] = [];
const decideMs: number[] = [];
const chat = await startFakeChat((request) => {
  const t = performance.now();
  arrivals.push(t);
  const turn = tour(request);
  decideMs.push(performance.now() - t);
  return turn;
});
const bench = await openAskApp([{ name: REPO, dir: treeDir('with-docs', REPO) }], 'overhead', scriptedEnv(chat.url));
const { app } = bench;

const samples = new Map<string, number[]>();
const add = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);

const queries = loadQueries().filter((q) => q.repo === 'koajs/koa');
const questions = Array.from(
  { length: WARM_UP + QUESTIONS },
  (_, i) => queries[i % queries.length]?.query ?? 'Use the given middleware fn.',
);

for (const [n, question] of questions.entries()) {
  const record = n >= WARM_UP;
  const first = arrivals.length;
  const starts: number[] = [];
  const finishes: { tool: string; at: number }[] = [];
  let firstText: number | null = null;
  const t0 = performance.now();
  const answer = await askQuestion({ question, repos: [REPO] }, createContext(app), {
    onEvent: (e) => {
      if (e.type === 'step-start') starts.push(performance.now());
      else if (e.type === 'step-finish') finishes.push({ tool: e.step.tool, at: performance.now() });
      else if (e.type === 'text') firstText ??= performance.now();
    },
  });
  const done = performance.now();
  if (answer.steps.length !== 6 || answer.citations.length !== 1 || answer.commits.length !== 1) {
    throw new Error(`tour incomplete: ${JSON.stringify({ steps: answer.steps.map((s) => [s.tool, s.ok]), answer: answer.answer })}`);
  }
  if (!record) continue;
  const req = arrivals.slice(first);
  add('first model request (tools + prompt + connect)', req[0]! - t0);
  for (const [i, f] of finishes.entries()) {
    const start = starts[i]!;
    const step = req[i + 1]! - req[i]!;
    add('step: total between model requests', step);
    add('step: dispatch (stream parse, argument check)', start - req[i]!);
    add('step: tool execution', f.at - start);
    add('step: next prompt (serialise, send, read)', req[i + 1]! - f.at);
    add(`tool: ${f.tool}`, f.at - start);
  }
  add('final turn → first streamed text', (firstText ?? done) - req.at(-1)!);
  add('question → first streamed text (6 steps)', (firstText ?? done) - t0);
  add('last text → answer returned (usage, citation check)', done - (firstText ?? done));
  add('whole question (6 steps)', done - t0);
  const c0 = performance.now();
  await checkCitations(answer.answer, createContext(app));
  add('citation check (1 file range + 1 commit)', performance.now() - c0);
}
for (const ms of decideMs.slice(WARM_UP * 7)) add('scripted model decides a turn', ms);

// Over HTTP: the server app on a loopback socket, POST /api/ask read as a stream.
const http = createHttpApp({ app, version: 'bench', scheduler: null, requireAuth: false });
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
for (const [label, prefix] of [
  ['HTTP 0 tools', '[direct] '],
  ['HTTP 6 steps', ''],
] as const) {
  for (let n = 0; n < WARM_UP + HTTP_QUESTIONS; n++) {
    const question = `${prefix}${queries[n % queries.length]?.query ?? 'Use the given middleware fn.'}`;
    const t0 = performance.now();
    const res = await fetch(`${base}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question, repos: [REPO] }),
    });
    const headers = performance.now();
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let firstByte: number | null = null;
    let firstText: number | null = null;
    let body = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      firstByte ??= performance.now();
      body += decoder.decode(value, { stream: true });
      if (firstText === null && body.includes('event: text')) firstText = performance.now();
    }
    const end = performance.now();
    if (!body.includes('event: done')) throw new Error(`no done event: ${body.slice(0, 500)}`);
    if (n < WARM_UP) continue;
    add(`${label}: response headers`, headers - t0);
    add(`${label}: first SSE byte`, (firstByte ?? end) - t0);
    add(`${label}: first text event`, (firstText ?? end) - t0);
    add(`${label}: done event`, end - t0);
  }
}
await new Promise<void>((resolve) => server.close(() => resolve()));
await app.close();
await chat.close();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
console.log(
  `\n# gitlore ask overhead on koa against the scripted server (${QUESTIONS} questions × 6 tool steps, ${HTTP_QUESTIONS} over HTTP each)`,
);
console.log('\n| measure | n | p50 ms | p95 ms | mean ms |');
console.log('|---|---|---|---|---|');
for (const [name, xs] of samples) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`| ${name} | ${xs.length} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} | ${fmt(mean)} |`);
}
