import type { IndexFilter, Store } from '../store/index.js';
import { matchHit } from './hits.js';
import { literalAlternatives } from './regexLiterals.js';
import type { SearchHit, SearchRepo } from './types.js';

/** Files fetched per page of prefilter candidates. */
const CANDIDATE_PAGE = 200;

/**
 * Regex matches in file order: the store narrows the files to those holding the pattern's required
 * literals, each candidate is scanned with the regex, one hit per matched line range.
 */
export async function regexSearch(
  store: Store,
  pattern: string,
  filter: IndexFilter,
  matchPath: ((path: string) => boolean) | null,
  limit: number,
  repos: Map<number, SearchRepo>,
): Promise<SearchHit[]> {
  const regex = new RegExp(pattern, 'gm');
  const literals = literalAlternatives(pattern);
  const hits: SearchHit[] = [];
  let afterId = 0;
  for (;;) {
    const files = await store.index.regexCandidates(literals, filter, afterId, CANDIDATE_PAGE);
    if (files.length === 0) break;
    for (const file of files) {
      afterId = file.id;
      if (matchPath && !matchPath(file.path)) continue;
      regex.lastIndex = 0;
      let lineStarts: number[] | null = null;
      let lastLine = -1;
      for (let m = regex.exec(file.content); m !== null; m = regex.exec(file.content)) {
        if (m[0].length === 0) regex.lastIndex += 1;
        lineStarts ??= computeLineStarts(file.content);
        const startLine = lineOf(lineStarts, m.index);
        const endLine = lineOf(lineStarts, m.index + Math.max(0, m[0].length - 1));
        if (startLine === lastLine) continue;
        lastLine = endLine;
        const lines = file.content.split('\n', endLine).slice(startLine - 1);
        hits.push(matchHit(file, startLine, endLine, lines, repos));
        if (hits.length >= limit) return hits;
      }
    }
  }
  return hits;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
