import { describe, expect, it } from 'vitest';
import {
  blobHref,
  contextLines,
  groupHits,
  markPieces,
  markRanges,
  markTerms,
  moreHref,
  searchHref,
  summaryText,
  type ViewHit,
} from './searchView.js';

const hit = (path: string, startLine: number, snippet = 'x') => ({
  repo: 'r',
  path,
  startLine,
  endLine: startLine + 2,
  language: 'typescript',
  symbol: null,
  kind: 'chunk',
  snippet,
});

describe('search view helpers', () => {
  it('groups hits by file in rank order of each file’s best hit, keeping rank order within a file', () => {
    const groups = groupHits([hit('b.ts', 30), hit('a.ts', 5), hit('b.ts', 3)]);
    expect(groups.map((g) => g.path)).toEqual(['b.ts', 'a.ts']);
    expect(groups[0]?.hits.map((h) => h.startLine)).toEqual([30, 3]);
  });

  it('marks query words case-insensitively, longest first, without overlaps', () => {
    const terms = markTerms('parse Widget parseWidget');
    expect(terms).toEqual(['parsewidget', 'widget', 'parse']);
    expect(markRanges('export function parseWidget(w: Widget)', terms)).toEqual([
      [16, 27],
      [31, 37],
    ]);
    expect(markPieces('a Widget', terms)).toEqual([
      { text: 'a ', marked: false },
      { text: 'Widget', marked: true },
    ]);
  });

  it('marks only literal runs of a regex, never running the pattern', () => {
    expect(markTerms('(a+)+$|fooBar\\d+', 'regex')).toEqual(['foobar']);
  });

  it('shows context lines from just above the first marked line', () => {
    const snippet = Array.from({ length: 12 }, (_, i) => (i === 8 ? 'needle here' : `line ${i}`)).join('\n');
    const lines = contextLines({ snippet, startLine: 100 }, ['needle']);
    expect(lines[0]).toEqual({ n: 106, text: 'line 6' });
    expect(lines).toHaveLength(6);
  });

  it('builds page URLs with encoded segments', () => {
    expect(blobHref('r', 'a b/c#d.ts', 3, 9)).toBe('/r/r/blob/a%20b/c%23d.ts#L3-L9');
    expect(blobHref('r', 'x.ts', 4, 4)).toBe('/r/r/blob/x.ts#L4');
    expect(searchHref({ q: 'a b', repo: '', mode: 'symbol' })).toBe('/search?q=a+b&mode=symbol');
    expect(searchHref({})).toBe('/');
    expect(searchHref({ q: 'x', mode: 'lexical', group: 'file' })).toBe('/search?q=x&mode=lexical&group=file');
  });

  it('links to a larger page only when this one was full and below the maximum', () => {
    expect(moreHref({ q: 'x', group: 'file' }, 10, 10)).toBe('/search?q=x&group=file&limit=20');
    expect(moreHref({ q: 'x' }, 7, 10)).toBeNull();
    expect(moreHref({ q: 'x', limit: '195' }, 195, 195)).toBe('/search?q=x&limit=200');
    expect(moreHref({ q: 'x', limit: '200' }, 200, 200)).toBeNull();
  });

  it('counts results in files, or files alone when the server grouped them', () => {
    const hit = (path: string, grouped: boolean): ViewHit => ({
      repo: 'r',
      path,
      startLine: 1,
      endLine: 2,
      language: 'ts',
      symbol: null,
      kind: 'function',
      snippet: '',
      ...(grouped ? { chunks: [{ startLine: 1, endLine: 2, symbol: null, snippet: '' }] } : {}),
    });
    expect(summaryText({ tookMs: 3, results: [hit('a', false), hit('a', false), hit('b', false)] })).toBe('3 results in 2 files · 3 ms');
    expect(summaryText({ tookMs: 3, results: [hit('a', true), hit('b', true)] })).toBe('2 files, best first · 3 ms');
    expect(summaryText({ tookMs: 3, results: [], commits: [{}] })).toBe('1 commit · 3 ms');
  });
});
