/**
 * SQLite FTS5's `porter` stemmer, ported line for line from fts5_tokenize.c (fts5PorterCb and the generated
 * steps), so a store outside SQLite indexes and searches the very terms SQLite's lexical index holds. It works
 * on the token's characters as FTS5 works on its bytes: only ASCII letters are ever vowels or suffixes, and
 * the length limits (3 to 64) count UTF-8 bytes.
 */

const MAX_TOKEN_BYTES = 64;

function isVowel(c: string, yIsVowel: boolean): boolean {
  return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || (yIsVowel && c === 'y');
}

/** One vowel-consonant sequence from the start of `stem[from..to)`; the index after it, or 0. */
function gobbleVC(stem: string, from: number, to: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = from;
  for (; i < to; i += 1) {
    cons = !isVowel(stem[i]!, cons);
    if (!cons) break;
  }
  for (i += 1; i < to; i += 1) {
    cons = !isVowel(stem[i]!, cons);
    if (cons) return i + 1;
  }
  return 0;
}

/** (m > 0) */
function mGt0(stem: string, n: number): boolean {
  return gobbleVC(stem, 0, n, false) !== 0;
}

/** (m > 1) */
function mGt1(stem: string, n: number): boolean {
  const first = gobbleVC(stem, 0, n, false);
  return first !== 0 && gobbleVC(stem, first, n, true) !== 0;
}

/** (m = 1) */
function mEq1(stem: string, n: number): boolean {
  const first = gobbleVC(stem, 0, n, false);
  return first !== 0 && gobbleVC(stem, first, n, true) === 0;
}

/** (*o): ends consonant-vowel-consonant, the last not w, x or y. */
function oStar(stem: string, n: number): boolean {
  const last = stem[n - 1];
  if (last === 'w' || last === 'x' || last === 'y') return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i += 1) {
    cons = !isVowel(stem[i]!, cons);
    mask = ((mask << 1) + (cons ? 1 : 0)) & 7;
  }
  return mask === 5;
}

/** (*v*) */
function hasVowel(stem: string, n: number): boolean {
  for (let i = 0; i < n; i += 1) if (isVowel(stem[i]!, i > 0)) return true;
  return false;
}

type Condition = (stem: string, n: number) => boolean;
const mGt1SorT: Condition = (stem, n) => (stem[n - 1] === 's' || stem[n - 1] === 't') && mGt1(stem, n);

/** A step's rules: suffix, replacement, condition on the stem before the suffix. The first suffix that matches decides. */
type Rule = [suffix: string, replacement: string, condition: Condition];

const STEP2: Rule[] = [
  ['ational', 'ate', mGt0],
  ['tional', 'tion', mGt0],
  ['enci', 'ence', mGt0],
  ['anci', 'ance', mGt0],
  ['izer', 'ize', mGt0],
  ['logi', 'log', mGt0],
  ['bli', 'ble', mGt0],
  ['alli', 'al', mGt0],
  ['entli', 'ent', mGt0],
  ['eli', 'e', mGt0],
  ['ousli', 'ous', mGt0],
  ['ization', 'ize', mGt0],
  ['ation', 'ate', mGt0],
  ['ator', 'ate', mGt0],
  ['alism', 'al', mGt0],
  ['iveness', 'ive', mGt0],
  ['fulness', 'ful', mGt0],
  ['ousness', 'ous', mGt0],
  ['aliti', 'al', mGt0],
  ['iviti', 'ive', mGt0],
  ['biliti', 'ble', mGt0],
];
const STEP3: Rule[] = [
  ['ical', 'ic', mGt0],
  ['ness', '', mGt0],
  ['icate', 'ic', mGt0],
  ['iciti', 'ic', mGt0],
  ['ful', '', mGt0],
  ['ative', '', mGt0],
  ['alize', 'al', mGt0],
];
const STEP4: Rule[] = [
  ['al', '', mGt1],
  ['ance', '', mGt1],
  ['ence', '', mGt1],
  ['er', '', mGt1],
  ['ic', '', mGt1],
  ['able', '', mGt1],
  ['ible', '', mGt1],
  ['ant', '', mGt1],
  ['ement', '', mGt1],
  ['ment', '', mGt1],
  ['ent', '', mGt1],
  ['ion', '', mGt1SorT],
  ['ou', '', mGt1],
  ['ism', '', mGt1],
  ['ate', '', mGt1],
  ['iti', '', mGt1],
  ['ous', '', mGt1],
  ['ive', '', mGt1],
  ['ize', '', mGt1],
];

