/**
 * Grid over the pasted-text extraction's constants (src/search/issueText.ts ISSUE_TEXT_PARAMS) on the dev set's
 * localization task (tune here only; the held-out set has other repos). Opens the index once, then scores each
 * candidate, each deep-merged over the defaults, with file grouping (as the localization metric counts files).
 *
 *   EVAL_EMBEDDINGS=codevec npx tsx bench/eval/tuneIssue.ts '[{}, {"lexicalTerms":32}, {"boost":{"path":1}}]'
 *
 * EVAL_SYSTEMS=gitlore:hybrid/files,gitlore:lexical/files picks the systems; EVAL_PER_FILE as in run.ts.
 */
import { ISSUE_TEXT_PARAMS } from '../../src/search/issueText.js';
import { loadLocalization, locDir } from './dataset.js';
import { localizationReport, scoreLocalization } from './metrics.js';

const grid = JSON.parse(process.argv[2] ?? '[{}]') as Record<string, unknown>[];
const systems = (process.env.EVAL_SYSTEMS ?? 'gitlore:hybrid/files').split(',');
const rows = loadLocalization().slice(0, 40);
const defaults = structuredClone(ISSUE_TEXT_PARAMS);
const { gitloreSystem } = await import('./gitloreSystem.js');
// The engine in process, without last-change lookups (they run in the background and would skew the timings).
process.env.EVAL_PARAMS ??= '{}';
const trees = rows.map((row) => ({ name: row.instance_id, dir: locDir(row.instance_id) }));
const opened = await Promise.all(
  systems.map((name) => gitloreSystem(name.replace(/^gitlore:/, ''), trees, 'loc', (m) => process.stderr.write(`${m}\n`))),
);
const f = (x: number) => x.toFixed(3);

/** Resets `target` to `base`, then writes `over` into it, object by object (the params object is shared). */
function reset(target: Record<string, unknown>, base: Record<string, unknown>, over: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(base)) {
    const o = over[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      reset(target[k] as Record<string, unknown>, v as Record<string, unknown>, (o ?? {}) as Record<string, unknown>);
    } else target[k] = o ?? v;
  }
}

for (const params of grid) {
  reset(ISSUE_TEXT_PARAMS as unknown as Record<string, unknown>, defaults as unknown as Record<string, unknown>, params);
  const line: string[] = [];
  for (const sys of opened) {
    const t0 = Date.now();
    const scores = [];
    for (const row of rows) scores.push(scoreLocalization(row, await sys.search(row.instance_id, row.problem_statement, 50)));
    const r = localizationReport(scores);
    const ms = (Date.now() - t0) / rows.length;
    line.push(`${sys.name} R@1 ${f(r.r1)} R@5 ${f(r.r5)} R@10 ${f(r.r10)} MRR ${f(r.mrr10)} ${ms.toFixed(0)} ms/q`);
  }
  console.log(`${JSON.stringify(params)}\n    ${line.join(' | ')}`);
}
