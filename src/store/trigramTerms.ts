/**
 * The regex prefilter's index terms: each distinct case-folded trigram of a
 * file, written as one short base-36 word. The FTS5 `trigram` tokenizer wrote
 * one hash entry per character position (57 M for 57 MB of source); distinct
 * trigrams per file are 7x fewer, and they are computed in the parser workers,
 * so the single writer thread does a seventh of the work.
 */

const ASCII_SPACE = 1 << 21;
/** Per-thread scratch: the last text that saw each ASCII trigram (avoids a Set per file). */
const seenIn = new Uint32Array(ASCII_SPACE);
let textStamp = 0;
const DIGITS = Uint8Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (ch) => ch.charCodeAt(0));

function word(a: number, b: number, c: number): string {
  if (a < 128 && b < 128 && c < 128) return ((a << 14) | (b << 7) | c).toString(36);
  return (ASCII_SPACE + a * 2 ** 32 + b * 2 ** 16 + c).toString(36);
}

/**
 * Distinct trigram words of a text, space-separated, as ASCII bytes (the
 * content of the prefilter column; SQLite reads a blob there as text). Written
 * straight into a byte buffer: building 8 M small strings cost more than the
 * FTS writes they save.
 */
export function trigramTerms(text: string): Buffer {
  const lower = text.toLowerCase();
  textStamp = textStamp === 0xffffffff ? 1 : textStamp + 1;
  if (textStamp === 1) seenIn.fill(0);
  let out = Buffer.allocUnsafe(Math.max(64, Math.min(lower.length * 2, 1 << 20)));
  let n = 0;
  let other: Set<number> | null = null;
  for (let i = 0; i + 2 < lower.length; i += 1) {
    const a = lower.charCodeAt(i);
    const b = lower.charCodeAt(i + 1);
    const c = lower.charCodeAt(i + 2);
    if (n + 16 > out.length) {
      const grown = Buffer.allocUnsafe(out.length * 2);
      out.copy(grown, 0, 0, n);
      out = grown;
    }
    if (a < 128 && b < 128 && c < 128) {
      let key = (a << 14) | (b << 7) | c;
      if (seenIn[key] === textStamp) continue;
      seenIn[key] = textStamp;
      // base 36, at most 5 digits for 21 bits; digits land right to left
      const len = key < 36 ? 1 : key < 1296 ? 2 : key < 46656 ? 3 : key < 1679616 ? 4 : 5;
      for (let d = len - 1; d >= 0; d -= 1) {
        out[n + d] = DIGITS[key % 36]!;
        key = Math.floor(key / 36);
      }
      n += len;
    } else {
      const key = a * 2 ** 32 + b * 2 ** 16 + c;
      other ??= new Set();
      if (other.has(key)) continue;
      other.add(key);
      n += out.write(word(a, b, c), n, 'latin1');
    }
    out[n++] = 32;
  }
  return out.subarray(0, Math.max(0, n - 1));
}

/**
 * Trigram words a text containing `literal` (case-insensitively) must have; at
 * most about a dozen, spread over the literal. Empty when it is shorter than 3.
 */
export function literalTrigramTerms(literal: string): string[] {
  const lower = literal.toLowerCase();
  const step = Math.max(1, Math.floor((lower.length - 2) / 12));
  const words = new Set<string>();
  for (let i = 0; i + 3 <= lower.length; i += step) words.add(word(lower.charCodeAt(i), lower.charCodeAt(i + 1), lower.charCodeAt(i + 2)));
  return [...words];
}
