import { describe, expect, it } from 'vitest';
import { applyPriors, queryWants } from './priors.js';
import { RANKING_PARAMS } from './rankingParams.js';

const priors = { test: 0.5, example: 0.6, docs: 0.35, generatedLike: 0.5 };
const none = queryWants('open the store');
const code = (path: string) => ({ path, language: 'typescript' });

describe('applyPriors', () => {
  it('leaves ordinary source files alone', () => {
    expect(applyPriors(1, code('src/store/openStore.ts'), none, priors)).toBe(1);
  });

  it('demotes test files by folder and by name', () => {
    for (const path of [
      'test/e2e/search.ts',
      'src/__tests__/a.ts',
      'src/a.test.ts',
      'pkg/a_test.go',
      'tests/test_api.py',
      'x/fixtures/y.ts',
    ]) {
      expect(applyPriors(1, code(path), none, priors), path).toBe(0.5);
    }
  });

  it('demotes examples and benchmarks, and documentation languages', () => {
    expect(applyPriors(1, code('examples/basic/index.ts'), none, priors)).toBe(0.6);
    expect(applyPriors(1, code('bench/indexBench.ts'), none, priors)).toBe(0.6);
    expect(applyPriors(1, { path: 'docs/search.md', language: 'markdown' }, none, priors)).toBe(0.35);
    expect(applyPriors(1, { path: 'NOTES', language: 'text' }, none, priors)).toBe(0.35);
  });

  it('multiplies the demotions that apply together', () => {
    expect(applyPriors(1, { path: 'examples/test/README.md', language: 'markdown' }, none, priors)).toBeCloseTo(0.5 * 0.6 * 0.35);
  });

  it('lifts a demotion when the query asks for that kind of file', () => {
    expect(applyPriors(1, code('src/a.test.ts'), queryWants('tests for the store'), priors)).toBe(1);
    expect(applyPriors(1, code('examples/a.ts'), queryWants('usage example'), priors)).toBe(1);
    expect(applyPriors(1, { path: 'README.md', language: 'markdown' }, queryWants('readme install'), priors)).toBe(1);
    // Asking for tests does not lift the docs demotion.
    expect(applyPriors(1, { path: 'README.md', language: 'markdown' }, queryWants('test setup'), priors)).toBe(0.35);
  });

  it('uses the ranking parameters as given', () => {
    expect(applyPriors(2, code('src/a.spec.ts'), none, RANKING_PARAMS.priors)).toBe(2 * RANKING_PARAMS.priors.test);
  });
});

describe('queryWants', () => {
  it('reads whole words only', () => {
    expect(queryWants('latest contest results')).toEqual({ tests: false, examples: false, docs: false });
    expect(queryWants('mock the spec')).toEqual({ tests: true, examples: false, docs: false });
    expect(queryWants('demo documentation')).toEqual({ tests: false, examples: true, docs: true });
  });
});
