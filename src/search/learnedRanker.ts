import { FEATURE_COUNT, FEATURE_NAMES } from './rankFeatures.js';

/**
 * A ranker over the features of rankFeatures.ts: score = Σ weight × feature, plus (version 2) a layer of rectified
 * units, Σ out_j × max(0, bias_j + Σ unit_jk × feature_k), which lets evidence count differently in different
 * company (a word match in a doc comment against one in a name, with or without a doc at all).
 */
export interface RankerModel {
  version: 1 | 2 | 3;
  /** Feature names in weight order (a model whose names differ from FEATURE_NAMES is not used). */
  features: readonly string[];
  weights: readonly number[];
  hidden?: HiddenLayer;
  /** Regression trees added to the score (version 3: a repository's own trees, learned at index time on top of a fixed model). */
  trees?: readonly RankerTree[];
  /**
   * Scores are exp((s − best) / temperature): the temperature puts them on the priors' scale (a test file's demotion
   * equals `priors.test`), so the multipliers applied after ranking (named files, the per-file spread) weigh the same.
   */
  temperature?: number;
  /** Where the weights came from (training pairs, sizes), for `index status` and the docs. */
  trainedOn: string;
}

export interface HiddenLayer {
  /** One row of input weights per unit, in feature order. */
  units: readonly (readonly number[])[];
  bias: readonly number[];
  out: readonly number[];
}

/**
 * A regression tree as parallel arrays over its nodes, the root first: an inner node sends a candidate to `left` when
 * its feature is at most `threshold`, else to `right`; a leaf (`feature` −1) adds its `value` to the score.
 */
export interface RankerTree {
  feature: readonly number[];
  threshold: readonly number[];
  left: readonly number[];
  right: readonly number[];
  value: readonly number[];
}

export function treeScore(tree: RankerTree, x: ArrayLike<number>): number {
  let node = 0;
  for (let f = tree.feature[0]!; f >= 0; f = tree.feature[node]!)
    node = x[f]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  return tree.value[node]!;
}

export function rankerScore(model: RankerModel, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i += 1) s += (model.weights[i] ?? 0) * x[i]!;
  const hidden = model.hidden;
  if (hidden)
    for (let j = 0; j < hidden.units.length; j += 1) {
      const row = hidden.units[j]!;
      let a = hidden.bias[j]!;
      for (let i = 0; i < x.length; i += 1) a += row[i]! * x[i]!;
      if (a > 0) s += hidden.out[j]! * a;
    }
  if (model.trees) for (const tree of model.trees) s += treeScore(tree, x);
  return s;
}

/** True when the model was trained on this build's features. */
export function modelFits(model: RankerModel): boolean {
  return model.features.length === FEATURE_COUNT && model.features.every((n, i) => n === FEATURE_NAMES[i]);
}

/** One training query: its candidates' features and which of them answer it. */
export interface TrainingGroup {
  features: Float64Array[];
  gold: boolean[];
  /** How much this query counts (default 1). */
  weight?: number;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Start from these weights (a fixed model) instead of zeros. */
  init?: readonly number[];
  trainedOn: string;
}

/**
 * Listwise training (softmax cross-entropy of the gold candidates among each query's candidates, as ListNet
 * with one relevant set), Adam, L2 towards `init`. Groups without a gold candidate teach nothing and are skipped.
 */
export function trainRanker(groups: TrainingGroup[], options: TrainOptions): RankerModel {
  const usable = groups.filter((g) => g.gold.some(Boolean) && g.gold.some((x) => !x));
  const d = FEATURE_COUNT;
  const init = options.init ?? new Array<number>(d).fill(0);
  const w = Float64Array.from(init);
  const m = new Float64Array(d);
  const v = new Float64Array(d);
  const lr = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-3;
  const epochs = options.epochs ?? 60;
  const totalWeight = usable.reduce((a, g) => a + (g.weight ?? 1), 0);
  let step = 0;
  const grad = new Float64Array(d);
  const anchor = Float64Array.from(init);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    grad.fill(0);
    for (const g of usable) {
      const coefs = new Float64Array(g.features.length);
      listwiseGradient(
        g.features.map((x) => dot(w, x)),
        g.gold,
        g.weight ?? 1,
        coefs,
      );
      g.features.forEach((x, i) => {
        const coef = coefs[i]!;
        if (coef !== 0) for (let k = 0; k < d; k += 1) grad[k]! += coef * x[k]!;
      });
    }
    step += 1;
    adamStep(w, grad, m, v, step, { lr, l2, totalWeight, anchor });
  }
  return { version: 1, features: [...FEATURE_NAMES], weights: [...w], trainedOn: options.trainedOn };
}

