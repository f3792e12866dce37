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
  let a = lower.charCodeAt(0);
  let b = lower.charCodeAt(1);
  for (let i = 2; i < lower.length; i += 1) {
    const c = lower.charCodeAt(i);
    let key: number;
    if ((a | b | c) < 128) {
      key = (a << 14) | (b << 7) | c;
      if (seenIn[key] === textStamp) {
        a = b;
        b = c;
        continue;
      }
      seenIn[key] = textStamp;
    } else {
      key = ASCII_SPACE + a * 2 ** 32 + b * 2 ** 16 + c;
      other ??= new Set();
      if (other.has(key)) {
        a = b;
        b = c;
        continue;
      }
      other.add(key);
    }
    a = b;
    b = c;
    if (n + 12 > out.length) {
      const grown = Buffer.allocUnsafe(out.length * 2);
      out.copy(grown, 0, 0, n);
      out = grown;
    }
    // base 36, digits written right to left
    let len = 1;
    for (let rest = Math.floor(key / 36); rest > 0; rest = Math.floor(rest / 36)) len += 1;
    for (let d = len - 1; d >= 0; d -= 1) {
      out[n + d] = DIGITS[key % 36]!;
      key = Math.floor(key / 36);
    }
    n += len;
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
