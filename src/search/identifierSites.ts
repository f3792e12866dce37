/**
 * Where an identifier occurs in a file as a whole word, outside comments and string literals: the
 * scan behind search-based references (core/findReferences.ts). The comment and string rule of each
 * language is a small lexer, not a parser (docs/search.md "References" lists what it misses).
 */

/** An occurrence: 1-based line and 1-based column (in UTF-16 code units, as JavaScript counts). */
export interface IdentifierSite {
  line: number;
  column: number;
  /** Right after a declaration keyword (`def`, `class`, `func`, `function`, `fn`, `interface`, `struct`, `enum`, `trait`, `type`): it declares the name. */
  declares: boolean;
}

/**
 * The end of a line's text before a name that it declares. `type` only opens the line (`type X =`, Go's `type X struct`):
 * `import {type X}` uses X.
 */
const DECLARATION_KEYWORD =
  /(?:(?:^|[^\w$.])(?:def|class|func|function\*?|fn|interface|struct|enum|trait)|^\s*(?:export\s+)?(?:declare\s+)?type)\s+$/;

/** How one language writes comments and strings, as far as the lexer needs to know. */
interface LexRules {
  lineComments: readonly string[];
  blockComment: readonly [string, string] | null;
  /** Quote characters of one-line strings (backslash escapes). */
  quotes: string;
  /** `"""` (and `'''` when `'` is a quote) opens a string that may span lines. */
  tripleQuotes: boolean;
  /** `'x'` is a character literal (C family); a lone `'` (Rust lifetimes, Scala symbols) is code. */
  charLiterals: boolean;
  /** Backticks: a JS template literal (`${…}` inside is code) or a Go raw string. */
  backtick: 'template' | 'raw' | null;
  /** `#` starts a comment only at the start of a line or after a space (bash: `$#`, `${#a}`). */
  hashAfterSpace: boolean;
  /** `$` is an identifier character (JS, Java…), not a sigil (PHP, Ruby, bash). */
  dollarInWords: boolean;
  /** Characters that make another name of the identifier they precede: `#x` (a JS private field), `@x` (a Ruby instance variable). */
  namePrefixes: string;
}

const C_LIKE: LexRules = {
  lineComments: ['//'],
  blockComment: ['/*', '*/'],
  quotes: '"',
  tripleQuotes: false,
  charLiterals: true,
  backtick: null,
  hashAfterSpace: false,
  dollarInWords: true,
  namePrefixes: '',
};
const JS: LexRules = { ...C_LIKE, quotes: '"\'', charLiterals: false, backtick: 'template', namePrefixes: '#' };
const NONE: LexRules = {
  lineComments: [],
  blockComment: null,
  quotes: '',
  tripleQuotes: false,
  charLiterals: false,
  backtick: null,
  hashAfterSpace: false,
  dollarInWords: true,
  namePrefixes: '',
};

const RULES: Record<string, LexRules> = {
  typescript: JS,
  tsx: JS,
  javascript: JS,
  java: { ...C_LIKE, tripleQuotes: true },
  kotlin: { ...C_LIKE, tripleQuotes: true },
  scala: { ...C_LIKE, tripleQuotes: true },
  swift: { ...C_LIKE, tripleQuotes: true },
  c: C_LIKE,
  cpp: C_LIKE,
  csharp: C_LIKE,
  rust: C_LIKE,
  go: { ...C_LIKE, backtick: 'raw' },
  php: { ...C_LIKE, lineComments: ['//', '#'], quotes: '"\'', charLiterals: false, dollarInWords: false },
  python: { ...NONE, lineComments: ['#'], quotes: '"\'', tripleQuotes: true },
  ruby: { ...NONE, lineComments: ['#'], quotes: '"\'', dollarInWords: false, namePrefixes: '@' },
  bash: { ...NONE, lineComments: ['#'], quotes: '"\'', hashAfterSpace: true, dollarInWords: false },
  sql: { ...NONE, lineComments: ['--'], blockComment: ['/*', '*/'], quotes: "'" },
  css: { ...NONE, blockComment: ['/*', '*/'], quotes: '"\'' },
};

/** Languages whose comments and strings the scan recognises (elsewhere every occurrence counts). */
export const LEXED_LANGUAGES: readonly string[] = Object.keys(RULES);

const rulesOf = (language: string): LexRules => RULES[language] ?? NONE;

/**
 * The [start, end) offsets of the comments and string literals of `text`, in order, as far as
 * offset `until` (the lexer stops at the first construct that ends past it).
 */
