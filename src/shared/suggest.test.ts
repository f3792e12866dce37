import { describe, expect, it } from 'vitest';
import { closeMatches, editDistance } from './suggest.js';

describe('closeMatches', () => {
  it('finds names within two edits or starting with the word, nearest first', () => {
    expect(editDistance('pyhton', 'python')).toBe(2);
    expect(closeMatches('repo', ['query', 'repos', 'language'])).toEqual(['repos']);
    expect(closeMatches('sinse', ['since', 'until', 'grep'])).toEqual(['since']);
    expect(closeMatches('klingon', ['typescript', 'python', 'go'])).toEqual([]);
  });
});
