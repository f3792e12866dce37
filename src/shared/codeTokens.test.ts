import { describe, expect, it } from 'vitest';
import { codeTokens, isIdentifierLike, pathTokens, queryTerms, splitIdentifier } from './codeTokens.js';

describe('code tokens', () => {
  it('keeps the whole identifier and its camelCase, snake_case and digit parts', () => {
    expect(splitIdentifier('parseHTTPHeader_v2')).toEqual(['parse', 'http', 'header', 'v', '2']);
    expect(codeTokens('getUserName(user_id)')).toEqual(['getusername', 'get', 'user', 'name', 'user_id', 'user', 'id']);
    expect(codeTokens('x = 42')).toEqual(['x', '42']);
    // A word with one part that is not the whole word: the part too (a diff search for `accept` finds `this._accept`).
    // The code index keeps a lone part only as the whole word; the diff index (loneParts) adds the part too.
    expect(codeTokens('this._accept = __init__ + $el + Foo')).toEqual(['this', '_accept', '__init__', 'el', 'foo']);
    expect(codeTokens('this._accept = __init__ + $el + Foo', 100, { loneParts: true })).toEqual([
      'this',
      '_accept',
      'accept',
      '__init__',
      'init',
      'el',
      'foo',
    ]);
  });

  it('splits paths into segments and parts', () => {
    expect(pathTokens('lib/requestUtils.js')).toBe('lib requestutils request utils js');
  });

  it('drops stop words from queries unless nothing else is left', () => {
    expect(queryTerms('Return the request header')).toEqual(['request', 'header']);
    expect(queryTerms('the of')).toEqual(['the', 'of']);
  });

  it('recognises identifier-like queries', () => {
    expect(isIdentifierLike('getUserName')).toBe(true);
    expect(isIdentifierLike('Application.use')).toBe(true);
    expect(isIdentifierLike('user_id')).toBe(true);
    expect(isIdentifierLike('how do I parse the config')).toBe(false);
  });
});