/**
 * Applies the first rule whose suffix ends the word (and is shorter than it; FTS5's generated code switches on
 * the second-to-last letter, which the suffixes of one step never share in a way that changes the first match).
 */
function applyRules(word: string, rules: Rule[]): string {
  const penultimate = word[word.length - 2];
  for (const [suffix, replacement, condition] of rules) {
    if (suffix[suffix.length - 2] !== penultimate) continue;
    if (word.length > suffix.length && word.endsWith(suffix)) {
      const stemLength = word.length - suffix.length;
      return condition(word, stemLength) ? word.slice(0, stemLength) + replacement : word;
    }
  }
  return word;
}

function step1a(word: string): string {
  const n = word.length;
  if (word[n - 1] !== 's') return word;
  if (word[n - 2] === 'e') {
    if ((n > 4 && word[n - 4] === 's' && word[n - 3] === 's') || (n > 3 && word[n - 3] === 'i')) return word.slice(0, n - 2);
    return word.slice(0, n - 1);
  }
  return word[n - 2] !== 's' ? word.slice(0, n - 1) : word;
}

/** Step 1b: -eed, -ed, -ing; `removed` when -ed or -ing went (then step 1b2 runs). */
function step1b(word: string): { word: string; removed: boolean } {
  const n = word.length;
  if (word[n - 2] === 'e') {
    if (n > 3 && word.endsWith('eed')) return { word: mGt0(word, n - 3) ? word.slice(0, n - 1) : word, removed: false };
    if (n > 2 && word.endsWith('ed') && hasVowel(word, n - 2)) return { word: word.slice(0, n - 2), removed: true };
  } else if (word[n - 2] === 'n' && n > 3 && word.endsWith('ing') && hasVowel(word, n - 3)) {
    return { word: word.slice(0, n - 3), removed: true };
  }
  return { word, removed: false };
}

function step1b2(word: string): string {
  const n = word.length;
  for (const [suffix, replacement] of [
    ['at', 'ate'],
    ['bl', 'ble'],
    ['iz', 'ize'],
  ] as const) {
    if (n > 2 && word.endsWith(suffix)) return word.slice(0, n - 2) + replacement;
  }
  const c = word[n - 1]!;
  if (!isVowel(c, false) && c !== 'l' && c !== 's' && c !== 'z' && c === word[n - 2]) return word.slice(0, n - 1);
  if (mEq1(word, n) && oStar(word, n)) return `${word}e`;
  return word;
}

/** The stem FTS5's porter tokenizer indexes for one (already case-folded) token. */
export function porterStem(token: string): string {
  const bytes = Buffer.byteLength(token);
  if (bytes > MAX_TOKEN_BYTES || bytes < 3) return token;
  let word = step1a(token);
  const b = step1b(word);
  word = b.removed ? step1b2(b.word) : b.word;
  if (word[word.length - 1] === 'y' && hasVowel(word, word.length - 1)) word = `${word.slice(0, -1)}i`;
  word = applyRules(word, STEP2);
  word = applyRules(word, STEP3);
  word = applyRules(word, STEP4);
  const n = word.length;
  if (word[n - 1] === 'e' && (mGt1(word, n - 1) || (mEq1(word, n - 1) && !oStar(word, n - 1)))) word = word.slice(0, n - 1);
  const m = word.length;
  if (m > 1 && word[m - 1] === 'l' && word[m - 2] === 'l' && mGt1(word, m - 1)) word = word.slice(0, m - 1);
  return word;
}
