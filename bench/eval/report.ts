/**
 * Renders a results file of run.ts as Markdown tables (for bench/README.md).
 *   npx tsx bench/eval/report.ts bench/results/eval-….json [more.json…]
 */
import { readFileSync } from 'node:fs';
import type { FunctionReport, LocalizationMetrics } from './metrics.js';

const f = (x: number) => x.toFixed(3);
for (const file of process.argv.slice(2)) {
  const { results } = JSON.parse(readFileSync(file, 'utf8')) as { results: Record<string, { report: unknown; msPerQuery?: number }> };
  const fn = Object.entries(results).filter(([k]) => k.startsWith('queries/'));
  if (fn.length > 0) {
    console.log(
      '| variant | system | MRR@10 | Hit@1 | Hit@10 | file R@1 | file R@5 | file R@10 | micro MRR@10 | MRR@10 (mentions_symbol=false) | Hit@10 (m_s=false) |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [key, v] of fn) {
      const [, variant, system] = key.split('/');
      const r = v.report as FunctionReport;
      const m = r.macro;
      console.log(
        `| ${variant} | ${system} | ${f(m.mrr10)} | ${f(m.hit1)} | ${f(m.hit10)} | ${f(m.fileR1)} | ${f(m.fileR5)} | ${f(m.fileR10)} | ${f(r.micro.mrr10)} | ${f(r.noMention.mrr10)} | ${f(r.noMention.hit10)} |`,
      );
    }
    console.log('\nPer repository and language (MRR@10 / Hit@1 / Hit@10 / file R@5):\n');
    const first = fn[0][1].report as FunctionReport;
    const groups = [...Object.keys(first.perRepo), ...Object.keys(first.perLang).map((l) => `lang:${l}`)];
    console.log(`| variant | system | ${groups.join(' | ')} |`);
    console.log(`|---|---|${groups.map(() => '---').join('|')}|`);
    for (const [key, v] of fn) {
      const [, variant, system] = key.split('/');
      const r = v.report as FunctionReport;
      const cells = groups.map((g) => {
        const m = g.startsWith('lang:') ? r.perLang[g.slice(5)] : r.perRepo[g];
        return m ? `${f(m.mrr10)} / ${f(m.hit1)} / ${f(m.hit10)} / ${f(m.fileR5)}` : '';
      });
      console.log(`| ${variant} | ${system} | ${cells.join(' | ')} |`);
    }
  }
  const loc = Object.entries(results).filter(([k]) => k.startsWith('localization/'));
  if (loc.length > 0) {
    console.log('| system | n | file R@1 | R@5 | R@10 | All@1 | All@5 | All@10 | MRR@10 | test files in top 10 |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const [key, v] of loc) {
      const r = v.report as LocalizationMetrics;
      console.log(
        `| ${key.slice(13)} | ${r.n} | ${f(r.r1)} | ${f(r.r5)} | ${f(r.r10)} | ${f(r.all1)} | ${f(r.all5)} | ${f(r.all10)} | ${f(r.mrr10)} | ${r.testShare === undefined ? '' : f(r.testShare)} |`,
      );
    }
  }
}
