/** The retrievers whose ranked lists are fused. */
export type RetrieverKind = 'lexical' | 'semantic' | 'symbol';
export const RETRIEVERS: readonly RetrieverKind[] = ['lexical', 'semantic', 'symbol'];
export type RetrieverWeights = Record<RetrieverKind, number>;

/** A chunk and its rank (0-based) in each list that holds it. */
export interface FusedCandidate {
  chunkId: number;
  ranks: Partial<Record<RetrieverKind, number>>;
}

/**
 * Collects ranked chunk-id lists into candidates, in first-seen order (lexical, then semantic,
 * then symbol); a chunk listed twice by one retriever keeps its better rank.
 */
export function fuseRanks(lists: Partial<Record<RetrieverKind, number[]>>): Map<number, FusedCandidate> {
  const fused = new Map<number, FusedCandidate>();
  for (const kind of RETRIEVERS) {
    lists[kind]?.forEach((id, rank) => {
      const c = fused.get(id) ?? { chunkId: id, ranks: {} };
      if (c.ranks[kind] === undefined) c.ranks[kind] = rank;
      fused.set(id, c);
    });
  }
  return fused;
}

/** Reciprocal rank fusion: Σ weight / (k + rank + 1) over the lists that hold the candidate. */
export function rrfScore(candidate: FusedCandidate, weights: RetrieverWeights, k: number): number {
  let score = 0;
  for (const kind of RETRIEVERS) {
    const rank = candidate.ranks[kind];
    if (rank !== undefined) score += weights[kind] / (k + rank + 1);
  }
  return score;
}

/** The score of a chunk ranked first by every retriever: fused scores divided by it fall in (0, 1]. */
export function rrfMaxScore(weights: RetrieverWeights, k: number): number {
  return (weights.lexical + weights.semantic + weights.symbol) / (k + 1);
}

/** Keeps the best of overlapping results in the same file (windows of one long function); input best first. */
export function dedupeOverlaps<T extends { chunk: { fileId: number; startLine: number; endLine: number } }>(items: T[]): T[] {
  const kept: T[] = [];
  for (const item of items) {
    const overlaps = kept.some(
      (k) => k.chunk.fileId === item.chunk.fileId && k.chunk.startLine <= item.chunk.endLine && item.chunk.startLine <= k.chunk.endLine,
    );
    if (!overlaps) kept.push(item);
  }
  return kept;
}
