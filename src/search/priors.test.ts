import { describe, expect, it } from 'vitest';
import { applyPriors, queryWants } from './priors.js';
import { RANKING_PARAMS } from './rankingParams.js';

const priors = { test: 0.5, example: 0.6, docs: 0.35, generatedLike: 0.5, vendored: 0.4, imports: 0.3, other: 0.45 };
const none = queryWants('open the store');
const code = (path: string) => ({ path, language: 'typescript' });

describe('applyPriors', () => {
  it('leaves ordinary source files alone', () => {
    expect(applyPriors(1, code('src/store/openStore.ts'), none, priors)).toBe(1);
    expect(applyPriors(1, { ...code('src/store/openStore.ts'), kind: 'function', vendored: false }, none, priors)).toBe(1);
  });

  it('demotes test files by folder and by name', () => {
    for (const path of [
      'test/e2e/search.ts',
      'src/__tests__/a.ts',
      'src/a.test.ts',
      'pkg/a_test.go',
      'tests/test_api.py',
      'x/fixtures/y.ts',
      'src/_pytest/testing/helpers.py',
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

  it('demotes vendored copies and import lists unless the query asks for them', () => {
    const vendored = { ...code('mylib/_vendor/six.py'), vendored: true };
    expect(applyPriors(1, vendored, none, priors)).toBe(0.4);
    expect(applyPriors(1, vendored, queryWants('vendored six'), priors)).toBe(1);
    const urllib3 = { ...code('netlib/packages/urllib3/pool.py'), vendored: true };
    expect(applyPriors(1, urllib3, queryWants('urllib3 pool manager'), priors)).toBe(1);
    expect(applyPriors(1, urllib3, queryWants('pool manager'), priors)).toBe(0.4);
    const imports = { ...code('src/app.ts'), kind: 'imports' };
    expect(applyPriors(1, imports, queryWants('how the store is opened'), priors)).toBe(0.3);
    expect(applyPriors(1, imports, queryWants('openStore'), priors)).toBe(1);
    expect(applyPriors(1, imports, queryWants('where is lodash imported'), priors)).toBe(1);
    expect(applyPriors(1, { ...code('src/app.ts'), kind: 'block' }, none, priors)).toBe(1);
  });

  it('multiplies the demotions that apply together', () => {
    expect(applyPriors(1, { path: 'examples/test/README.md', language: 'markdown' }, none, priors)).toBeCloseTo(0.5 * 0.6 * 0.35);
  });

  it('lifts a demotion when the query asks for that kind of file', () => {
    expect(applyPriors(1, code('src/a.test.ts'), queryWants('tests for the store'), priors)).toBe(1);
    expect(applyPriors(1, code('examples/a.ts'), queryWants('usage example'), priors)).toBe(1);
    expect(applyPriors(1, { path: 'README.md', language: 'markdown' }, queryWants('readme install'), priors)).toBe(1);
    // Asking for tests does not lift the docs demotion.
    expect(applyPriors(1, { path: 'README.md', language: 'markdown' }, queryWants('tests for the setup'), priors)).toBe(0.35);
  });

  it('uses the ranking parameters as given', () => {
    expect(applyPriors(2, code('src/a.spec.ts'), none, RANKING_PARAMS.priors)).toBe(2 * RANKING_PARAMS.priors.test);
  });
});

const asks = (query: string) => {
  const w = queryWants(query);
  return Object.entries(w)
    .filter(([, v]) => v === true)
    .map(([k]) => k)
    .sort();
};

describe('queryWants', () => {
  it('hears a request for tests in many phrasings', () => {
    for (const query of [
      'tests for the retry policy',
      'test for parseArgs',
      'Tests of the router',
      'unit tests for config loading',
      'the integration tests covering sync',
      'show me the tests for the lexer',
      'where is parseArgs tested',
      'How is the cache tested?',
      'which functions are tested',
      'is the scheduler tested',
      'specs for the user model',
      'end-to-end tests',
      'router tests',
      'parser_test',
      'test_parse_args',
      'RouterTests',
      'parserTest setup',
      'client.test.ts',
      'button.spec',
      'test helpers',
      'testing utilities',
      'lang:go test helpers',
      'test fixtures',
      'test setup',
      'mocks for tests',
    ]) {
      expect(queryWants(query).tests, query).toBe(true);
    }
  });

  it('does not take a word about testing for a request for tests', () => {
    for (const query of [
      'fixture teardown order',
      'mock the transport',
      'how fixtures are finalized',
      'mock',
      'fixtures',
      'run the test session and collect reports',
      'test runner',
      'latest contest results',
      'Return True when the value passes the test and the spec allows it.',
      'When being redirected we may want to change the method of the request based on certain specs or browser behavior.',
      'Test to see if we have a reason to print See Also information in docs Basically this is a test for a parent command or a subcommand which is both not deprecated and not the autogenerated help command.',
      'TestClient',
      'pytest_collection_modifyitems hook',
    ]) {
      expect(queryWants(query).tests, query).toBe(false);
    }
  });

  it('hears requests for examples and documentation, not mentions of them', () => {
    for (const query of [
      'example of using middleware',
      'examples for the router',
      'usage examples',
      'router example',
      'example app',
      'benchmarks',
    ]) {
      expect(queryWants(query).examples, query).toBe(true);
    }
    for (const query of [
      'an example value for the timeout',
      'parse the header, for example a cookie',
      'Set an example config value when none is given and the caller did not pass one explicitly to the method.',
      'sample rate of the tracer',
    ]) {
      expect(queryWants(query).examples, query).toBe(false);
    }
    for (const query of [
      'docs for the query syntax',
      'documentation on configuration',
      'readme',
      'install guide',
      'api docs',
      'how do I install the cli',
      'changelog',
    ]) {
      expect(queryWants(query).docs, query).toBe(true);
    }
    for (const query of [
      'parse the doc comment of a function',
      'Routes interface adds two methods for router traversal, which is also used by the docgen subpackage to generation documentation for Routers.',
      'docstring of the command',
      'guide rails for the layout',
    ]) {
      expect(queryWants(query).docs, query).toBe(false);
    }
  });

  it('lifts nothing for pasted text, whatever it says', () => {
    const issue = `Tests for the parser fail\n\nwhere is parse tested? see the example of using it and the docs for the readme\n${'word '.repeat(60)}`;
    expect(asks(issue)).toEqual([]);
    expect(asks(`tests for the parser ${'and more words '.repeat(30)}`)).toEqual([]);
  });

  it('wants import lists for identifiers and questions about imports only', () => {
    expect(asks('openStore')).toEqual(['imports']);
    expect(asks('where is lodash imported')).toEqual(['imports']);
    expect(asks('open the store')).toEqual([]);
    expect(asks('vendored urllib3 connection pool')).toEqual(['vendored']);
  });

  it('hears the names a sentence points to as other definitions, not prose after the same words', () => {
    const others = (q: string) => [...queryWants(q).others].sort();
    expect(others('Return request header, alias as request.header')).toEqual(['header']);
    expect(others('ExecuteContext is the same as Execute(), but sets the ctx on the command.')).toEqual(['Execute']);
    expect(others('Options are the same as window.fetch, except for the KyOptions')).toEqual(['KyOptions', 'fetch']);
    expect(others('promote it to the current thread local (see get_current_context).')).toEqual(['get_current_context']);
    expect(others('deprecated, use `parse` instead of `load`')).toEqual(['load', 'parse']);
    for (const q of [
      'see the docs for the parser',
      'Wrapper for non-Error values',
      'same as before',
      'value of PROGRAM_SUFFIX',
      'alias as _',
    ])
      expect(others(q), q).toEqual([]);
  });
});

describe('the prior on definitions the query points away from', () => {
  it('demotes a chunk whose own name the sentence refers to, not its namesakes by owner or other chunks', () => {
    const wants = queryWants('Return request header, alias as request.header');
    const chunk = (symbol: string | null) => ({ path: 'lib/request.js', language: 'javascript', kind: 'getter', symbol });
    expect(applyPriors(1, chunk('request.header'), wants, priors)).toBeCloseTo(0.45);
    expect(applyPriors(1, chunk('header'), wants, priors)).toBeCloseTo(0.45);
    expect(applyPriors(1, chunk('request.headers'), wants, priors)).toBe(1);
    expect(applyPriors(1, chunk(null), wants, priors)).toBe(1);
    expect(applyPriors(1, chunk('request.header'), queryWants('Return the request header'), priors)).toBe(1);
  });
});
