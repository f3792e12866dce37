import { describe, expect, it } from 'vitest';
import { lineLiterals, literalAlternatives, requiredLiterals, topLevelBranches } from './regexLiterals.js';

describe('requiredLiterals', () => {
  it('extracts literal runs a match must contain', () => {
    expect(requiredLiterals('splitIdentifier\\(')).toEqual(['splitIdentifier(']);
    expect(requiredLiterals('func \\w+Handler\\(')).toEqual(['func ', 'Handler(']);
    expect(requiredLiterals('colou?r_name')).toEqual(['colo', 'r_name']);
  });

  it('gives up on top-level alternation and short literals', () => {
    expect(requiredLiterals('foo|bar')).toEqual([]);
    expect(requiredLiterals('a.b')).toEqual([]);
  });

  it('ignores groups and character classes', () => {
    expect(requiredLiterals('(get|set)Header[A-Z]value')).toEqual(['Header', 'value']);
  });
});

describe('literalAlternatives', () => {
  it('requires one branch of a top-level alternation', () => {
    expect(literalAlternatives('def foo\\(|func foo\\(|function foo\\(')).toEqual([['def foo('], ['func foo('], ['function foo(']]);
    expect(literalAlternatives('splitIdentifier\\(')).toEqual([['splitIdentifier(']]);
  });

  it('splits only at the top level', () => {
    expect(topLevelBranches('(a|b)c[|]d\\|e|f')).toEqual(['(a|b)c[|]d\\|e', 'f']);
  });

  it('scans everything when one branch requires nothing', () => {
    expect(literalAlternatives('foobar|x')).toEqual([]);
    expect(literalAlternatives('a.b')).toEqual([]);
  });
});

describe('RE2 syntax in the prefilter', () => {
  it('reads \\Q…\\E as literal text', () => {
    expect(requiredLiterals('\\Qa.b(c)\\E')).toEqual(['a.b(c)']);
    expect(literalAlternatives('\\Qfoo|bar\\E')).toEqual([['foo|bar']]);
  });

  it('requires nothing from inside a class with [:name:] or a leading ]', () => {
    expect(requiredLiterals('[[:digit:]abc]def')).toEqual(['def']);
    expect(requiredLiterals('[]abc]def')).toEqual(['def']);
    expect(topLevelBranches('[[:alpha:]|]x|y')).toEqual(['[[:alpha:]|]x', 'y']);
  });

  it('skips the digits and braces of escapes rather than requiring them', () => {
    expect(requiredLiterals('\\x41bcd')).toEqual(['bcd']);
    expect(requiredLiterals('\\x{263a}smile')).toEqual(['smile']);
    expect(requiredLiterals('\\p{Greek}alpha')).toEqual(['alpha']);
    expect(requiredLiterals('\\pLword')).toEqual(['word']);
  });

  it('still narrows a case-insensitive pattern (the trigram index is case-folded)', () => {
    expect(literalAlternatives('(?i)todo|fixme')).toEqual([['todo'], ['fixme']]);
  });
});

describe('lineLiterals', () => {
  it('gives one literal per branch when every match stays on one line', () => {
    expect(lineLiterals('def foo\\(|func foo\\(')).toEqual(['def foo(', 'func foo(']);
    expect(lineLiterals('^\\s*return')).toBeNull();
    expect(lineLiterals('func \\w+Handler\\(')).toEqual(['Handler(']);
    expect(lineLiterals('\\bparse(Config)?\\b')).toEqual(['parse']);
    expect(lineLiterals('(?:get|set)Header[A-Z_]+$')).toEqual(['Header']);
  });

  it('refuses patterns a match of which could cross a newline or see the whole text', () => {
    for (const pattern of [
      'foo\\s+bar',
      'foo\\W+bar',
      'foo\\D',
      'foo[^x]bar',
      'foo[[:space:]]bar',
      'foo\\pZbar',
      '\\Afoo',
      'foo\\z',
      '(?s)foo.bar',
      '(?i)foo',
      'foo\\nbar',
      'foo\nbar',
      'foo\\x0abar',
      'foo\\Qbar\\E',
      'foo|\\w+',
      'ab',
    ]) {
      expect(lineLiterals(pattern), pattern).toBeNull();
    }
  });
});
