import type { IndexedChunk } from '../store/index.js';
import type { SearchHit, SearchRepo } from './types.js';

/** Longest snippet, in characters. */
const MAX_SNIPPET_CHARS = 1500;

/** The result for a chunk (its file's `content` given): its first `snippetLines` lines as the snippet, score rounded to 3 places. */
export function chunkHit(
  content: string,
  chunk: IndexedChunk,
  score: number,
  repos: Map<number, SearchRepo>,
  snippetLines: number,
): SearchHit {
  const snippet = chunkSnippet(content.split('\n'), chunk, snippetLines);
  const repo = repos.get(chunk.repoId);
  return {
    repo: repo?.name ?? String(chunk.repoId),
    path: chunk.path,
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    language: chunk.language,
    symbol: chunk.symbol,
    kind: chunk.kind,
    score: Math.round(score * 1000) / 1000,
    snippet,
    url: hitUrl(repo, chunk.path, chunk.startLine, chunk.endLine),
  };
}

/** A chunk's first `snippetLines` lines of its file's `lines`, at most MAX_SNIPPET_CHARS. */
function chunkSnippet(lines: readonly string[], chunk: { startLine: number; endLine: number }, snippetLines: number): string {
  return lines
    .slice(chunk.startLine - 1, Math.min(chunk.endLine, chunk.startLine - 1 + snippetLines))
    .join('\n')
    .slice(0, MAX_SNIPPET_CHARS);
}

/**
 * A hit with its file's best chunks listed (grouping by file), each with its snippet from the file's `content` and
 * its score rounded as the hit's; the hit as is without them.
 */
export function withChunks(
  hit: SearchHit,
  chunks: { chunk: IndexedChunk; score: number }[] | undefined,
  content: string,
  snippetLines: number,
): SearchHit {
  if (!chunks) return hit;
  const lines = content.split('\n');
  return {
    ...hit,
    chunks: chunks.map(({ chunk, score }) => ({
      startLine: chunk.startLine,
      endLine: chunk.endLine,
      symbol: chunk.symbol,
      score: Math.round(score * 1000) / 1000,
      snippet: chunkSnippet(lines, chunk, snippetLines),
    })),
  };
}

/** A regex match: the matched lines as the snippet, kind `match`, score 1. */
export function matchHit(
  file: { repoId: number; path: string; language: string },
  startLine: number,
  endLine: number,
  lines: string[],
  repos: Map<number, SearchRepo>,
): SearchHit {
  const repo = repos.get(file.repoId);
  return {
    repo: repo?.name ?? String(file.repoId),
    path: file.path,
    startLine,
    endLine,
    language: file.language,
    symbol: null,
    kind: 'match',
    score: 1,
    snippet: lines.join('\n').slice(0, MAX_SNIPPET_CHARS),
    url: hitUrl(repo, file.path, startLine, endLine),
  };
}

/** A GitHub blob link pinned to the indexed commit, or null for repos not on GitHub. */
export function hitUrl(repo: SearchRepo | undefined, path: string, start: number, end: number): string | null {
  if (!repo?.htmlUrl || !repo.commit) return null;
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${repo.htmlUrl.replace(/\/$/, '')}/blob/${repo.commit}/${encoded}#L${start}-L${end}`;
}
