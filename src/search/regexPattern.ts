import { RE2JS } from 're2js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';

const SYNTAX_HINT =
  'Regex search uses RE2 syntax (linear time): no backreferences or lookaround; case-sensitive unless the pattern starts with (?i); escape ( [ { with a backslash.';

/** Constructs RE2 rejects that users bring from backtracking engines, named in the error. */
const UNSUPPORTED: [RegExp, string][] = [
  [/`\(\?=/, 'lookahead (?=…)'],
  [/`\(\?!/, 'negative lookahead (?!…)'],
  [/`\(\?<=/, 'lookbehind (?<=…)'],
  [/`\(\?<!/, 'negative lookbehind (?<!…)'],
  [/invalid escape sequence: `\\[1-9]/, 'backreferences (\\1)'],
  [/invalid named capture: `\(\?<[=!]/, 'lookbehind (?<=…)'],
  [/invalid nested repetition operator: `[*+?]+`/, 'possessive quantifiers (a++, a*+)'],
];

/**
 * The regex search pattern compiled for RE2 (re2js): matching runs in time linear in the input,
 * whatever the pattern. JavaScript spellings RE2 lacks (`\uXXXX`, `\cX`, `(?<name>…)`) are
 * translated first; `^`/`$` match at line boundaries, as in the JavaScript engine it replaces.
 * Throws QUERY_INVALID naming what is unsupported.
 */
export function compileRegex(pattern: string): RE2JS {
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.MULTILINE);
  } catch (error) {
    // The flags compile() prefixes show up in RE2's quote of the expression: not the user's text.
    const detail = String((error as Error).message ?? error)
      .replace(/^error parsing regexp: /, '')
      .replace('`(?m)', '`');
    const unsupported = UNSUPPORTED.find(([test]) => test.test(detail))?.[1];
    const message = unsupported
      ? `Regex search does not support ${unsupported} (RE2 syntax).`
      : `Invalid regular expression: ${detail} (RE2 syntax).`;
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, message, { hint: SYNTAX_HINT });
  }
}
