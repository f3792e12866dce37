/**
 * Every ranking constant in one object, so the evaluation can tune them (on the
 * dev set only) without touching the retrievers. Weights are relative.
 */
export const RANKING_PARAMS = {
  /** BM25 column weights: symbol name, path, doc comment, body. */
  bm25: { symbol: 6, path: 2, doc: 2, body: 1 },
  /** Candidates each retriever contributes to fusion. */
  candidates: { lexical: 100, semantic: 100, symbol: 50 },
  /** Reciprocal rank fusion: score = Σ weight / (k + rank). */
  rrfK: 60,
  /** Retriever weights in hybrid mode for prose queries. */
  weights: { lexical: 1, semantic: 1, symbol: 0.6 },
  /** Retriever weights when the query looks like an identifier (fooBar, foo_bar, Foo.bar). */
  identifierWeights: { lexical: 1, semantic: 0.5, symbol: 2 },
  /** Multipliers for paths: tests and examples are demoted unless the query asks for them. */
  priors: { test: 0.5, example: 0.6, docs: 0.7, generatedLike: 0.5 },
  /** Symbol retriever scores by how the name matched. */
  symbolMatch: { qualified: 1, exactWhole: 0.9, exactToken: 0.4, prefix: 0.3 },
  /** Maximum lines in a result snippet. */
  snippetLines: 12,
};

export type RankingParams = typeof RANKING_PARAMS;
