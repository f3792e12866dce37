import picomatch from 'picomatch';
import type { GitloreError } from '../shared/errors.js';
import { type ParsedQuery, type PathPattern, queryError, type RepoPattern, type TextPattern } from '../shared/queryLanguage.js';
import { pathMatcher } from './pathMatch.js';
import { compileRegex } from './regexPattern.js';

/** Conditions a hit must meet beyond retrieval: checked on each candidate before the limit applies. */
export interface HitRefinement {
  /** The hit's path. */
  path?: (path: string) => boolean;
  /** The hit's text: the chunk's lines, or the matched lines of a regex hit. */
  text?: (text: string) => boolean;
}

/** A compiled regex of the query, its errors pointing at the column where it was written. */
export function queryRegex(query: string, pattern: { value: string; column: number }, caseInsensitive = false) {
  try {
    return compileRegex(caseInsensitive ? `(?i)${pattern.value}` : pattern.value);
  } catch (error) {
    const e = error as GitloreError;
    throw queryError(query, pattern.column, e.message.replace(/\.$/, ''), '', e.hint);
  }
}

/** `s` with the regex metacharacters escaped (a literal inside a JavaScript RegExp). */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A test for one text pattern: a word is a substring, a phrase its words in order with any
 * whitespace between them, a regex RE2 (case-sensitive unless (?i), as regex search is).
 */
function textTest(query: string, pattern: TextPattern, caseSensitive: boolean): (text: string) => boolean {
  if (pattern.kind === 'regex') {
    const re = queryRegex(query, pattern);
    return (text) => re.matcher(text).find();
  }
  const source = pattern.kind === 'phrase' ? pattern.value.trim().split(/\s+/).map(escapeRegExp).join('\\s+') : escapeRegExp(pattern.value);
  // Literals and \s+ only: a JavaScript RegExp of this shape runs in linear time.
  const re = new RegExp(source, caseSensitive ? 'u' : 'iu');
  return (text) => re.test(text);
}

/**
 * The text condition of a query, or null when it has none: every phrase, one alternative of each OR
 * group, no excluded text, and (`requireWords`) every bare word. Case per `case:` (default: ignored).
 */
export function textCondition(query: string, parsed: ParsedQuery, requireWords: boolean): ((text: string) => boolean) | null {
  const caseSensitive = parsed.caseSensitive === true;
  const test = (p: TextPattern) => textTest(query, p, caseSensitive);
  const all = [...(requireWords ? parsed.words : []), ...parsed.phrases].map(test);
  const groups = parsed.anyOf.map((group) => group.map(test));
  const none = parsed.exclude.map(test);
  if (all.length + groups.length + none.length === 0) return null;
  return (text) => all.every((t) => t(text)) && groups.every((g) => g.some((t) => t(text))) && !none.some((t) => t(text));
}

/** A path test for one `file:` value: a glob or folder prefix as `--path` reads it, or an unanchored regex. */
function pathTest(query: string, pattern: PathPattern): (path: string) => boolean {
  if (pattern.kind === 'regex') {
    const re = queryRegex(query, pattern);
    return (path) => re.matcher(path).find();
  }
  return pathMatcher(pattern.value) ?? (() => true);
}

/** `--path` and the `file:` filters as one path test (each must hold: the flag, any include, no exclude), or null. */
export function pathCondition(query: string, flag: string | undefined, files: ParsedQuery['files']): ((path: string) => boolean) | null {
  const fromFlag = pathMatcher(flag);
  const include = files.include.map((p) => pathTest(query, p));
  const exclude = files.exclude.map((p) => pathTest(query, p));
  if (!fromFlag && include.length === 0 && exclude.length === 0) return null;
  return (path) => (!fromFlag || fromFlag(path)) && (include.length === 0 || include.some((t) => t(path))) && !exclude.some((t) => t(path));
}

/**
 * A test for one `repo:` pattern of kind glob or regex, over the name and the owner/name, ignoring
 * case (names are matched by the caller, against what the principal may see).
 */
export function repoPatternTest(query: string, pattern: RepoPattern): (repo: { name: string; fullName: string }) => boolean {
  if (pattern.kind === 'regex') {
    const re = queryRegex(query, pattern, true);
    return (r) => re.matcher(r.name).find() || re.matcher(r.fullName).find();
  }
  const isMatch = picomatch(pattern.value, { nocase: true, dot: true });
  return (r) => isMatch(r.name) || isMatch(r.fullName);
}
