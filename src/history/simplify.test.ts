import { describe, expect, it } from 'vitest';
import { buildGraph, sidesToCompare, simplifiedHistory } from './simplify.js';

/**
 *   1 ── 2 ──────── 5 (merge of 2 and 4) ── 9 (octopus of 5, 7, 8)
 *    \── 3 ── 4 ──/                       /  /
 *   7 (root) ────────────────────────────   /
 *   8 (parent 9 not stored: a shallow edge)
 */
const graph = buildGraph([
  { seq: 1, hash: 'h1', parents: [], committerTime: 100 },
  { seq: 2, hash: 'h2', parents: ['h1'], committerTime: 200 },
  { seq: 3, hash: 'h3', parents: ['h1'], committerTime: 300 },
  { seq: 4, hash: 'h4', parents: ['h3'], committerTime: 400 },
  { seq: 5, hash: 'h5', parents: ['h2', 'h4'], committerTime: 500 },
  { seq: 7, hash: 'h7', parents: [], committerTime: 700 },
  { seq: 8, hash: 'h8', parents: ['h9'], committerTime: 800 },
  { seq: 9, hash: 'hO', parents: ['h5', 'h7', 'h8'], committerTime: 900 },
]);

describe('simplifiedHistory', () => {
  it('maps parents to seqs, a parent that is not stored to -1', () => {
    expect(graph.parents.get(5)).toEqual([2, 4]);
    expect(graph.parents.get(8)).toEqual([-1]);
    expect(graph.seqOf.get('hO')).toBe(9);
  });

  it('walks only the first parent of a merge that kept its version of the path', () => {
    const touches = { commits: [3, 4], merges: [] };
    expect(sidesToCompare(graph, touches, 'default')).toEqual([]);
    expect(simplifiedHistory(graph, 9, touches, () => true, 'default')).toEqual([]);
    expect(simplifiedHistory(graph, 9, touches, () => false, 'full')).toEqual([4, 3]);
  });

  it('follows the first later parent that is the same, or lists the merge and walks every parent', () => {
    const touches = { commits: [1, 3, 7], merges: [5, 9] };
    expect(sidesToCompare(graph, touches, 'default')).toEqual([
      { merge: 5, parent: 1 },
      { merge: 9, parent: 1 },
      { merge: 9, parent: 2 },
    ]);
    // 9 is the same as its second parent (7): only 7 is walked.
    const sameAs7 = (merge: number, parent: number) => !(merge === 9 && parent === 1);
    expect(simplifiedHistory(graph, 9, touches, sameAs7, 'default')).toEqual([7]);
    // 9 differs from all: listed, all parents walked; 5 the same as 4: only 4's line.
    const sameAs4 = (merge: number) => merge !== 5;
    expect(simplifiedHistory(graph, 9, touches, sameAs4, 'default')).toEqual([9, 7, 3, 1]);
    expect(simplifiedHistory(graph, 9, touches, () => true, 'default')).toEqual([9, 7, 5, 3, 1]);
  });

  it('lists, with the full history, merges that differ from any parent', () => {
    const touches = { commits: [1], merges: [5] };
    expect(sidesToCompare(graph, touches, 'full')).toEqual([
      { merge: 9, parent: 1 },
      { merge: 9, parent: 2 },
    ]);
    expect(simplifiedHistory(graph, 9, touches, (_, parent) => parent === 2, 'full')).toEqual([9, 5, 1]);
    expect(simplifiedHistory(graph, 9, touches, () => false, 'full')).toEqual([5, 1]);
  });

  it('lists in the order git walks: newest committer date first, not stored order', () => {
    const skewed = buildGraph([
      { seq: 1, hash: 'a', parents: [], committerTime: 100 },
      { seq: 2, hash: 'b', parents: ['a'], committerTime: 300 },
      { seq: 3, hash: 'c', parents: ['a'], committerTime: 200 },
      { seq: 4, hash: 'd', parents: ['b', 'c'], committerTime: 400 },
    ]);
    const touches = { commits: [1, 2, 3], merges: [4] };
    expect(simplifiedHistory(skewed, 4, touches, () => true, 'default')).toEqual([4, 2, 3, 1]);
    expect(simplifiedHistory(skewed, 4, touches, () => true, 'full')).toEqual([4, 3, 2, 1]);
  });

  it('lists nothing from a head it does not know', () => {
    expect(simplifiedHistory(graph, 99, { commits: [1], merges: [] }, () => true, 'default')).toEqual([]);
  });
});
