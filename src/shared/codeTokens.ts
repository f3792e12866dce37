/**
 * Code-aware tokens for the lexical index: every identifier is kept whole and
 * also split into its camelCase / snake_case / digit parts, lower-cased.
 * Text is tokenized here, in TypeScript, and the result is stored in FTS5
 * columns whose own tokenizer only splits on spaces (so `_` survives).
 */

/**
 * The sub-words of one identifier: `parseHTTPHeader_v2` → parse, http, header, v, 2.
 * (Upper-case runs end before an upper-case letter that starts a lower-case word.)
 */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  const n = identifier.length;
  let i = 0;
  while (i < n) {
    const c = identifier.charCodeAt(i);
    let j = i + 1;
    if (isDigit(c)) {
      while (j < n && isDigit(identifier.charCodeAt(j))) j += 1;
    } else if (isLower(c)) {
      while (j < n && isLower(identifier.charCodeAt(j))) j += 1;
    } else if (isUpper(c)) {
      while (j < n && isUpper(identifier.charCodeAt(j))) j += 1;
      if (j < n && isLower(identifier.charCodeAt(j))) {
        if (j - i > 1) {
          parts.push(identifier.slice(i, j - 1).toLowerCase());
          i = j - 1;
        }
        while (j < n && isLower(identifier.charCodeAt(j))) j += 1;
      }
    } else {
      i = j;
      continue;
    }
    parts.push(identifier.slice(i, j).toLowerCase());
    i = j;
  }
  return parts;
}

export interface CodeTokenOptions {
  /**
   * Also the one part of an identifier that is not the whole word: `_accept` and `__init__` yield `accept` and
   * `init`. The diff index's rule (as `git log -G accept` finds `this._accept`); the code index keeps its own, which
   * its stored tokens were written with (changing it would need every index rebuilt).
   */
  loneParts?: boolean;
}

/**
 * All tokens of a text, in order; a compound identifier yields itself then its
 * parts. A hand-rolled scan over char codes (words: `[A-Za-z_$][A-Za-z0-9_$]*`
 * or `[0-9]+`): the indexer runs this over every byte, and a regex with match
 * objects cost three times as much.
 */
export function codeTokens(text: string, maxTokens = Number.POSITIVE_INFINITY, options: CodeTokenOptions = {}): string[] {
  const loneParts = options.loneParts === true;
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j += 1;
      out.push(text.slice(i, j));
      i = j;
    } else if (isWordStart(c)) {
      // simple: only lower-case letters, which have no parts
      let simple = isLower(c);
      let j = i + 1;
      for (; j < n; j += 1) {
        const d = text.charCodeAt(j);
        if (isLower(d)) continue;
        if (isWordStart(d) || isDigit(d)) simple = false;
        else break;
      }
      const word = text.slice(i, j);
      i = j;
      if (simple) {
        out.push(word);
      } else {
        const whole = (word.includes('$') ? word.replaceAll('$', '') : word).toLowerCase();
        if (whole.length === 0) continue;
        out.push(whole);
        const parts = splitIdentifier(word);
        if (parts.length > 1 || (loneParts && parts.length === 1 && parts[0] !== whole)) for (const part of parts) out.push(part);
      }
    } else {
      i += 1;
      continue;
    }
    if (out.length >= maxTokens) break;
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isWordStart(c: number): boolean {
  return isLower(c) || isUpper(c) || c === 95 || c === 36; // _ $
}

/**
 * The whole words of a text as codeTokens indexes them, without their parts: `retryPolicy.get` → retrypolicy, get.
 * What a query word asks a diff to hold.
 */
export function wholeTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+/g)) {
    const word = m[0].replaceAll('$', '').toLowerCase();
    if (word.length > 0) out.push(word);
  }
  return out;
}

/** Tokens joined with spaces, ready for an FTS5 column. */
export function tokenizeForIndex(text: string, maxTokens = 50_000): string {
  return codeTokens(text, maxTokens).join(' ');
}

/** Tokens of a file path: the segments and their parts. */
export function pathTokens(path: string): string {
  return codeTokens(path.replace(/\.[A-Za-z0-9]+$/, (ext) => ` ${ext.slice(1)}`)).join(' ');
}

const STOP = new Set(
  (
    'a an the of to in on for and or is are be by with as at from that this it its into if then else when which what how do does ' +
    'given given returns return get gets set sets use uses used using all any can will should must may not no new i we you my our'
  ).split(' '),
);

/** Distinct query terms for FTS: stop words dropped (unless the query is only stop words). */
export function queryTerms(query: string): string[] {
  const tokens = codeTokens(query, 200);
  const unique = [...new Set(tokens)];
  const kept = unique.filter((t) => !STOP.has(t) && t.length > 1);
  return kept.length > 0 ? kept : unique;
}

/** True when the query looks like one identifier (fooBar, foo_bar, Foo.bar) rather than prose. */
export function isIdentifierLike(query: string): boolean {
  const q = query.trim();
  if (!/^[A-Za-z_$][\w$]*(?:(?:\.|::|#|->)[A-Za-z_$][\w$]*)*\(?\)?$/.test(q)) return false;
  return /[a-z][A-Z]|_|\.|::|#|->|^[A-Z][a-z]+[A-Z]/.test(q) || q.length <= 30;
}

/** A qualified symbol's own name: `Request.header`, `pkg::Type#method` → `header`, `method`. */
export function symbolName(symbol: string): string {
  return symbol.split(/[.:#]/).pop() ?? symbol;
}
