/**
 * Experiment: does a linear map from query vectors to code vectors, learned from the index's own documented code
 * (first doc sentence → the chunk without it), make semantic search find code whose words differ from the query's?
 *   EVAL_EMBEDDINGS=codevec npx tsx bench/ranker/projection.ts [--variant stripped] [--lambda 1]
 */
import { createContext } from '../../src/core/context.js';
import { listRepos } from '../../src/core/repos.js';
import { chunkText } from '../../src/indexer/chunker.js';
import { loadQueries, repoName, treeDir, type Variant } from '../eval/dataset.js';
import { openApp } from '../eval/gitloreSystem.js';
import { syntheticPairs } from './synthetic.js';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1]! : d);
const variant = opt('variant', 'stripped') as Variant;
const lambdas = opt('lambda', '0.3,1,3,10').split(',').map(Number);
const queries = loadQueries();
const names = [...new Set(queries.map((q) => repoName(q.repo)))];
const app = await openApp(
  names.map((name) => ({ name, dir: treeDir(variant, name) })),
  variant,
  () => {},
);
const ids = new Map((await listRepos({}, createContext(app))).map((r) => [r.name, r.id]));
const embedder = (await app.embedder())!;

const pairs = [];
for (const name of names)
  pairs.push(
    ...(
      await syntheticPairs(
        app,
        name,
        ids.get(name)!,
        queries.filter((q) => repoName(q.repo) === name),
        1000,
      )
    ).filter((p) => p.lines),
  );
const qTexts = pairs.map((p) => p.query);
const cTexts = pairs.map((p) => {
  const text = p.content!.slice(0, p.deletion!.start) + p.content!.slice(p.deletion!.end);
  return chunkText(text.split('\n'), p.lines!).slice(0, 2000);
});
const Q = await embedder.embed(qTexts);
const C = await embedder.embed(cTexts);
const d = Q[0]!.length;
console.log(`${pairs.length} pairs, ${d} dims`);

/** W = (Cᵀ Q + λ I)(Qᵀ Q + λ I)⁻¹: ridge regression of code vectors on query vectors, pulled towards the identity. */
function learn(lambda: number): Float64Array {
  const QtQ = new Float64Array(d * d);
  const CtQ = new Float64Array(d * d);
  for (let n = 0; n < Q.length; n += 1) {
    const q = Q[n]!;
    const c = C[n]!;
    for (let i = 0; i < d; i += 1) {
      for (let j = 0; j < d; j += 1) {
        QtQ[i * d + j]! += q[i]! * q[j]!;
        CtQ[i * d + j]! += c[i]! * q[j]!;
      }
    }
  }
  for (let i = 0; i < d; i += 1) {
    QtQ[i * d + i]! += lambda;
    CtQ[i * d + i]! += lambda;
  }
  // Solve W · QtQ = CtQ  ⇔  QtQ · Wᵀ = CtQᵀ (QtQ symmetric): Gauss-Jordan on [QtQ | CtQᵀ].
  const A = Float64Array.from(QtQ);
  const B = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) for (let j = 0; j < d; j += 1) B[i * d + j] = CtQ[j * d + i]!;
  for (let col = 0; col < d; col += 1) {
    let piv = col;
    for (let r = col + 1; r < d; r += 1) if (Math.abs(A[r * d + col]!) > Math.abs(A[piv * d + col]!)) piv = r;
    for (let k = 0; k < d; k += 1) {
      [A[col * d + k], A[piv * d + k]] = [A[piv * d + k]!, A[col * d + k]!];
      [B[col * d + k], B[piv * d + k]] = [B[piv * d + k]!, B[col * d + k]!];
    }
    const p = A[col * d + col]!;
    for (let k = 0; k < d; k += 1) {
      A[col * d + k]! /= p;
      B[col * d + k]! /= p;
    }
    for (let r = 0; r < d; r += 1) {
      if (r === col) continue;
      const f = A[r * d + col]!;
      if (f === 0) continue;
      for (let k = 0; k < d; k += 1) {
        A[r * d + k]! -= f * A[col * d + k]!;
        B[r * d + k]! -= f * B[col * d + k]!;
      }
    }
  }
  const W = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) for (let j = 0; j < d; j += 1) W[i * d + j] = B[j * d + i]!;
  return W;
}

function apply(W: Float64Array | null, q: Float32Array): Float32Array {
  if (!W) return q;
  const out = new Float32Array(d);
  let norm = 0;
  for (let i = 0; i < d; i += 1) {
    let s = 0;
    for (let j = 0; j < d; j += 1) s += W[i * d + j]! * q[j]!;
    out[i] = s;
    norm += s * s;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < d; i += 1) out[i]! /= norm;
  return out;
}

const evalVecs = await embedder.embed(queries.map((q) => q.query));
for (const lambda of [null, ...lambdas]) {
  const W = lambda === null ? null : learn(lambda);
  let mrr = 0;
  let h10 = 0;
  for (const [i, q] of queries.entries()) {
    const near = await app.store.index.nearest(embedder.id, apply(W, evalVecs[i]!), 30, { repoIds: [ids.get(repoName(q.repo))!] });
    const chunks = await app.store.index.chunks(near);
    const byId = new Map(chunks.map((c) => [c.id, c]));
    const r = near.slice(0, 10).findIndex((id) => {
      const c = byId.get(id)!;
      return c.path === q.gold_path && c.startLine <= q.end_line && c.endLine >= q.start_line;
    });
    if (r >= 0) {
      mrr += 1 / (r + 1);
      h10 += 1;
    }
  }
  console.log(
    `${lambda === null ? 'identity' : `lambda ${lambda}`}: semantic MRR@10 ${(mrr / queries.length).toFixed(3)} H@10 ${(h10 / queries.length).toFixed(3)}`,
  );
}
