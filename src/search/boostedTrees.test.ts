import { describe, expect, it } from 'vitest';
import { boostTrees } from './boostedTrees.js';
import { type RankerModel, rankerScore, type TrainingGroup, treeScore } from './learnedRanker.js';
import { FEATURE_COUNT, FEATURE_NAMES } from './rankFeatures.js';

/** A seeded generator, so the groups (and the trees) are the same on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/**
 * Groups of 8 candidates whose answer is the one with feature 0 high and feature 1 low: an interaction no weight on
 * either feature alone can find (half the others have one of the two).
 */
function groups(count: number, seed: number): TrainingGroup[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const answer = Math.floor(next() * 8);
    const features = Array.from({ length: 8 }, (_, i) => {
      const x = new Float64Array(FEATURE_COUNT);
      for (let k = 2; k < 6; k += 1) x[k] = next();
      if (i === answer) {
        x[0] = 0.6 + 0.4 * next();
        x[1] = 0.4 * next();
      } else if (next() < 0.5) {
        x[0] = 0.6 + 0.4 * next();
        x[1] = 0.6 + 0.4 * next();
      } else {
        x[0] = 0.4 * next();
        x[1] = 0.4 * next();
      }
      return x;
    });
    return { features, gold: features.map((_, i) => i === answer) };
  });
}

const flat: RankerModel = { version: 1, features: [...FEATURE_NAMES], weights: new Array(FEATURE_COUNT).fill(0), trainedOn: 'zeros' };
const options = { trees: 20, depth: 3, learningRate: 0.3, lambda: 1, minHessian: 0.5, trainedOn: 'test' };

function top1(model: RankerModel, gs: TrainingGroup[]): number {
  let right = 0;
  for (const g of gs) {
    const scores = g.features.map((x) => rankerScore(model, x));
    if (g.gold[scores.indexOf(Math.max(...scores))]) right += 1;
  }
  return right / gs.length;
}

describe('boosted trees on top of a ranker', () => {
  it('learn an interaction of two features that the base model cannot see, on groups they were not fitted to', () => {
    const model = boostTrees(groups(200, 1), flat, options);
    expect(model.version).toBe(3);
    expect(model.trees).toHaveLength(20);
    expect(top1(flat, groups(100, 2))).toBeLessThan(0.3);
    expect(top1(model, groups(100, 2))).toBeGreaterThan(0.9);
  });

  it("start from the base model's scores and keep its weights, so zero trees rank as the base does", () => {
    const base: RankerModel = { ...flat, weights: flat.weights.map((_, k) => (k === 0 ? 2 : 0)) };
    const none = boostTrees(groups(50, 3), base, { ...options, trees: 0 });
    const x = groups(1, 4)[0]!.features[0]!;
    expect(rankerScore(none, x)).toBe(rankerScore(base, x));
    const some = boostTrees(groups(50, 3), base, options);
    expect(some.weights).toEqual(base.weights);
    expect(some.trees!.length).toBe(20);
  });

  it('are the same trees for the same groups, and read a candidate left when its feature is at most the threshold', () => {
    const a = boostTrees(groups(80, 5), flat, options);
    const b = boostTrees(groups(80, 5), flat, options);
    expect(JSON.stringify(a.trees)).toBe(JSON.stringify(b.trees));
    const tree = { feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -1, 1] };
    expect(treeScore(tree, [0.5])).toBe(-1);
    expect(treeScore(tree, [0.51])).toBe(1);
  });

  it('skip groups without an answer among the candidates and give back the base model when nothing is left', () => {
    const none = groups(10, 6).map((g) => ({ ...g, gold: g.gold.map(() => false) }));
    const model = boostTrees(none, flat, options);
    expect(model.trees ?? []).toHaveLength(0);
  });
});
