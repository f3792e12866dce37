import { porterStem } from './fts5Porter.js';

/**
 * The terms SQLite's lexical index makes of a column or a query term (its tokenizer is `porter unicode61
 * tokenchars '_' remove_diacritics 0`): runs of letters, digits and `_`, case-folded, then stemmed. Other stores
 * index these same terms, so a query matches and ranks the same chunks everywhere.
 */
const WORD = /[\p{L}\p{N}\p{Co}_]+/gu;

/** Stems of the tokens the indexer writes over and over (the vocabulary of code is small): memoized. */
const stems = new Map<string, string>();
const MAX_MEMO = 200_000;

/** The stem of one lower-cased token, as the lexical index makes it. */
export function stem(token: string): string {
  let out = stems.get(token);
  if (out === undefined) {
    out = porterStem(token);
    if (stems.size >= MAX_MEMO) stems.clear();
    stems.set(token, out);
  }
  return out;
}

/** The terms of a text, in order. */
export function lexicalTerms(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) out.push(stem(match[0]));
  return out;
}

/** Field order of the per-term counts: the weighted columns of the lexical index. */
export const LEXICAL_FIELDS = ['symbol', 'path', 'doc', 'body'] as const;

/** Each term of a chunk with its count per field, and the chunk's number of terms (BM25's document length). */
export function chunkTermCounts(fields: Record<(typeof LEXICAL_FIELDS)[number], string>): {
  counts: Map<string, [number, number, number, number]>;
  tokens: number;
} {
  const counts = new Map<string, [number, number, number, number]>();
  let tokens = 0;
  LEXICAL_FIELDS.forEach((field, column) => {
    const text = fields[field];
    if (!text) return;
    // The indexer's columns are already single-spaced lower-case code tokens: splitting them is enough.
    const terms = /^[a-z0-9_ ]*$/.test(text)
      ? text
          .split(' ')
          .filter((t) => t.length > 0)
          .map(stem)
      : lexicalTerms(text);
    tokens += terms.length;
    for (const term of terms) {
      let row = counts.get(term);
      if (!row) {
        row = [0, 0, 0, 0];
        counts.set(term, row);
      }
      row[column] += 1;
    }
  });
  return { counts, tokens };
}
