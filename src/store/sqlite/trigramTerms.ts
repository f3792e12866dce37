/**
 * The regex prefilter's index terms: each distinct case-folded trigram of a
 * file, written as one short base-32 word. The FTS5 `trigram` tokenizer wrote
 * one hash entry per character position (57 M for 57 MB of source); distinct
 * trigrams per file are 7x fewer, and they are computed in the parser workers,
 * so the single writer thread does a seventh of the work.
 *
 * Only trigrams of identifier characters (letters, digits, `_`, anything
 * non-ASCII) are indexed: they are 41% of the distinct trigrams, and the ones
 * the literals of code searches are made of. A literal's other trigrams
 * (`(se`, ` = `) are simply not asked for, so candidates stay a superset.
 */

/**
 * Lower-case ASCII identifier characters numbered 1..37 (digits, letters, `_`), 0 for the rest: an
 * ASCII trigram's slot in `seenIn` is then its three numbers in base 38, a table of 220 KB that
 * stays in the CPU cache (indexed by raw char codes it took 8 MB).
 */
const WORD_CHAR = new Uint8Array(128);
for (const [i, ch] of [...'0123456789abcdefghijklmnopqrstuvwxyz_'].entries()) WORD_CHAR[ch.charCodeAt(0)] = i + 1;
/** Per-thread scratch: the last text that saw each ASCII trigram (avoids a Set per file). */
const SLOTS = 38 * 38 * 38;
const seenIn = new Uint32Array(SLOTS);
let textStamp = 0;
/** Is it an identifier character once case-folded (0-9, a-z, _, any non-ASCII unit)? */
function isWordUnit(c: number): boolean {
  return c > 127 || WORD_CHAR[c] !== 0;
}
/** The trigrams the prefilter indexes (and literals ask for): three identifier characters. */
function isIndexed(a: number, b: number, c: number): boolean {
  return isWordUnit(a) && isWordUnit(b) && isWordUnit(c);
}
/** Per-thread output buffer, grown as needed; each result is copied out of it. */
let scratch = Buffer.allocUnsafeSlow(1 << 16);
const DIGITS = Uint8Array.from('0123456789abcdefghijklmnopqrstuv', (ch) => ch.charCodeAt(0));

/**
 * Words are base 32 with a fixed width, so they are cheap to write and cannot
 * collide: 5 digits for the 21 bits of an ASCII trigram, 12 (three 4-digit
 * groups of 16 bits) for any other.
 */
function writeWord(out: Buffer, n: number, a: number, b: number, c: number): number {
  if ((a | b | c) < 128) {
    const key = (a << 14) | (b << 7) | c;
    out[n] = DIGITS[key >> 20]!;
    out[n + 1] = DIGITS[(key >> 15) & 31]!;
    out[n + 2] = DIGITS[(key >> 10) & 31]!;
    out[n + 3] = DIGITS[(key >> 5) & 31]!;
    out[n + 4] = DIGITS[key & 31]!;
    return n + 5;
  }
  for (const unit of [a, b, c]) {
    out[n] = DIGITS[unit >> 15]!;
    out[n + 1] = DIGITS[(unit >> 10) & 31]!;
    out[n + 2] = DIGITS[(unit >> 5) & 31]!;
    out[n + 3] = DIGITS[unit & 31]!;
    n += 4;
  }
  return n;
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
  let out = scratch;
  let n = 0;
  let other: Set<number> | null = null;
  // One pass with rolling state: `run` identifier units end here, the last non-ASCII one at
  // `lastWide`, and `key` is the last three ASCII units' slot in seenIn.
  let run = 0;
  let key = 0;
  let lastWide = -3;
  let a = 0;
  let b = 0;
  for (let i = 0; i < lower.length; i += 1) {
    const c = lower.charCodeAt(i);
    if (c < 128) {
      const w = WORD_CHAR[c]!;
      if (w === 0) {
        run = 0;
        continue;
      }
      key = (key * 38 + w) % SLOTS;
    } else {
      lastWide = i;
    }
    run += 1;
    if (run >= 3) {
      let fresh: boolean;
      if (i - lastWide >= 3) {
        fresh = seenIn[key] !== textStamp;
        seenIn[key] = textStamp;
      } else {
        const wide = a * 2 ** 32 + b * 2 ** 16 + c;
        other ??= new Set();
        fresh = !other.has(wide);
        if (fresh) other.add(wide);
      }
      if (fresh) {
        if (n + 16 > out.length) {
          const grown = Buffer.allocUnsafeSlow(out.length * 2);
          out.copy(grown, 0, 0, n);
          out = grown;
          scratch = grown;
        }
        n = writeWord(out, n, a, b, c);
        out[n++] = 32;
      }
    }
    a = b;
    b = c;
  }
  // A copy with a buffer of its own and of exactly this size: a worker transfers it to the writer
  // (a view into a larger or pooled buffer would send all of that buffer along).
  const length = Math.max(0, n - 1);
  return Buffer.from(out.buffer.slice(out.byteOffset, out.byteOffset + length));
}

/**
 * Trigram words a text containing `literal` (case-insensitively) must have; at
 * most about a dozen, spread over the literal's indexed trigrams. Empty when it
 * has none (shorter than 3, or no run of 3 identifier characters).
 */
export function literalTrigramTerms(literal: string): string[] {
  const lower = literal.toLowerCase();
  const starts: number[] = [];
  for (let i = 0; i + 3 <= lower.length; i += 1) {
    if (isIndexed(lower.charCodeAt(i), lower.charCodeAt(i + 1), lower.charCodeAt(i + 2))) starts.push(i);
  }
  const step = Math.max(1, Math.floor(starts.length / 12));
  const words = new Set<string>();
  const scratch = Buffer.alloc(12);
  for (let k = 0; k < starts.length; k += step) {
    const i = starts[k]!;
    const end = writeWord(scratch, 0, lower.charCodeAt(i), lower.charCodeAt(i + 1), lower.charCodeAt(i + 2));
    words.add(scratch.toString('latin1', 0, end));
  }
  return [...words];
}
