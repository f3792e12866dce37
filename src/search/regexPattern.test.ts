import { describe, expect, it } from 'vitest';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { compileRegex } from './regexPattern.js';

function rejection(pattern: string): GitloreError {
  try {
    compileRegex(pattern);
  } catch (error) {
    return error as GitloreError;
  }
  throw new Error(`${pattern} compiled`);
}

describe('compileRegex', () => {
  it('names the backtracking-only construct it refuses, and says RE2 syntax is used', () => {
    const cases: [string, string][] = [
      ['(a)\\1', 'Regex search does not support backreferences (\\1) (RE2 syntax).'],
      ['foo(?=bar)', 'Regex search does not support lookahead (?=…) (RE2 syntax).'],
      ['foo(?!bar)', 'Regex search does not support negative lookahead (?!…) (RE2 syntax).'],
      ['(?<=foo)bar', 'Regex search does not support lookbehind (?<=…) (RE2 syntax).'],
      ['a++', 'Regex search does not support possessive quantifiers (a++, a*+) (RE2 syntax).'],
      ['x{2000}', 'Invalid regular expression: invalid repeat count: `{2000}` (RE2 syntax).'],
    ];
    for (const [pattern, message] of cases) {
      const error = rejection(pattern);
      expect(error).toBeInstanceOf(GitloreError);
      expect(error.code).toBe(ERROR_CODES.QUERY_INVALID);
      expect(error.message).toBe(message);
      expect(error.hint).toMatch(/RE2 syntax/);
    }
  });

  it('accepts JavaScript spellings RE2 lacks', () => {
    expect(compileRegex('\\u0041b').test('xAb')).toBe(true);
    expect(compileRegex('(?<word>ab)c').test('abc')).toBe(true);
  });

  it('is case-sensitive unless (?i), and ^ $ match at line boundaries', () => {
    expect(compileRegex('todo').test('TODO')).toBe(false);
    expect(compileRegex('(?i)todo').test('TODO')).toBe(true);
    expect(compileRegex('^b$').test('a\nb\nc')).toBe(true);
  });

  it('runs a catastrophic backtracking pattern in linear time', () => {
    const regex = compileRegex('^(\\w+\\s?)*$');
    const line = `${'a'.repeat(5000)}!\n`;
    const started = performance.now();
    expect(regex.test(line.repeat(20).trimEnd())).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
