import {
  type HitRefinement,
  languagesFor,
  pathCondition,
  queryRegex,
  SEARCH_LIMIT,
  type SearchMode,
  textCondition,
} from '../search/engine.js';
import { wholeTokens } from '../shared/codeTokens.js';
import { LANGUAGE_IDS, type LanguageId } from '../shared/languages.js';
import { type Located, type ParsedQuery, queryError, rankedText } from '../shared/queryLanguage.js';

/** What a search runs: the query language applied to the flags (`--lang`, `--path`, `--mode`, `--limit`). */
export interface SearchPlan {
  type: 'code' | 'commit' | 'diff';
  mode: SearchMode;
  /** What the retrievers rank by; the pattern in regex mode. */
  text: string;
  limit: number;
  /** Indexed language ids to search; undefined: every language; empty: nothing can match. */
  languages: string[] | undefined;
  refine: HitRefinement;
}

export interface PlanFlags {
  query: string;
  language?: string;
  path?: string;
  mode?: SearchMode;
  limit?: number;
}

/**
 * The search a parsed query asks for, or QUERY_INVALID at the column of the part that cannot be
 * run. Flags and filters combine: both must hold (`--lang go` and `lang:python` match nothing).
 */
export function planSearch(flags: PlanFlags, parsed: ParsedQuery): SearchPlan {
  const q = flags.query;
  // hybrid is the default of every door: only another mode is the caller's choice.
  const chosen = flags.mode && flags.mode !== 'hybrid' ? flags.mode : null;
  const conflict = (at: Located | { column: number }, what: string) =>
    queryError(q, at.column, `${what} cannot run with --mode ${chosen}`, '', 'drop one of them');
  const type = parsed.type?.value ?? 'code';
  const limit =
    flags.limit !== undefined && parsed.count !== null
      ? Math.min(flags.limit, parsed.count)
      : (parsed.count ?? flags.limit ?? SEARCH_LIMIT.default);
  if (type === 'commit') return commitPlan(flags, parsed, chosen, limit);
  if (type === 'diff') return diffPlan(flags, parsed, chosen, limit);
  const languages = languageScope(flags.language, parsed);
  const refine: HitRefinement = {};
  const path = pathCondition(q, flags.path, parsed.files);
  if (path) refine.path = path;

  let mode: SearchMode;
  let text: string;
  if (chosen === 'regex') {
    if (!parsed.pattern) throw queryError(q, [...q].length + 1, 'The regex is empty', '', 'add a pattern besides the filters');
    mode = 'regex';
    text = parsed.pattern.value;
    queryRegex(q, parsed.pattern);
  } else if (parsed.regex) {
    if (chosen) throw conflict(parsed.regex, 'A /regex/');
    const extra = [...parsed.words, ...parsed.phrases, ...parsed.anyOf.flat(), ...parsed.symbols].sort((a, b) => a.column - b.column)[0];
    if (extra) throw queryError(q, extra.column, 'A /regex/ query takes no other search text', '', 'write it into the pattern');
    mode = 'regex';
    text = parsed.caseSensitive === false ? `(?i)${parsed.regex.value}` : parsed.regex.value;
    queryRegex(q, { value: text, column: parsed.regex.column });
  } else if (parsed.symbols.length > 0) {
    if (chosen && chosen !== 'symbol') throw conflict(parsed.symbols[0]!, 'sym:');
    mode = 'symbol';
    text = parsed.symbols.map((s) => s.value).join(' ');
  } else {
    if (parsed.type?.value === 'symbol' && chosen && chosen !== 'symbol') throw conflict(parsed.type, 'type:symbol');
    mode = parsed.type?.value === 'symbol' ? 'symbol' : (chosen ?? 'hybrid');
    text = rankedText(parsed);
  }
  if (!text.trim()) throw nothingToSearch(q);
  // With sym: the words narrow the definitions; with case:yes each word must appear in that case.
  const words = parsed.symbols.length > 0 || parsed.caseSensitive === true;
  const condition = textCondition(q, parsed, words && mode !== 'regex');
  if (condition) refine.text = condition;
  return { type: 'code', mode, text, limit, languages, refine };
}

