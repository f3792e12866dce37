import { describe, expect, it } from 'vitest';
import { dedupeOverlaps, fuseRanks, rrfMaxScore, rrfScore } from './fusion.js';

const ONE = { lexical: 1, semantic: 1, symbol: 1 };

describe('fuseRanks', () => {
  it('records each chunk once with its 0-based rank per list, in lexical → semantic → symbol first-seen order', () => {
    const fused = fuseRanks({ symbol: [9, 1], semantic: [3, 1], lexical: [1, 2] });
    expect([...fused.keys()]).toEqual([1, 2, 3, 9]);
    expect(fused.get(1)?.ranks).toEqual({ lexical: 0, semantic: 1, symbol: 1 });
    expect(fused.get(9)?.ranks).toEqual({ symbol: 0 });
  });

  it('keeps the better rank when a list names a chunk twice', () => {
    expect(fuseRanks({ lexical: [4, 5, 4] }).get(4)?.ranks).toEqual({ lexical: 0 });
  });
});

describe('rrfScore', () => {
  it('sums weight / (k + rank + 1) over the lists holding the chunk', () => {
    const fused = fuseRanks({ lexical: [1, 2], semantic: [2] });
    expect(rrfScore(fused.get(1)!, ONE, 30)).toBeCloseTo(1 / 31);
    expect(rrfScore(fused.get(2)!, ONE, 30)).toBeCloseTo(1 / 32 + 1 / 31);
  });

  it('ranks agreement over a single first place, and weights decide between single lists', () => {
    const fused = fuseRanks({ lexical: [1, 2], semantic: [3, 2] });
    const score = (id: number, weights = ONE) => rrfScore(fused.get(id)!, weights, 30);
    expect(score(2)).toBeGreaterThan(score(1));
    // Equal weights: both first places tie exactly.
    expect(score(1)).toBe(score(3));
    const semanticHeavy = { lexical: 1, semantic: 2, symbol: 1 };
    expect(score(3, semanticHeavy)).toBeGreaterThan(score(1, semanticHeavy));
  });

  it('scores 1 after normalisation for a chunk first in every list', () => {
    const weights = { lexical: 1, semantic: 0.2, symbol: 0.2 };
    const top = fuseRanks({ lexical: [7], semantic: [7], symbol: [7] }).get(7)!;
    expect(rrfScore(top, weights, 30) / rrfMaxScore(weights, 30)).toBeCloseTo(1);
  });
});

describe('dedupeOverlaps', () => {
  const item = (fileId: number, startLine: number, endLine: number) => ({ chunk: { fileId, startLine, endLine } });

  it('drops a later result overlapping a kept one in the same file, keeps touching-free and other-file ones', () => {
    const best = item(1, 10, 20);
    const overlapping = item(1, 20, 30);
    const after = item(1, 21, 30);
    const otherFile = item(2, 10, 20);
    expect(dedupeOverlaps([best, overlapping, after, otherFile])).toEqual([best, after, otherFile]);
  });
});