/**
 * The listwise loss's gradient by candidate score, times the group's weight, into `out`: d(−log(Σ_gold e^s / Σ e^s))/ds_i
 * = p_i − q_i, with p the softmax over all candidates and q over the gold ones (the first `gold.length` scores).
 */
export function listwiseGradient(
  scores: ArrayLike<number>,
  gold: ArrayLike<boolean | number>,
  weight: number,
  out: Float64Array,
  /** Also the loss's second derivative by each score (the diagonal, weight × p_i(1 − p_i)), for Newton steps. */
  hessian?: Float64Array,
): void {
  const n = gold.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i += 1) max = Math.max(max, scores[i]!);
  let total = 0;
  let goldTotal = 0;
  for (let i = 0; i < n; i += 1) {
    const e = Math.exp(scores[i]! - max);
    out[i] = e;
    total += e;
    if (gold[i]) goldTotal += e;
  }
  for (let i = 0; i < n; i += 1) {
    const p = out[i]! / total;
    if (hessian) hessian[i] = weight * p * (1 - p);
    out[i] = weight * (p - (gold[i] ? out[i]! / goldTotal : 0));
  }
}

/** One Adam step (β 0.9 / 0.999) on every parameter: the summed gradient over `totalWeight`, plus L2 towards `anchor`. */
function adamStep(
  p: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  step: number,
  o: { lr: number; l2: number; totalWeight: number; anchor: Float64Array },
): void {
  for (let i = 0; i < p.length; i += 1) {
    const gi = grad[i]! / Math.max(1, o.totalWeight) + o.l2 * (p[i]! - o.anchor[i]!);
    m[i] = 0.9 * m[i]! + 0.1 * gi;
    v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
    p[i]! -= (o.lr * (m[i]! / (1 - 0.9 ** step))) / (Math.sqrt(v[i]! / (1 - 0.999 ** step)) + 1e-8);
  }
}

function dot(w: Float64Array, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i += 1) s += w[i]! * x[i]!;
  return s;
}

export interface HiddenTrainOptions {
  /** Rectified units per model. */
  units: number;
  /** Models trained from different random starts and averaged (as one layer of `units × seeds` units). */
  seeds?: number;
  epochs?: number;
  learningRate?: number;
  /** L2 on every weight (the linear part towards `linear`'s weights). */
  l2?: number;
  /** The linear model the layer is added to: its weights start (and anchor) the linear part. */
  linear: RankerModel;
  /** Features the units do not read (demotions the pairs cannot teach keep their linear weight alone). */
  linearOnly?: readonly string[];
  trainedOn: string;
}

/**
 * The linear model plus a layer of rectified units, trained with the same listwise loss (full batch, Adam). Each
 * seed's units start small and random; the seeds' layers are averaged into one, which steadies what a single start
 * learns (on the dev set a single start's stripped MRR@10 moved by ±0.01 with the seed).
 */
export function trainHiddenRanker(groups: TrainingGroup[], options: HiddenTrainOptions): RankerModel {
  const seeds = options.seeds ?? 1;
  const parts = Array.from({ length: seeds }, (_, k) => trainOneHidden(groups, options, 7 + 101 * k));
  const d = FEATURE_COUNT;
  const weights = new Array<number>(d).fill(0);
  for (const p of parts) for (let i = 0; i < d; i += 1) weights[i]! += p.linear[i]! / seeds;
  return {
    version: 2,
    features: [...FEATURE_NAMES],
    weights,
    hidden: {
      units: parts.flatMap((p) => p.units),
      bias: parts.flatMap((p) => p.bias),
      out: parts.flatMap((p) => p.out.map((o) => o / seeds)),
    },
    trainedOn: options.trainedOn,
  };
}

