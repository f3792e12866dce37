import { describe, expect, it } from 'vitest';
import { requiredLiterals } from './regexLiterals.js';

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
