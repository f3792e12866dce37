/**
 * Grid over ranking params on the dev set (tune here only; the held-out set has other repos).
 * Opens each variant's index once and scores every candidate param set in hybrid mode.
 *
 *   EVAL_EMBEDDINGS=codevec npx tsx bench/eval/tune.ts '[{"weights":{"symbol":0.2}}, {"rrfK":20}]'
 */
import { loadQueries, repoName, treeDir, type Variant } from './dataset.js';
import { functionReport, scoreQuery } from './metrics.js';

const grid = JSON.parse(process.argv[2] ?? '[{}]') as unknown[];
const mode = process.env.EVAL_MODE ?? 'hybrid';
const queries = loadQueries();
const names = [...new Set(queries.map((q) => repoName(q.repo)))];
const { gitloreSystem } = await import('./gitloreSystem.js');
const f = (x: number) => x.toFixed(3);
for (const params of grid) {
  const line: string[] = [];
  for (const variant of ['with-docs', 'stripped'] as Variant[]) {
    process.env.EVAL_PARAMS = JSON.stringify(params);
    const sys = await gitloreSystem(
      mode,
      names.map((name) => ({ name, dir: treeDir(variant, name) })),
      variant,
      (m) => process.stderr.write(`${m}\n`),
    );
    const scores = [];
    for (const q of queries) scores.push(scoreQuery(q, await sys.search(repoName(q.repo), q.query, 10)));
    const r = functionReport(scores);
    line.push(
      `${variant} MRR ${f(r.macro.mrr10)} H1 ${f(r.macro.hit1)} H10 ${f(r.macro.hit10)} fR5 ${f(r.macro.fileR5)} nm ${f(r.noMention.mrr10)}`,
    );
  }
  console.log(`${JSON.stringify(params)}\n    ${line.join(' | ')}`);
}
