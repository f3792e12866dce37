import { isDocLanguage, isExamplePath, isTestPath } from '../shared/languages.js';
import type { RankingParams } from './rankingParams.js';

/** Which demotions a query lifts by asking for tests, examples or docs in so many words. */
export interface QueryWants {
  tests: boolean;
  examples: boolean;
  docs: boolean;
}

export function queryWants(query: string): QueryWants {
  return {
    tests: /\b(tests?|spec|specs|testing|fixtures?|mocks?)\b/i.test(query),
    examples: /\b(examples?|samples?|demo|benchmarks?)\b/i.test(query),
    docs: /\b(docs?|documentation|readme|guide)\b/i.test(query),
  };
}

/**
 * A fused score with the path priors applied: tests, examples and documentation are demoted
 * unless the query asks for them (multiplied one by one, in this order).
 */
export function applyPriors(
  score: number,
  chunk: { path: string; language: string },
  wants: QueryWants,
  priors: RankingParams['priors'],
): number {
  let out = score;
  if (!wants.tests && isTestPath(chunk.path)) out *= priors.test;
  if (!wants.examples && isExamplePath(chunk.path)) out *= priors.example;
  if (!wants.docs && isDocLanguage(chunk.language)) out *= priors.docs;
  return out;
}