export function maskedRanges(text: string, language: string, until = text.length): number[] {
  const rules = rulesOf(language);
  const out: number[] = [];
  const n = text.length;
  /** Open `${` of template literals: the `{` depth inside each. */
  const braces: number[] = [];
  let i = 0;
  /** Scans a template literal's text from `from` to its closing backtick or its next `${`; returns where code resumes. */
  const templateText = (from: number): number => {
    let j = from;
    while (j < n) {
      const ch = text.charCodeAt(j);
      if (ch === 92) j += 2;
      else if (ch === 96) {
        out.push(from, j + 1);
        return j + 1;
      } else if (ch === 36 && text.charCodeAt(j + 1) === 123) {
        out.push(from, j);
        braces.push(0);
        return j + 2;
      } else j += 1;
    }
    out.push(from, n);
    return n;
  };
  while (i < n && i <= until) {
    const c = text[i] as string;
    if (braces.length > 0 && (c === '{' || c === '}')) {
      const depth = braces.length - 1;
      if (c === '{') braces[depth] = (braces[depth] as number) + 1;
      else if (braces[depth] === 0) {
        braces.pop();
        i = templateText(i + 1);
        continue;
      } else braces[depth] = (braces[depth] as number) - 1;
      i += 1;
      continue;
    }
    const comment = rules.lineComments.find((lc) => text.startsWith(lc, i));
    if (comment && !(comment === '#' && rules.hashAfterSpace && i > 0 && !/\s/.test(text[i - 1] as string))) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out.push(i, stop);
      i = stop;
      continue;
    }
    if (rules.blockComment && text.startsWith(rules.blockComment[0], i)) {
      const close = text.indexOf(rules.blockComment[1], i + rules.blockComment[0].length);
      const stop = close === -1 ? n : close + rules.blockComment[1].length;
      out.push(i, stop);
      i = stop;
      continue;
    }
    if (rules.tripleQuotes && (c === '"' || (c === "'" && rules.quotes.includes("'"))) && text.startsWith(c.repeat(3), i)) {
      const stop = stringEnd(text, i + 3, c.repeat(3), true);
      out.push(i, stop);
      i = stop;
      continue;
    }
    if (c === "'" && rules.charLiterals) {
      const stop = charLiteralEnd(text, i);
      if (stop > 0) out.push(i, stop);
      i = stop > 0 ? stop : i + 1;
      continue;
    }
    if (c === '`' && rules.backtick === 'template') {
      i = templateText(i + 1);
      // The opening backtick belongs to the literal too.
      out[out.length - 2] = (out[out.length - 2] as number) - 1;
      continue;
    }
    if (c === '`' && rules.backtick === 'raw') {
      const close = text.indexOf('`', i + 1);
      const stop = close === -1 ? n : close + 1;
      out.push(i, stop);
      i = stop;
      continue;
    }
    if (rules.quotes.includes(c)) {
      const stop = stringEnd(text, i + 1, c, false);
      out.push(i, stop);
      i = stop;
      continue;
    }
    i += 1;
  }
  return out;
}

/** The offset after a string's closing quote (backslash escapes; a one-line string also ends at its line's end). */
function stringEnd(text: string, from: number, quote: string, multiline: boolean): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    const ch = text[j];
    if (ch === '\\') j += 2;
    else if (text.startsWith(quote, j)) return j + quote.length;
    else if (ch === '\n' && !multiline) return j;
    else j += 1;
  }
  return n;
}

/** The end of a character literal opening at `i` (`'a'`, `'\n'`, `'\u00e9'`), or 0 when the quote opens none. */
function charLiteralEnd(text: string, i: number): number {
  if (text[i + 1] === '\\') {
    const close = text.indexOf("'", i + 3);
    return close !== -1 && close - i <= 12 && !text.slice(i, close).includes('\n') ? close + 1 : 0;
  }
  // One character, or a surrogate pair.
  for (const width of [1, 2]) if (text[i + 1 + width] === "'" && !text.slice(i + 1, i + 1 + width).includes('\n')) return i + 2 + width;
  return 0;
}

const isAsciiWord = (c: number, dollar: boolean) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (dollar && c === 36);
const UNICODE_WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}]/u;

function isWordChar(text: string, at: number, dollar: boolean): boolean {
  if (at < 0 || at >= text.length) return false;
  const c = text.charCodeAt(at);
  return c < 128 ? isAsciiWord(c, dollar) : UNICODE_WORD.test(text[at] as string);
}

/**
 * Every occurrence of `identifier` in `text` as a whole word (case-sensitive; the characters either side are not
 * letters, digits, `_`, or `$` where `$` belongs to names; nor a prefix that makes another name, as `#x` in JS),
 * outside the comments and strings of `language`.
 */
export function identifierSites(text: string, language: string, identifier: string): IdentifierSite[] {
  if (identifier.length === 0) return [];
  const { dollarInWords: dollar, namePrefixes } = rulesOf(language);
  const hits: number[] = [];
  for (let at = text.indexOf(identifier); at !== -1; at = text.indexOf(identifier, at + identifier.length)) {
    if (isWordChar(text, at - 1, dollar) || isWordChar(text, at + identifier.length, dollar)) continue;
    if (at > 0 && namePrefixes.includes(text[at - 1] as string)) continue;
    hits.push(at);
  }
  if (hits.length === 0) return [];
  const masked = maskedRanges(text, language, hits[hits.length - 1]);
  const sites: IdentifierSite[] = [];
  let range = 0;
  let line = 1;
  let lineStart = 0;
  let counted = 0;
  for (const at of hits) {
    while (range < masked.length && (masked[range + 1] as number) <= at) range += 2;
    if (range < masked.length && (masked[range] as number) <= at) continue;
    for (let k = text.indexOf('\n', counted); k !== -1 && k < at; k = text.indexOf('\n', k + 1)) {
      line += 1;
      lineStart = k + 1;
    }
    counted = lineStart;
    sites.push({ line, column: at - lineStart + 1, declares: DECLARATION_KEYWORD.test(text.slice(lineStart, at)) });
  }
  return sites;
}
