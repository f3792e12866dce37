import { createHash } from 'node:crypto';
import { symbolName } from '../../shared/codeTokens.js';
import { isExamplePath, isTestPath } from '../../shared/languages.js';
import type { IndexedChunk, Store } from '../../store/index.js';

/**
 * Training pairs for the ranker, made from a repository's own documented code: the first sentence of a doc comment is
 * a query and the documented definition its answer (as written, and in a copy of the index where that sentence was
 * deleted, so that the words of the query are not in the answer), plus identifier queries (a name → its definition).
 */
export interface TrainingPair {
  repo: string;
  query: string;
  /** The answer: a chunk of this path whose symbol is this one. */
  path: string;
  symbol: string;
  /** Identifier queries accept any definition of the name. */
  anyOfName?: boolean;
  /** Where the sentence sits in the file content (doc pairs), to delete it for the stripped copy. */
  deletion?: { start: number; end: number };
}

const SKIP = /\b(todo|deprecated|alias|internal|https?:)/i;

/** The doc comment's first sentence, cleaned of markup, or null when it is not a usable query. */
export function firstSentence(doc: string): { raw: string; query: string } | null {
  const text = doc.trim();
  if (text.startsWith('@') || text.startsWith(':')) return null;
  const para = text.split(/\n\s*\n/)[0] ?? '';
  const m = para.match(/^[\s\S]*?[.!?](?=\s|$)/);
  const raw = (m ? m[0] : para).trim();
  const query = raw
    .replace(/:\w+:`~?([^`]+)`/g, '$1')
    .replace(/\{@link\s+([^}]+)\}/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/`+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const words = query.split(' ').length;
  if (words < 4 || words > 40 || SKIP.test(query)) return null;
  return { raw, query };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where the raw sentence is in the file content (between its words: spaces and comment markers), or null. */
export function locate(content: string, raw: string, fromLine: number, toLine: number): { start: number; end: number } | null {
  const lines = content.split('\n');
  const start = lines.slice(0, Math.max(0, fromLine - 1)).reduce((a, l) => a + l.length + 1, 0);
  const end = lines.slice(0, toLine).reduce((a, l) => a + l.length + 1, 0);
  const pattern = new RegExp(raw.split(/\s+/).map(escapeRe).join('(?:\\s|\\*|//|#)+'));
  const m = pattern.exec(content.slice(start, end));
  return m ? { start: start + m.index, end: start + m.index + m[0].length } : null;
}

/** Whether a candidate chunk answers the pair. */
export function answers(pair: TrainingPair, chunk: { path: string; symbol: string | null }): boolean {
  return pair.anyOfName
    ? !!chunk.symbol && (chunk.symbol === pair.query || symbolName(chunk.symbol) === pair.query)
    : chunk.path === pair.path && chunk.symbol === pair.symbol;
}

const key = (s: string) => createHash('sha1').update(s).digest('hex');

export interface PairOptions {
  /** Doc pairs at most (and a third as many identifier pairs). */
  perRepo: number;
  /** Chunks never made a pair (the eval's gold symbols, when the benchmark trains the fixed model). */
  exclude?: (chunk: IndexedChunk) => boolean;
  /** Sentences never made a query (lower-cased). */
  excludeQueries?: ReadonlySet<string>;
}

/** The files of one repository with their chunks, in file id order (paged through the store's ports). */
export async function* repositoryFiles(store: Store, repoId: number): AsyncGenerator<{ chunks: IndexedChunk[]; content: string }> {
  let after = 0;
  for (;;) {
    const page = await store.index.fileChunks(after, 200);
    if (page.length === 0) return;
    for (const f of page) {
      after = f.fileId;
      const chunks = await store.index.chunksAt(f.fileId, 1, 1e9);
      if (chunks[0]?.repoId === repoId) yield { chunks, content: f.content };
    }
  }
}

/** Up to `perRepo` doc pairs and `perRepo / 3` identifier pairs of one repository, chosen by a hash (stable). */
export async function repositoryPairs(store: Store, repo: string, repoId: number, o: PairOptions): Promise<TrainingPair[]> {
  const docPairs: (TrainingPair & { h: string })[] = [];
  const namePairs: (TrainingPair & { h: string })[] = [];
  const seenQuery = new Set<string>();
  for await (const file of repositoryFiles(store, repoId)) {
    for (const c of file.chunks) {
      if (!c.symbol || c.kind === 'block' || c.kind === 'section' || c.kind === 'text' || isTestPath(c.path) || isExamplePath(c.path))
        continue;
      if (o.exclude?.(c)) continue;
      const name = symbolName(c.symbol);
      if (name.length >= 3)
        namePairs.push({
          repo,
          query: c.symbol.includes('.') && key(c.symbol)[0]! < '5' ? c.symbol : name,
          path: c.path,
          symbol: c.symbol,
          anyOfName: true,
          h: key(`n${c.path}${c.symbol}`),
        });
      if (!c.doc) continue;
      const s = firstSentence(c.doc);
      if (!s || o.excludeQueries?.has(s.query.toLowerCase()) || seenQuery.has(s.query)) continue;
      const where = locate(file.content, s.raw, Math.max(1, c.startLine - 40), c.endLine);
      if (!where) continue;
      seenQuery.add(s.query);
      docPairs.push({ repo, query: s.query, path: c.path, symbol: c.symbol, deletion: where, h: key(`d${c.path}${c.symbol}${s.query}`) });
    }
  }
  const pick = <T extends { h: string }>(xs: T[], n: number) => xs.sort((a, b) => (a.h < b.h ? -1 : 1)).slice(0, n);
  return [...pick(docPairs, o.perRepo), ...pick(namePairs, Math.ceil(o.perRepo / 3))].map(({ h: _, ...p }) => p);
}

/** The content with the spans deleted (spans may come in any order; they do not overlap). */
export function withoutSpans(content: string, spans: { start: number; end: number }[]): string {
  let text = content;
  for (const s of [...spans].sort((a, b) => b.start - a.start)) text = text.slice(0, s.start) + text.slice(s.end);
  return text;
}
