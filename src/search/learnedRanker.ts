import { FEATURE_COUNT, FEATURE_NAMES } from './rankFeatures.js';

/** A linear ranker over the features of rankFeatures.ts: score = Σ weight × feature. */
export interface RankerModel {
  version: 1;
  /** Feature names in weight order (a model whose names differ from FEATURE_NAMES is not used). */
  features: readonly string[];
  weights: readonly number[];
  /**
   * Scores are exp((s − best) / temperature): the temperature puts them on the priors' scale (a test file's demotion
   * equals `priors.test`), so the multipliers applied after ranking (named files, the per-file spread) weigh the same.
   */
  temperature?: number;
  /** Where the weights came from (training pairs, sizes), for `index status` and the docs. */
  trainedOn: string;
}

export function rankerScore(model: RankerModel, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i += 1) s += (model.weights[i] ?? 0) * x[i]!;
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
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    grad.fill(0);
    for (const g of usable) {
      const scores = g.features.map((x) => dot(w, x));
      const max = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - max));
      const total = exp.reduce((a, b) => a + b, 0);
      const goldTotal = exp.reduce((a, e, i) => a + (g.gold[i] ? e : 0), 0);
      // d(-log(goldTotal/total))/ds_i = p_i - q_i, with p over all and q over the gold candidates.
      const weight = g.weight ?? 1;
      g.features.forEach((x, i) => {
        const coef = weight * (exp[i]! / total - (g.gold[i] ? exp[i]! / goldTotal : 0));
        if (coef !== 0) for (let k = 0; k < d; k += 1) grad[k]! += coef * x[k]!;
      });
    }
    step += 1;
    for (let k = 0; k < d; k += 1) {
      const gk = grad[k]! / Math.max(1, totalWeight) + l2 * (w[k]! - (init[k] ?? 0));
      m[k] = 0.9 * m[k]! + 0.1 * gk;
      v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
      const mh = m[k]! / (1 - 0.9 ** step);
      const vh = v[k]! / (1 - 0.999 ** step);
      w[k]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  return { version: 1, features: [...FEATURE_NAMES], weights: [...w], trainedOn: options.trainedOn };
}

function dot(w: Float64Array, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i += 1) s += w[i]! * x[i]!;
  return s;
}
