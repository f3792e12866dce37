import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Embedder } from '../embeddings/embedder.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { chunkText, splitLines } from './chunker.js';

/** Characters of a chunk sent to the embedder; cost grows with length and the head carries the signature and doc. */
export const EMBED_MAX_CHARS = 2000;

export interface EmbedOptions {
  signal?: AbortSignal;
  repoIds?: number[];
  /** Texts per embedder call; defaults to the embedder's suggestion. */
  batchSize?: number;
  onProgress?: (embedded: number) => void;
  log?: Logger;
}

/**
 * Embeds every chunk that has no vector for this embedder yet. Vectors are keyed
 * by the chunk's content hash, so identical chunks (forks, vendored copies) are
 * embedded once. Runs after lexical indexing, so search works meanwhile.
 */
export async function embedPending(store: Store, embedder: Embedder, options: EmbedOptions = {}): Promise<number> {
  const batchSize = Math.max(1, options.batchSize ?? embedder.batchSize);
  await store.index.setMeta('embedding_model', embedder.id);
  let total = 0;
  let cursor = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const found = await store.index.missingVectors(embedder.id, batchSize, options.repoIds, cursor);
    if (found.length === 0) break;
    cursor = found[found.length - 1]!.id;
    // Identical chunks (same hash) in one batch are embedded once.
    const seen = new Set<string>();
    const rows = found.filter((row) => !seen.has(row.hash) && seen.add(row.hash));
    const linesByFile = new Map<number, string[]>();
    const texts = rows.map((row) => {
      let lines = linesByFile.get(row.fileId);
      if (!lines) {
        lines = splitLines(row.content);
        linesByFile.set(row.fileId, lines);
      }
      const text = chunkText(lines, row);
      return text.length > EMBED_MAX_CHARS ? text.slice(0, EMBED_MAX_CHARS) : text;
    });
    const vectors = await embedder.embed(texts, { signal: options.signal });
    await store.index.putVectors(
      embedder.id,
      rows.map((row, i) => ({ hash: row.hash, vector: vectors[i]! })),
    );
    total += rows.length;
    options.onProgress?.(total);
    // The store answers synchronously (as resolved promises), so without this the whole pass is one turn of the event loop.
    await yieldToEventLoop();
  }
  if (total > 0) options.log?.debug('embedded chunks', { count: total, model: embedder.id });
  return total;
}

/** Files read per page of `corpusTexts`; a page is one synchronous read, so it stays short. */
const CORPUS_PAGE_FILES = 100;

/**
 * Every chunk's embedding text, file by file (for corpus-learned embedders); with a stride, about one chunk in
 * `stride`, chosen by its text rather than its position, so the same corpus gives the same sample whatever order
 * its files were written in.
 */
export async function corpusTexts(store: Store, options: { stride?: number } = {}): Promise<string[]> {
  const stride = Math.max(1, Math.floor(options.stride ?? 1));
  const out: string[] = [];
  let after = 0;
  for (;;) {
    const files = await store.index.fileChunks(after, CORPUS_PAGE_FILES);
    if (files.length === 0) break;
    await yieldToEventLoop();
    for (const file of files) {
      after = file.fileId;
      const lines = splitLines(file.content);
      for (const chunk of file.chunks) {
        if (stride > 1 && sampleKey(lines, chunk) % stride !== 0) continue;
        const text = chunkText(lines, chunk);
        out.push(text.length > EMBED_MAX_CHARS ? text.slice(0, EMBED_MAX_CHARS) : text);
      }
    }
  }
  return out;
}

/** FNV-1a of the head of a chunk's text (context, then lines), read in place: a cheap, stable key to sample by. */
function sampleKey(lines: string[], chunk: { startLine: number; endLine: number; context: string | null }): number {
  let hash = 0x811c9dc5;
  let left = 512;
  const mix = (part: string) => {
    for (let i = 0; i < part.length && left > 0; i++, left--) hash = Math.imul(hash ^ part.charCodeAt(i), 0x01000193);
  };
  if (chunk.context) mix(chunk.context);
  for (let line = chunk.startLine - 1; line < chunk.endLine && left > 0; line++) mix(lines[line] ?? '');
  return hash >>> 0;
}

/** A corpus-learned model needs a sample, not every chunk: this bounds the texts held in memory while it learns. */
const MAX_FIT_TEXTS = 40_000;

/**
 * Lets a corpus-learned embedder (re)learn from the indexed chunks before embedding;
 * returns true when its model (and id) changed.
 */
export async function fitEmbedder(
  store: Store,
  embedder: Embedder,
  options: { force?: boolean; signal?: AbortSignal; onLearn?: (corpusSize: number) => void } = {},
): Promise<boolean> {
  if (!embedder.fit) return false;
  const corpusSize = await store.index.chunkCount();
  if (corpusSize === 0) return false;
  const stride = Math.ceil(corpusSize / MAX_FIT_TEXTS);
  // The embedder asks for the texts only when it decides to learn.
  const texts = () => {
    options.onLearn?.(corpusSize);
    return corpusTexts(store, { stride });
  };
  return embedder.fit(texts, { corpusSize, force: options.force, signal: options.signal });
}
