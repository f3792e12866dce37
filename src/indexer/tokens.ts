/**
 * Code-aware tokens for the lexical index: every identifier is kept whole and
 * also split into its camelCase / snake_case / digit parts, lower-cased.
 * Text is tokenized here, in TypeScript, and the result is stored in FTS5
 * columns whose own tokenizer only splits on spaces (so `_` survives).
 */

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+/g;
const PART = /[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+/g;

/** The sub-words of one identifier: `parseHTTPHeader_v2` → parse, http, header, v, 2. */
export function splitIdentifier(identifier: string): string[] {
  return (identifier.match(PART) ?? []).map((p) => p.toLowerCase());
}

/** All tokens of a text, in order; a compound identifier yields itself then its parts. */
export function codeTokens(text: string, maxTokens = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    // Fast path: plain lower-case words and numbers have no parts.
    if (SIMPLE.test(word)) {
      out.push(word);
    } else {
      const whole = (word.includes('$') ? word.replaceAll('$', '') : word).toLowerCase();
      if (whole.length === 0) continue;
      out.push(whole);
      const parts = splitIdentifier(word);
      if (parts.length > 1) for (const part of parts) out.push(part);
    }
    if (out.length >= maxTokens) break;
  }
  return out;
}

const SIMPLE = /^(?:[a-z]+|[0-9]+)$/;

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