function trainOneHidden(groups: TrainingGroup[], options: HiddenTrainOptions, seed: number) {
  const usable = groups.filter((g) => g.gold.some(Boolean) && g.gold.some((x) => !x));
  const d = FEATURE_COUNT;
  const h = options.units;
  const random = lcg(seed);
  // Parameters, flat: units (h × d), bias (h), out (h), linear (d).
  const U = 0;
  const B = h * d;
  const O = B + h;
  const L = O + h;
  const count = L + d;
  const p = new Float64Array(count);
  const anchor = new Float64Array(count);
  for (let i = 0; i < h * d; i += 1) p[U + i] = (random() - 0.5) * 0.2;
  for (let j = 0; j < h; j += 1) p[O + j] = (random() - 0.5) * 0.2;
  for (let k = 0; k < d; k += 1) p[L + k] = anchor[L + k] = options.linear.weights[k] ?? 0;
  const linearOnly = (options.linearOnly ?? []).map((n) => FEATURE_NAMES.indexOf(n as (typeof FEATURE_NAMES)[number]));
  for (let j = 0; j < h; j += 1) for (const k of linearOnly) p[U + j * d + k] = 0;
  const m = new Float64Array(count);
  const v = new Float64Array(count);
  const grad = new Float64Array(count);
  const lr = options.learningRate ?? 0.02;
  const l2 = options.l2 ?? 1e-2;
  const totalWeight = usable.reduce((a, g) => a + (g.weight ?? 1), 0);
  // Most features of a candidate are 0: each group is packed once as its candidates' non-zero entries (the same sums,
  // a third of the work, and no allocation per step).
  const packed = usable.map(packGroup);
  const most = Math.max(1, ...usable.map((g) => g.features.length));
  const work = { acts: new Float64Array(most * h), scores: new Float64Array(most), coefs: new Float64Array(most) };
  const shape = { d, h, U, B, O, L };
  for (let step = 1; step <= (options.epochs ?? 300); step += 1) {
    grad.fill(0);
    for (const g of packed) accumulateGroup(p, grad, g, shape, work);
    for (let j = 0; j < h; j += 1) for (const k of linearOnly) grad[U + j * d + k] = 0;
    adamStep(p, grad, m, v, step, { lr, l2, totalWeight, anchor });
  }
  return {
    units: Array.from({ length: h }, (_, j) => Array.from(p.subarray(U + j * d, U + (j + 1) * d))),
    bias: Array.from(p.subarray(B, B + h)),
    out: Array.from(p.subarray(O, O + h)),
    linear: Array.from(p.subarray(L, L + d)),
  };
}

/** A group's candidates as their non-zero features: candidate i's are entries start[i] … start[i + 1] − 1. */
interface PackedGroup {
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
  gold: Uint8Array;
  weight: number;
}

function packGroup(g: TrainingGroup): PackedGroup {
  const index: number[] = [];
  const value: number[] = [];
  const start = new Int32Array(g.features.length + 1);
  g.features.forEach((x, i) => {
    for (let k = 0; k < x.length; k += 1)
      if (x[k] !== 0) {
        index.push(k);
        value.push(x[k]!);
      }
    start[i + 1] = index.length;
  });
  return {
    start,
    index: Int32Array.from(index),
    value: Float64Array.from(value),
    gold: Uint8Array.from(g.gold, (x) => (x ? 1 : 0)),
    weight: g.weight ?? 1,
  };
}

/**
 * Adds one group's gradient of the listwise loss to `grad`, for the flat parameters `p` (units h × d at U, biases at
 * B, output weights at O, linear weights at L).
 */
function accumulateGroup(
  p: Float64Array,
  grad: Float64Array,
  g: PackedGroup,
  o: { d: number; h: number; U: number; B: number; O: number; L: number },
  work: { acts: Float64Array; scores: Float64Array; coefs: Float64Array },
): void {
  const { d, h, U, B, O, L } = o;
  const { acts, scores, coefs } = work;
  const { start, index, value, gold } = g;
  const n = start.length - 1;
  for (let i = 0; i < n; i += 1) {
    const from = start[i]!;
    const to = start[i + 1]!;
    let s = 0;
    for (let t = from; t < to; t += 1) s += p[L + index[t]!]! * value[t]!;
    for (let j = 0; j < h; j += 1) {
      let a = p[B + j]!;
      const row = U + j * d;
      for (let t = from; t < to; t += 1) a += p[row + index[t]!]! * value[t]!;
      if (a > 0) {
        acts[i * h + j] = a;
        s += p[O + j]! * a;
      } else acts[i * h + j] = 0;
    }
    scores[i] = s;
  }
  listwiseGradient(scores, gold, g.weight, coefs);
  for (let i = 0; i < n; i += 1) {
    const coef = coefs[i]!;
    if (Math.abs(coef) < 1e-12) continue;
    const from = start[i]!;
    const to = start[i + 1]!;
    for (let t = from; t < to; t += 1) grad[L + index[t]!]! += coef * value[t]!;
    for (let j = 0; j < h; j += 1) {
      const a = acts[i * h + j]!;
      if (a <= 0) continue;
      grad[O + j]! += coef * a;
      const back = coef * p[O + j]!;
      grad[B + j]! += back;
      const row = U + j * d;
      for (let t = from; t < to; t += 1) grad[row + index[t]!]! += back * value[t]!;
    }
  }
}

/** A small seeded generator in [0, 1): the same groups and seed give the same model. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}