function commitPlan(flags: PlanFlags, parsed: ParsedQuery, chosen: SearchMode | null, limit: number): SearchPlan {
  const q = flags.query;
  const codeOnly = [
    parsed.regex,
    parsed.pattern,
    parsed.symbols[0],
    parsed.languages.include[0] ?? parsed.languages.exclude[0],
    parsed.files.include[0] ?? parsed.files.exclude[0],
  ].find((x) => x);
  if (codeOnly) {
    throw queryError(
      q,
      codeOnly.column,
      'type:commit searches commit messages, not code',
      'it takes words, "phrases", OR, -terms, repo:, author:, order:, case: and count:',
      'drop this part',
    );
  }
  if (chosen) throw queryError(q, parsed.type!.column, `type:commit cannot run with --mode ${chosen}`, '', 'drop --mode');
  if (flags.language || flags.path) {
    throw queryError(q, parsed.type!.column, 'type:commit cannot run with --lang or --path', '', 'drop the flag');
  }
  const text = rankedText(parsed);
  const condition = textCondition(q, parsed, parsed.caseSensitive === true);
  if (!text.trim() && !parsed.author && !condition) throw nothingToSearch(q);
  return { type: 'commit', mode: 'lexical', text, limit, languages: undefined, refine: condition ? { text: condition } : {} };
}

function diffPlan(flags: PlanFlags, parsed: ParsedQuery, chosen: SearchMode | null, limit: number): SearchPlan {
  const q = flags.query;
  const unsupported = [parsed.regex, parsed.pattern, parsed.symbols[0], parsed.languages.include[0] ?? parsed.languages.exclude[0]].find(
    (x) => x,
  );
  if (unsupported) {
    throw queryError(
      q,
      unsupported.column,
      'type:diff searches the words of added and removed lines',
      'it takes words, +word, added:, removed:, "phrases", OR, -terms, repo:, file:, author:, order:, case: and count:',
      'drop this part',
    );
  }
  if (chosen) throw queryError(q, parsed.type!.column, `type:diff cannot run with --mode ${chosen}`, '', 'drop --mode');
  if (flags.language) throw queryError(q, parsed.type!.column, 'type:diff cannot run with --lang', '', 'use file:*.EXT instead');
  const text = [rankedText(parsed), ...parsed.added.map((t) => t.value), ...parsed.removed.map((t) => t.value)].join(' ').trim();
  if (!wholeTokens(text).length) {
    throw queryError(
      q,
      [...q].length + 1,
      'Nothing to search for',
      '',
      'add a word that added or removed lines hold (type:diff +retryPolicy)',
    );
  }
  const refine: HitRefinement = {};
  const path = pathCondition(q, flags.path, parsed.files);
  if (path) refine.path = path;
  // Phrases, -"phrases" and case:yes are checked on the lines kept for display; words are matched by the index.
  const lineChecks: ParsedQuery = { ...parsed, anyOf: [], exclude: parsed.exclude.filter((t) => t.kind !== 'word') };
  const condition = textCondition(q, lineChecks, parsed.caseSensitive === true);
  if (condition) refine.text = condition;
  return { type: 'diff', mode: 'lexical', text, limit, languages: undefined, refine };
}

function nothingToSearch(query: string) {
  return queryError(query, [...query].length + 1, 'Nothing to search for', '', 'add words, a "phrase" or a /regex/ besides the filters');
}

/** `--lang` and the `lang:` filters as indexed language ids: the flag, one of the includes, none of the excludes. */
function languageScope(flag: string | undefined, parsed: ParsedQuery): string[] | undefined {
  const ids = (values: { value: string }[]) => new Set(values.flatMap((v) => languagesFor(v.value)));
  let scope: Set<LanguageId> | null = flag ? new Set(languagesFor(flag)) : null;
  if (parsed.languages.include.length > 0) {
    const included = ids(parsed.languages.include);
    scope = scope ? new Set([...scope].filter((l) => included.has(l))) : included;
  }
  if (parsed.languages.exclude.length > 0) {
    const excluded = ids(parsed.languages.exclude);
    scope = new Set([...(scope ?? LANGUAGE_IDS)].filter((l) => !excluded.has(l)));
  }
  return scope ? [...scope] : undefined;
}
