import { describe, expect, it } from 'vitest';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { MAX_QUERY_BYTES, MAX_TEXT_QUERY_BYTES, SEARCH_LIMIT } from '../shared/searchLimits.js';
import { clampLimit, languagesFor, queryByteLimit, validateLimit, validateQuery, validateQueryText } from './query.js';

function rejection(fn: () => void): GitloreError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GitloreError);
    return error as GitloreError;
  }
  throw new Error('expected a GitloreError');
}

describe('validateQuery', () => {
  it('accepts words, identifiers and valid regexes', () => {
    expect(() => validateQuery('parse the config', 'hybrid')).not.toThrow();
    expect(() => validateQuery('function \\w+\\(', 'regex')).not.toThrow();
  });

  it('rejects an empty or blank query with a hint', () => {
    for (const query of ['', '   \n']) {
      const error = rejection(() => validateQuery(query, 'lexical'));
      expect(error.code).toBe(ERROR_CODES.QUERY_INVALID);
      expect(error.message).toBe('The search query is empty.');
      expect(error.hint).toBeTruthy();
    }
  });

  it('rejects a regex over the byte limit, counting UTF-8 bytes', () => {
    expect(() => validateQuery('a'.repeat(MAX_QUERY_BYTES), 'regex')).not.toThrow();
    const error = rejection(() => validateQuery('é'.repeat(MAX_QUERY_BYTES / 2 + 1), 'regex'));
    expect(error.message).toBe(`The search query is ${MAX_QUERY_BYTES + 2} bytes; the limit is ${MAX_QUERY_BYTES}.`);
    expect(() => validateQueryText('x'.repeat(MAX_QUERY_BYTES + 1))).toThrow(/limit is 10240/);
  });

  it('takes pasted text (an issue) up to MAX_TEXT_QUERY_BYTES, and names the limit and what to do beyond it', () => {
    const issue = 'TypeError: cannot read property of undefined\n    at parseConfig (src/config.js:10:3)\n';
    expect(() => validateQuery(issue.repeat(Math.ceil((20 * 1024) / issue.length)), 'hybrid')).not.toThrow();
    expect(() => validateQuery('é'.repeat(MAX_TEXT_QUERY_BYTES / 2), 'lexical')).not.toThrow();
    const error = rejection(() => validateQuery(`${'a'.repeat(MAX_TEXT_QUERY_BYTES)}\n`, 'hybrid'));
    expect(error.code).toBe(ERROR_CODES.QUERY_INVALID);
    expect(error.toLine()).toBe(
      `The search text is ${MAX_TEXT_QUERY_BYTES + 1} bytes; the limit is ${MAX_TEXT_QUERY_BYTES} (1 MB). Search with the part that matters: the error message, the stack trace, the names of the functions and files involved.`,
    );
    expect(queryByteLimit('retry backoff', 'hybrid')).toBe(MAX_QUERY_BYTES);
    expect(queryByteLimit('a\nb', 'regex')).toBe(MAX_QUERY_BYTES);
    expect(queryByteLimit('a\nb', 'hybrid')).toBe(MAX_TEXT_QUERY_BYTES);
  });

  it('rejects an invalid regex in regex mode only', () => {
    const error = rejection(() => validateQuery('foo(', 'regex'));
    expect(error.code).toBe(ERROR_CODES.QUERY_INVALID);
    expect(error.message).toBe('Invalid regular expression: missing closing ): `foo(` (RE2 syntax).');
    expect(() => validateQuery('foo(', 'lexical')).not.toThrow();
  });

  it('rejects an unknown mode, naming the modes', () => {
    const error = rejection(() => validateQuery('x', 'fuzzy' as never));
    expect(error.message).toBe('Unknown search mode "fuzzy".');
    expect(error.hint).toBe('Use one of hybrid, lexical, semantic, symbol, regex.');
  });
});

describe('validateLimit', () => {
  it('accepts no limit and whole numbers within bounds', () => {
    for (const limit of [undefined, SEARCH_LIMIT.min, 10, SEARCH_LIMIT.max]) expect(() => validateLimit(limit)).not.toThrow();
  });

  it('rejects zero, negatives, fractions, NaN and anything over the maximum', () => {
    for (const limit of [0, -1, 2.5, Number.NaN, SEARCH_LIMIT.max + 1]) {
      const error = rejection(() => validateLimit(limit));
      expect(error.code).toBe(ERROR_CODES.QUERY_INVALID);
      expect(error.hint).toBe(`Use an integer from 1 to ${SEARCH_LIMIT.max}.`);
    }
  });

  it('is what the engine clamps to', () => {
    expect([clampLimit(0), clampLimit(50), clampLimit(10_000)]).toEqual([1, 50, SEARCH_LIMIT.max]);
  });
});

describe('languagesFor', () => {
  it('expands aliases and known names, case- and space-insensitively', () => {
    expect(languagesFor(' TS ')).toEqual(['typescript', 'tsx']);
    expect(languagesFor('c#')).toEqual(['csharp']);
    expect(languagesFor('Kotlin')).toEqual(['kotlin']);
  });

  it('refuses an unknown language, suggesting close names and listing the known ones', () => {
    expect(() => languagesFor('pyhton')).toThrow('Unknown language "pyhton"; did you mean python?');
    try {
      languagesFor('klingon');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'QUERY_INVALID', message: 'Unknown language "klingon".' });
      expect((error as { hint: string }).hint).toContain('typescript, tsx, javascript, python');
    }
  });
});
