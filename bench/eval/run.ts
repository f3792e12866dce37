/**
 * Scores any search system on the dev set (function-level queries and/or localization).
 *
 *   npx tsx bench/eval/run.ts --systems bm25,vec:codevec,rrf:codevec --variant both --task queries
 *   npx tsx bench/eval/run.ts --systems gitlore:hybrid,gitlore:lexical --variant stripped
 *   npx tsx bench/eval/run.ts --cmd 'gitlore search {query} --repo {repo} --limit {limit} --json' --variant with-docs
 *
 * Systems: bm25 (the floor), vec:use, vec:codevec, rrf:<use|codevec|both> (BM25 fused with vectors over the
 * same chunks), gitlore:<hybrid|lexical|semantic|symbol> (the product, in process; see gitloreSystem.ts),
 * and --cmd: any command printing `gitlore search --json`-shaped output ({query} is shell-quoted).
 * Prepare the trees first with bench/eval/prepare.ts. Results go to bench/results/ (gitignored).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bm25System, loadCorpus, rrfSystem, type SearchSystem, vectorSystem } from './candidates.js';
import { loadLocalization, loadQueries, loadRepos, locDir, repoName, treeDir, type Variant } from './dataset.js';
import {
  distinctFiles,
  type FunctionReport,
  functionReport,
  type LocalizationMetrics,
  localizationReport,
  type RankedHit,
  scoreLocalization,
  scoreQuery,
} from './metrics.js';

const argv = process.argv.slice(2);
const opt = (name: string, def?: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const log = (m: string) => process.stderr.write(`${m}\n`);
const variants: Variant[] = opt('variant', 'both') === 'both' ? ['with-docs', 'stripped'] : [opt('variant') as Variant];
const tasks = opt('task', 'queries') === 'both' ? ['queries', 'localization'] : [opt('task', 'queries') as string];
const systemNames = (opt('systems') ?? (opt('cmd') ? 'cmd' : 'bm25')).split(',');
const onlyRepos = opt('repos')?.split(',');
const locLimit = Number(opt('loc-instances', '40'));
/** Every n-th localization instance (a subset when indexing 40 snapshots is too slow). */
const locStride = Number(opt('loc-stride', '1'));
const LOC_K = 50;

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
function cmdSystem(template: string): SearchSystem {
  return {
    name: 'cmd',
    async search(repo, query, k) {
      const cmd = template.replaceAll('{query}', shq(query)).replaceAll('{repo}', shq(repo)).replaceAll('{limit}', String(k));
      const out = execSync(cmd, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
      const parsed = JSON.parse(out) as { results: (RankedHit & { repo?: string })[] };
      return parsed.results;
    },
  };
}

async function makeSystems(names: string[], trees: { name: string; dir: string }[], tag: string): Promise<SearchSystem[]> {
  const needCorpus = names.some((n) => !n.startsWith('gitlore:') && n !== 'cmd');
  const corpus = needCorpus ? loadCorpus(trees) : { chunks: new Map() };
  if (needCorpus) log(`[${tag}] ${[...corpus.chunks.values()].reduce((a, c) => a + c.length, 0)} baseline chunks`);
  const bm25 = needCorpus ? bm25System(corpus) : null;
  const vec: Record<string, Awaited<ReturnType<typeof vectorSystem>>> = {};
  const getVec = async (w: 'use' | 'codevec') => {
    vec[w] ??= await vectorSystem(corpus, w, (m) => log(`[${tag}] ${m}`));
    return vec[w];
  };
  const out: SearchSystem[] = [];
  for (const n of names) {
    if (n === 'bm25' && bm25) out.push(bm25);
    else if (n === 'vec:use' || n === 'vec:codevec') out.push(await getVec(n.slice(4) as 'use' | 'codevec'));
    else if (n.startsWith('rrf:') && bm25) {
      const which = n.slice(4);
      const parts: Parameters<typeof rrfSystem>[2] = [{ weight: 1, raw: bm25.raw }];
      if (which === 'use' || which === 'both') parts.push({ weight: 1, raw: (await getVec('use')).raw });
      if (which === 'codevec' || which === 'both') parts.push({ weight: 1, raw: (await getVec('codevec')).raw });
      out.push(rrfSystem(corpus, n, parts));
    } else if (n.startsWith('gitlore:')) {
      const { gitloreSystem } = await import('./gitloreSystem.js');
      out.push(await gitloreSystem(n.slice(8), trees, tag, log));
    } else if (n === 'cmd') out.push(cmdSystem(opt('cmd') ?? ''));
    else throw new Error(`unknown system ${n}`);
  }
  return out;
}

const results: Record<string, unknown> = {};
const fmt = (x: number) => x.toFixed(3);

for (const task of tasks) {
  if (task === 'queries') {
    const queries = loadQueries().filter((q) => !onlyRepos || onlyRepos.includes(repoName(q.repo)));
    const names = [...new Set(queries.map((q) => repoName(q.repo)))];
    for (const variant of variants) {
      const trees = names.map((name) => ({ name, dir: treeDir(variant, name) }));
      const systems = await makeSystems(systemNames, trees, variant);
      for (const sys of systems) {
        const t0 = Date.now();
        const scores = [];
        const perQuery = [];
        let files10 = 0;
        for (const q of queries) {
          const hits = await sys.search(repoName(q.repo), q.query, 10);
          scores.push(scoreQuery(q, hits));
          perQuery.push({ id: q.id, top: hits.slice(0, 3).map((h) => `${h.path}:${h.startLine}-${h.endLine}`) });
          files10 += distinctFiles(hits.slice(0, 10)).length / queries.length;
        }
        const report: FunctionReport = functionReport(scores);
        const ms = (Date.now() - t0) / queries.length;
        // How many files the first page spans (issue 20: the per-file cap exists to raise it).
        results[`queries/${variant}/${sys.name}`] = { report, msPerQuery: ms, filesAt10: files10, scores, perQuery };
        const m = report.macro;
        const mi = report.micro;
        const nm = report.noMention;
        console.log(
          `${variant.padEnd(9)} ${sys.name.padEnd(16)} macro MRR@10 ${fmt(m.mrr10)} H@1 ${fmt(m.hit1)} H@10 ${fmt(m.hit10)} fR@1 ${fmt(m.fileR1)} fR@5 ${fmt(m.fileR5)} fR@10 ${fmt(m.fileR10)} | micro MRR ${fmt(mi.mrr10)} H@1 ${fmt(mi.hit1)} H@10 ${fmt(mi.hit10)} fR@5 ${fmt(mi.fileR5)} | noMention(${nm.n}) MRR ${fmt(nm.mrr10)} H@10 ${fmt(nm.hit10)} | files@10 ${files10.toFixed(2)} | ${ms.toFixed(1)} ms/q`,
        );
        for (const [repo, r] of Object.entries(report.perRepo)) {
          console.log(`    ${repo.padEnd(22)} MRR ${fmt(r.mrr10)} H@1 ${fmt(r.hit1)} H@10 ${fmt(r.hit10)} fR@5 ${fmt(r.fileR5)}`);
        }
        for (const [lang, r] of Object.entries(report.perLang)) {
          console.log(`    lang ${lang.padEnd(17)} MRR ${fmt(r.mrr10)} H@1 ${fmt(r.hit1)} H@10 ${fmt(r.hit10)} fR@5 ${fmt(r.fileR5)}`);
        }
        for (const [kind, r] of Object.entries(report.perKind).sort()) {
          console.log(
            `    kind ${`${kind} (${r.n})`.padEnd(17)} MRR ${fmt(r.mrr10)} H@1 ${fmt(r.hit1)} H@10 ${fmt(r.hit10)} fR@5 ${fmt(r.fileR5)}`,
          );
        }
      }
    }
  } else {
    const rows = loadLocalization()
      .filter((_, i) => i % locStride === 0)
      .slice(0, locLimit);
    const byName = new Map<string, ReturnType<typeof scoreLocalization>[]>();
    const msByName = new Map<string, number>();
    // One index over every instance's tree (each is its own repo, named by instance id), like an
    // organization with 40 repositories; each query is restricted to its instance's repo.
    const trees = rows.map((row) => ({ name: row.instance_id, dir: locDir(row.instance_id) }));
    const systems = await makeSystems(systemNames, trees, 'loc');
    for (const sys of systems) {
      const t0 = Date.now();
      for (const row of rows) {
        const hits = await sys.search(row.instance_id, row.problem_statement, LOC_K);
        byName.set(sys.name, [...(byName.get(sys.name) ?? []), scoreLocalization(row, hits)]);
      }
      msByName.set(sys.name, (Date.now() - t0) / rows.length);
    }
    for (const [name, scores] of byName) {
      const r: LocalizationMetrics = localizationReport(scores);
      const ms = msByName.get(name) ?? 0;
      results[`localization/${name}`] = { report: r, scores, msPerQuery: ms };
      console.log(
        `localization ${name.padEnd(16)} R@1 ${fmt(r.r1)} R@5 ${fmt(r.r5)} R@10 ${fmt(r.r10)} All@1 ${fmt(r.all1)} All@5 ${fmt(r.all5)} All@10 ${fmt(r.all10)} MRR@10 ${fmt(r.mrr10)} tests@10 ${fmt(r.testShare)} (n=${r.n}) | ${ms.toFixed(1)} ms/q`,
      );
    }
  }
}

const outDir = join(import.meta.dirname, '..', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `eval-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ argv, results }, null, 1));
log(`results: ${file}`);
void loadRepos;
