import { hash } from 'node:crypto';
import { pathTokens, tokenizeForIndex } from '../shared/codeTokens.js';
import { detectLanguage } from '../shared/languages.js';
import type { IndexFileInput } from '../store/index.js';
import { indexCodec } from '../store/indexCodec.js';
import { type Chunk, chunkFile, chunkText } from './chunker.js';
import { headerSaysVendored } from './vendored.js';

/** What parsing a file yields: the rows the store writes, less the content the caller already holds. */
export type PreparedFile = Omit<IndexFileInput, 'content'>;

/** Chunks and tokenizes one file into the rows the store writes. */
export async function prepareFile(path: string, blob: string, raw: Buffer): Promise<PreparedFile> {
  const content = raw.toString('utf8');
  const language = detectLanguage(path, content.slice(0, 200)) ?? 'text';
  const { chunks, symbols, lines } = await chunkFile(path, language, content);
  const ftsPath = pathTokens(path);
  return {
    path,
    blob,
    language,
    size: raw.length,
    grams: indexCodec.prefilterTerms(content),
    symbols,
    chunks: chunks.map((chunk) => toChunkInput(chunk, lines, ftsPath)),
    vendored: headerSaysVendored(content),
  };
}

function toChunkInput(chunk: Chunk, lines: string[], ftsPath: string): IndexFileInput['chunks'][number] {
  const text = chunkText(lines, chunk);
  return {
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    kind: chunk.kind,
    symbol: chunk.symbol,
    doc: chunk.doc,
    context: chunk.context,
    hash: hash('sha1', text),
    fts: {
      symbol: chunk.symbol ? tokenizeForIndex(chunk.symbol) : '',
      path: ftsPath,
      doc: chunk.doc ? tokenizeForIndex(chunk.doc) : '',
      body: tokenizeForIndex(text),
    },
  };
}
