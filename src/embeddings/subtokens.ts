/**
 * Code-aware sub-tokens for the corpus-learned embedder: identifiers split on
 * camelCase, snake_case, digits and punctuation, lower-cased. `getHTTPResponse2`
 * gives `get http response 2`; the whole identifier is kept too when it splits.
 */
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+/g;
const PARTS = /[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+/g;

export function splitIdentifier(identifier: string): string[] {
  return (identifier.match(PARTS) ?? []).map((p) => p.toLowerCase());
}

/** Sub-tokens of a text, in order; `keepWhole` adds the whole identifier after its parts. */
export function subtokens(text: string, options: { keepWhole?: boolean; maxTokens?: number } = {}): string[] {
  const out: string[] = [];
  const max = options.maxTokens ?? Number.POSITIVE_INFINITY;
  for (const word of text.match(WORD) ?? []) {
    const parts = splitIdentifier(word);
    for (const p of parts) if (p.length > 1 || /[0-9]/.test(p)) out.push(p);
    if (options.keepWhole && parts.length > 1) out.push(word.toLowerCase().replace(/[_$]/g, ''));
    if (out.length >= max) break;
  }
  return out;
}

/** Very common English and keyword tokens that carry no meaning for retrieval. */
export const STOPWORDS = new Set(
  (
    'a an the of to in on for and or is are be by it this that with as at from if else return ' +
    'not no use used uses using can will should into its was were has have had do does than then ' +
    'def func function var let const self this true false none null nil new class'
  ).split(' '),
);

/** The sub-tokens the code-vector model reads and encodes: at most `max`, stop words dropped. */
export function codeTokens(text: string, max: number): string[] {
  return subtokens(text, { maxTokens: max }).filter((t) => !STOPWORDS.has(t));
}
