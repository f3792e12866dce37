import { describe, expect, it } from 'vitest';
import { pathMatcher } from './pathMatch.js';

const matches = (filter: string, paths: string[]) => paths.filter(pathMatcher(filter)!);
const PATHS = ['src/search/engine.ts', 'src/search/engine.test.ts', 'src/searchy.ts', 'lib/src/search/x.py', '.github/ci.yml', 'README.md'];

describe('pathMatcher', () => {
  it('is null without a filter', () => {
    expect(pathMatcher(undefined)).toBeNull();
    expect(pathMatcher('')).toBeNull();
  });

  it('takes a folder with a trailing slash, with or without a leading ./', () => {
    const expected = ['src/search/engine.ts', 'src/search/engine.test.ts', 'lib/src/search/x.py'];
    expect(matches('src/search/', PATHS)).toEqual(expected);
    expect(matches('./src/search/', PATHS)).toEqual(expected);
  });

  it('matches a folder without a trailing slash as a substring (so src/search also takes src/searchy.ts)', () => {
    expect(matches('src/search', PATHS)).toEqual([
      'src/search/engine.ts',
      'src/search/engine.test.ts',
      'src/searchy.ts',
      'lib/src/search/x.py',
    ]);
    expect(matches('./src/search', PATHS)).toEqual(matches('src/search', PATHS));
  });

  it('matches an exact file path, and a plain name anywhere in the path', () => {
    expect(matches('README.md', PATHS)).toEqual(['README.md']);
    expect(matches('searchy', PATHS)).toEqual(['src/searchy.ts']);
  });

  it('matches a glob against the whole path, dot folders included', () => {
    expect(matches('src/**/*.ts', PATHS)).toEqual(['src/search/engine.ts', 'src/search/engine.test.ts', 'src/searchy.ts']);
    expect(matches('.github/**', PATHS)).toEqual(['.github/ci.yml']);
  });

  it('matches a glob without a slash against the file name in any folder', () => {
    expect(matches('*.test.ts', PATHS)).toEqual(['src/search/engine.test.ts']);
    expect(matches('*.{py,yml}', PATHS)).toEqual(['lib/src/search/x.py', '.github/ci.yml']);
  });

  it('is case-sensitive', () => {
    expect(matches('readme.md', PATHS)).toEqual([]);
    expect(matches('*.MD', PATHS)).toEqual([]);
  });
});
