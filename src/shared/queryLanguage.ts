/**
 * The search query language, as people type it into Sourcegraph or GitHub code search:
 * `repo:api lang:go "retry with" backoff OR jitter -test count:20`. A pure parser: no I/O, no
 * regex engine (core compiles the `/regex/` parts with RE2 and resolves `repo:` against what the
 * caller may see). Every error is QUERY_INVALID naming the 1-based column, with a caret hint.
 *
 * What is a filter: a token that starts with `name:` (letters, then a colon) followed at once by a
 * value. A known name is a filter. An unknown name is searched as text (`localhost:8080`,
 * `key:value`), unless it is a filter of Sourcegraph or GitHub that gitlore lacks (`rev:`,
 * `content:` is supported) or one typo away from a known one (`lnag:`): those are refused with
 * the list of known filters. A colon inside a quoted phrase or a /regex/, a value starting with
 * `:` (`std::vector`) or `//` (`https://…`), and a name with nothing after the colon
 * (`path: string`) never make a filter.
 */
import { ERROR_CODES, GitloreError } from './errors.js';
import { languagesFor } from './languages.js';
import { SEARCH_LIMIT } from './searchLimits.js';
import { editDistance } from './suggest.js';

export const SEARCH_TYPES = ['code', 'symbol', 'commit', 'diff'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** How commit and diff results are ordered: best match first (ties newest first), or by date. */
export const SEARCH_ORDERS = ['relevance', 'newest', 'oldest'] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

/** A piece of the query and the 1-based column (in characters) where it starts. */
export interface Located {
  value: string;
  column: number;
}

/** A `repo:` value: a name (exact, ignoring case, as `--repo`), a glob, or a /regex/ (unanchored). */
export interface RepoPattern extends Located {
  kind: 'name' | 'glob' | 'regex';
}

/** A `file:` value: a glob or folder prefix (as `--path`), or a /regex/ over the path. */
export interface PathPattern extends Located {
  kind: 'glob' | 'regex';
}

/** A text to look for in a hit: a word, an exact phrase, or a /regex/. */
export interface TextPattern extends Located {
  kind: 'word' | 'phrase' | 'regex';
  /** Written as a `content:` filter: a condition however the rest of the query reads. */
  filter?: true;
}

export interface ParsedQuery {
  /** Bare words, in order: what the retrievers rank by (not each required, unless `case:yes`). */
  words: TextPattern[];
  /** Quoted phrases and `content:` values: each must occur in a hit, in this exact sequence. */
  phrases: TextPattern[];
  /** `a OR b` groups: a hit holds at least one alternative of each group. */
  anyOf: TextPattern[][];
  /** `-word`, `-"phrase"`, `-/regex/`: no hit holds one. */
  exclude: TextPattern[];
  /** `/regex/` (alternatives joined with OR): the pattern of a regex search. */
  regex: TextPattern | null;
  repos: { include: RepoPattern[]; exclude: RepoPattern[] };
  /** Values as written (each a known language or alias: checked while parsing). */
  languages: { include: Located[]; exclude: Located[] };
  files: { include: PathPattern[]; exclude: PathPattern[] };
  /** `sym:` names: definitions named so. */
  symbols: Located[];
  /** `author:` (with `type:commit` or `type:diff`): a substring of `Name <email>`. */
  author: Located | null;
  /** `added:word` and `+word` (with `type:diff`): words an added line must hold. */
  added: TextPattern[];
  /** `removed:word` (with `type:diff`): words a removed line must hold. */
  removed: TextPattern[];
  /** `order:relevance|newest|oldest` (with `type:commit` or `type:diff`). */
  order: (Located & { value: SearchOrder }) | null;
  /** `case:yes` true, `case:no` false, absent null. */
  caseSensitive: boolean | null;
  type: (Located & { value: SearchType }) | null;
  /** `count:N` (`count:all` is the largest limit). */
  count: number | null;
  /** With `{ pattern: 'regex' }`: the query less its filters, verbatim (the `--mode regex` pattern). */
  pattern: Located | null;
}

interface FilterSpec {
  name: string;
  aliases: readonly string[];
  negatable: boolean;
}

/** Every filter, in the order the error message and the docs list them. */
const FILTERS: readonly FilterSpec[] = [
  { name: 'repo', aliases: [], negatable: true },
  { name: 'lang', aliases: ['language'], negatable: true },
  { name: 'file', aliases: ['path'], negatable: true },
  { name: 'sym', aliases: ['symbol'], negatable: false },
  { name: 'content', aliases: [], negatable: true },
  { name: 'case', aliases: [], negatable: false },
  { name: 'type', aliases: [], negatable: false },
  { name: 'count', aliases: [], negatable: false },
  { name: 'author', aliases: [], negatable: false },
  { name: 'added', aliases: [], negatable: false },
  { name: 'removed', aliases: [], negatable: false },
  { name: 'order', aliases: [], negatable: false },
];

/** The canonical filter names (`repo`, `lang`, …). */
export const FILTER_NAMES: readonly string[] = FILTERS.map((f) => f.name);

/** `repo:, -repo:, lang: (language:), …`: the known filters in one line, for error messages and tool descriptions. */
export const KNOWN_FILTERS = FILTERS.map((f) => {
  const aliases = f.aliases.length > 0 ? ` (${f.aliases.map((a) => `${a}:`).join(', ')})` : '';
  return `${f.name}:${aliases}${f.negatable ? `, -${f.name}:` : ''}`;
}).join(', ');

const BY_NAME = new Map(FILTERS.flatMap((f) => [f.name, ...f.aliases].map((n) => [n, f] as const)));

/**
 * Filters of Sourcegraph and GitHub code search that gitlore does not have: refused rather than
 * searched as text, so `rev:main retry` does not quietly answer for every branch.
 */
const FOREIGN_FILTERS = new Set([
  'after',
  'archived',
  'before',
  'branch',
  'committer',
  'context',
  'ext',
  'extension',
  'filename',
  'fork',
  'is',
  'message',
  'org',
  'patterntype',
  'repohasfile',
  'rev',
  'revision',
  'select',
  'timeout',
  'user',
  'visibility',
]);

const GLOB_CHARS = /[*?[\]{}]/;
const SPACE = /\s/;

export interface ParseOptions {
  /** `regex`: everything but the filters is one pattern, verbatim (`--mode regex`). */
  pattern?: 'regex';
  /**
   * Pasted text (isPastedText): a `/…/` is a word (a path, a URL), not a regex. asPastedText makes every regex a word
   * anyway; not looking for the closing slash keeps parsing a long text linear.
   */
  pasted?: boolean;
}

/** Parses a search query; throws QUERY_INVALID pointing at the column of the first mistake. */
export function parseQuery(query: string, options: ParseOptions = {}): ParsedQuery {
  return new Parser(query, options).parse();
}

/** Text pasted rather than typed: an issue, a stack trace, a log (several lines, or longer than a typed query). */
const PASTED_TEXT_CHARS = 256;
export function isPastedText(query: string): boolean {
  return query.includes('\n') || query.length > PASTED_TEXT_CHARS;
}

/**
 * A pasted text's query with its text operators taken as words: its quotes, `-words`, `OR`s and `/…/` are
 * prose (quoted output, flags, paths), not conditions every hit must meet. Its filters (`repo:`, `lang:`, …) stay.
 */
export function asPastedText(q: ParsedQuery): ParsedQuery {
  const operands = [...q.phrases, ...q.anyOf.flat(), ...q.exclude, ...(q.regex ? [q.regex] : [])];
  return { ...q, words: withWords(q.words, operands), phrases: [], anyOf: [], exclude: [], regex: null };
}

/** The query's words with these patterns read as words too, in the order they were written. */
function withWords(words: TextPattern[], patterns: TextPattern[]): TextPattern[] {
  return [...words, ...patterns.map((t): TextPattern => ({ ...t, kind: 'word' }))].sort((a, b) => a.column - b.column);
}

/** Unquoted words from which a typed query is a sentence rather than keywords (see phrasesAsWords). */
export const PROSE_WORDS = 6;

/**
 * A typed sentence's quotes are prose too: in `parse the "X-Forwarded-For" ip address list` they mark a name, not a
 * condition every hit must meet (the code that parses it may never write the header's name). Keyword queries
 * (fewer than PROSE_WORDS unquoted words: `retry "ECONNRESET"`) keep exact phrases. Dev set, stripped hybrid
 * (bench/README.md): MRR@10 0.641 → 0.650 with no per-file spread; 5 queries found, 2 lost rank.
 */
export function phrasesAsWords(q: ParsedQuery): ParsedQuery {
  const quoted = q.phrases.filter((t) => !t.filter);
  if (quoted.length === 0 || q.words.length < PROSE_WORDS) return q;
  return { ...q, words: withWords(q.words, quoted), phrases: q.phrases.filter((t) => t.filter) };
}

/**
 * Pasted text as plain words: quotes, slashes and colons become spaces, leading dashes and `OR` lose their
 * meaning, so an issue with `""`, a path like `/a/b:3` or `key: value` reads as the words it holds.
 */
export function plainWords(query: string): string {
  return query
    .replace(/["/:]/g, ' ')
    .replace(/(^|\s)-+/g, '$1')
    .replace(/\bOR\b/g, 'or');
}

/**
 * QUERY_INVALID for the query at a 1-based column: `what` at column N (then `more`), and a hint of
 * two lines, the query and a caret under the column followed by `advice`.
 */
export function queryError(query: string, column: number, what: string, more = '', advice = ''): GitloreError {
  return new GitloreError(ERROR_CODES.QUERY_INVALID, `${what} at column ${column}${more ? `; ${more}` : '.'}`, {
    hint: caretHint(query, column, advice),
  });
}

/** The query (a window of it around the column when long) and a caret under the column. */
export function caretHint(query: string, column: number, advice = ''): string {
  const chars = [...query].map((c) => (SPACE.test(c) ? ' ' : c));
  const at = Math.max(0, Math.min(column - 1, chars.length));
  const from = chars.length > 72 ? Math.max(0, Math.min(at - 30, chars.length - 72)) : 0;
  const lead = from > 0 ? '…' : '';
  const shown = chars.slice(from, from + 72).join('');
  const tail = from + 72 < chars.length ? '…' : '';
  return `  ${lead}${shown}${tail}\n  ${' '.repeat(lead.length + at - from)}^${advice ? ` ${advice}` : ''}`;
}

interface Token {
  /** UTF-16 offsets into the query. */
  start: number;
  end: number;
}

type Item =
  | (Token & { kind: 'text'; text: TextPattern; negated: boolean })
  | (Token & {
      kind: 'filter';
      name: string;
      spec: FilterSpec;
      value: string;
      /** Offset of the value (its opening quote or slash, when it has one). */
      valueStart: number;
      negated: boolean;
      quoted: boolean;
      regex: boolean;
    })
  | (Token & { kind: 'or' });

class Parser {
  private readonly items: Item[] = [];
  private readonly out: ParsedQuery = {
    words: [],
    phrases: [],
    anyOf: [],
    exclude: [],
    regex: null,
    repos: { include: [], exclude: [] },
    languages: { include: [], exclude: [] },
    files: { include: [], exclude: [] },
    symbols: [],
    author: null,
    added: [],
    removed: [],
    order: null,
    caseSensitive: null,
    type: null,
    count: null,
    pattern: null,
  };

  constructor(
    private readonly query: string,
    private readonly options: ParseOptions,
  ) {}

  parse(): ParsedQuery {
    if (this.options.pattern === 'regex') this.scanPattern();
    else this.scan();
    this.combine();
    const type = this.out.type?.value;
    if (type === 'diff') {
      // `+word`: sugar for added:word (a `-word` stays an exclusion, as everywhere).
      const plus = this.out.words.filter((w) => /^\+[\p{L}_$]/u.test(w.value));
      this.out.words = this.out.words.filter((w) => !plus.includes(w));
      this.out.added.push(...plus.map((w) => ({ ...w, value: w.value.slice(1), column: w.column + 1 })));
      this.out.added.sort((a, b) => a.column - b.column);
    }
    const history = type === 'commit' || type === 'diff';
    if (this.out.author && !history) {
      throw this.error(this.out.author.column, 'author: needs type:commit or type:diff', '', 'add type:commit to search commit messages');
    }
    if (this.out.order && !history) {
      throw this.error(this.out.order.column, 'order: needs type:commit or type:diff', '', 'add type:commit or type:diff');
    }
    const change = this.out.added[0] ?? this.out.removed[0];
    if (change && type !== 'diff') {
      throw this.error(change.column, 'added: and removed: need type:diff', '', 'add type:diff to search added and removed lines');
    }
    return this.out;
  }

  /** Where the last column() call stopped: columns are asked for mostly left to right, so each continues from there. */
  private columnAt = { index: 0, column: 1 };

  private column(index: number): number {
    let { index: i, column: n } = this.columnAt.index <= index ? this.columnAt : { index: 0, column: 1 };
    for (; i < index; i++) {
      const code = this.query.charCodeAt(i);
      if (code < 0xdc00 || code > 0xdfff) n++;
    }
    this.columnAt = { index, column: n };
    return n;
  }

  private error(column: number, what: string, more = '', advice = ''): GitloreError {
    return queryError(this.query, column, what, more, advice);
  }

  /** The tokens of the query, each a text, a filter or an operator. */
  private scan(): void {
    const q = this.query;
    let i = 0;
    while (i < q.length) {
      if (SPACE.test(q[i]!)) {
        i++;
        continue;
      }
      const start = i;
      const end = this.tokenEnd(i);
      const word = q.slice(i, end);
      // Only OR is an operator: a NOT or AND in a sentence pasted as a query stays a word.
      if (word === 'OR') {
        this.items.push({ kind: 'or', start, end });
        i = end;
        continue;
      }
      const negated = q[i] === '-' && i + 1 < q.length && /[\p{L}_$"/]/u.test(q[i + 1]!);
      const at = negated ? i + 1 : i;
      const filter = this.filterAt(at, start, negated);
      if (filter) {
        this.items.push(filter);
        i = filter.end;
        continue;
      }
      if (q[at] === '"') {
        const { text, end: close } = this.quoted(at);
        if (text.trim() === '') throw this.error(this.column(at), 'Empty phrase', '', 'put words between the quotes');
        this.items.push({ kind: 'text', negated, start, end: close, text: { kind: 'phrase', value: text, column: this.column(at) } });
        i = close;
        continue;
      }
      const regexEnd = q[at] === '/' && !this.options.pasted ? this.regexEnd(at) : -1;
      if (regexEnd > 0) {
        const value = q.slice(at + 1, regexEnd - 1);
        this.items.push({ kind: 'text', negated, start, end: regexEnd, text: { kind: 'regex', value, column: this.column(at) } });
        i = regexEnd;
        continue;
      }
      this.items.push({ kind: 'text', negated, start, end, text: { kind: 'word', value: q.slice(at, end), column: this.column(at) } });
      i = end;
    }
  }

  /** `--mode regex`: filters are taken out wherever they stand; the rest, verbatim, is the pattern. */
  private scanPattern(): void {
    const q = this.query;
    const pieces: { text: string; start: number }[] = [];
    let pieceStart = 0;
    let i = 0;
    const cut = (from: number, to: number) => {
      if (from < to) pieces.push({ text: q.slice(from, to), start: from });
    };
    while (i < q.length) {
      if (SPACE.test(q[i]!)) {
        i++;
        continue;
      }
      const negated = q[i] === '-' && /[\p{L}]/u.test(q[i + 1] ?? '');
      const filter = this.filterAt(negated ? i + 1 : i, i, negated);
      if (filter) {
        cut(pieceStart, i);
        this.items.push(filter);
        i = filter.end;
        pieceStart = i;
        continue;
      }
      while (i < q.length && !SPACE.test(q[i]!)) i++;
    }
    cut(pieceStart, q.length);
    const text = pieces
      .map((p, n) => (n === 0 ? p.text.trimEnd() : n === pieces.length - 1 ? p.text.trimStart() : p.text.trim()))
      .filter((t) => t.length > 0)
      .join(' ')
      .trim();
    if (text) {
      const first = pieces.find((p) => p.text.trim().length > 0)!;
      this.out.pattern = { value: text, column: this.column(first.start + (first.text.length - first.text.trimStart().length)) };
    }
  }

  /** End of a bare token: the next whitespace. */
  private tokenEnd(i: number): number {
    let j = i;
    while (j < this.query.length && !SPACE.test(this.query[j]!)) j++;
    return j;
  }

  /** A `"…"` string at `i` (`\"` and `\\` escaped): its text and the offset after the closing quote. */
  private quoted(i: number): { text: string; end: number } {
    const q = this.query;
    let text = '';
    for (let j = i + 1; j < q.length; j++) {
      const c = q[j]!;
      if (c === '\\' && (q[j + 1] === '"' || q[j + 1] === '\\')) {
        text += q[j + 1];
        j++;
      } else if (c === '"') return { text, end: j + 1 };
      else text += c;
    }
    throw this.error(this.column(i), 'Unclosed quote', '', 'close the phrase with "');
  }

  /**
   * The offset after the closing slash of a `/regex/` opening at `i`, or -1: the first unescaped `/`
   * followed by whitespace or the end closes it; the pattern may not start with whitespace (`a / b`).
   * A token with no closing slash (`/api/users`) is a word.
   */
  private regexEnd(i: number, stopAtSpace = false): number {
    const q = this.query;
    if (i + 1 >= q.length || SPACE.test(q[i + 1]!) || q[i + 1] === '/') return -1;
    for (let j = i + 1; j < q.length; j++) {
      const c = q[j]!;
      if (c === '\\') j++;
      else if (c === '/' && (j + 1 === q.length || SPACE.test(q[j + 1]!))) return j + 1;
      else if (stopAtSpace && SPACE.test(c)) return -1;
    }
    return -1;
  }

  /** A filter token whose name starts at `at` (after a `-` when negated), or null when the text there is no filter. */
  private filterAt(at: number, start: number, negated: boolean): Item | null {
    const q = this.query;
    const m = /^([A-Za-z]+):/.exec(q.slice(at, at + 40));
    if (!m) return null;
    const name = m[1]!.toLowerCase();
    const valueAt = at + m[0].length;
    const next = q[valueAt];
    if (next === undefined || SPACE.test(next) || next === ':' || q.startsWith('//', valueAt)) return null;
    const spec = BY_NAME.get(name);
    if (!spec) {
      if (FOREIGN_FILTERS.has(name) || this.nearKnown(name)) {
        const near = this.nearKnown(name);
        throw this.error(
          this.column(at),
          `Unknown filter "${m[1]}:"`,
          `${near ? `did you mean ${near}:? K` : 'k'}nown filters: ${KNOWN_FILTERS}`,
          `quote it ("${q.slice(at, this.tokenEnd(at))}") to search for the text`,
        );
      }
      return null;
    }
    if (negated && !spec.negatable) {
      throw this.error(this.column(start), `-${name}: cannot be negated`, '', `write ${name}: without the minus`);
    }
    if (next === '"') {
      const { text, end } = this.quoted(valueAt);
      return { kind: 'filter', name: spec.name, spec, value: text, valueStart: valueAt, negated, quoted: true, regex: false, start, end };
    }
    const end = this.tokenEnd(valueAt);
    const raw = q.slice(valueAt, end);
    const regex = raw.length >= 3 && raw.startsWith('/') && this.regexEnd(valueAt, true) === end;
    const value = regex ? raw.slice(1, -1) : raw;
    return { kind: 'filter', name: spec.name, spec, value, valueStart: valueAt, negated, quoted: false, regex, start, end };
  }

  /** The known filter a name is one typo (an edit or a swap of neighbours) away from, or null. */
  private nearKnown(name: string): string | null {
    if (name.length < 3) return null;
    for (const known of BY_NAME.keys()) {
      if (known.length < 3) continue;
      if (editDistance(name, known) <= 1 || isOneSwap(name, known)) return known;
    }
    return null;
  }

  /** Puts the filters into the query's fields, then groups the texts around OR. */
  private combine(): void {
    for (const item of this.items) if (item.kind === 'filter') this.addFilter(item);
    this.groupOr(this.items);
  }

  /** Texts in order, `a OR b OR c` runs grouped; a regex may only be OR-ed with regexes. */
  private groupOr(items: Item[]): void {
    const alone = (item: Item, side: 'before' | 'after', or: Item) => {
      if (item.kind === 'text' && !item.negated) return item;
      const what = item.kind === 'filter' ? 'a filter' : item.kind === 'or' ? 'another OR' : 'a negated term';
      throw this.error(
        this.column(or.start),
        `OR ${side === 'before' ? 'follows' : 'precedes'} ${what}`,
        '',
        'OR joins two words, phrases or /regexes/',
      );
    };
    const groups: (Item & { kind: 'text' })[][] = [];
    for (let n = 0; n < items.length; n++) {
      const item = items[n]!;
      if (item.kind === 'or') {
        const before = items[n - 1];
        const after = items[n + 1];
        if (!before) throw this.error(this.column(item.start), 'OR needs a term on each side', '', 'write a OR b');
        if (!after) throw this.error(this.column(item.start), 'OR needs a term on each side', '', 'write a OR b');
        alone(before, 'before', item);
        const right = alone(after, 'after', item);
        groups[groups.length - 1]!.push(right);
        n++;
        continue;
      }
      if (item.kind === 'text') groups.push([item]);
    }
    for (const group of groups) {
      const regexes = group.filter((g) => g.text.kind === 'regex');
      if (group.length > 1 && regexes.length > 0 && regexes.length < group.length) {
        const other = group.find((g) => g.text.kind !== 'regex')!;
        throw this.error(other.text.column, 'OR joins a /regex/ with a word', '', 'write the word into the regex: /a|b/');
      }
      const first = group[0]!;
      if (first.negated) this.out.exclude.push(first.text);
      else if (first.text.kind === 'regex') this.addRegex(group.map((g) => g.text));
      else if (group.length > 1) this.out.anyOf.push(group.map((g) => g.text));
      else if (first.text.kind === 'phrase') this.out.phrases.push(first.text);
      else this.out.words.push(first.text);
    }
  }

  private addRegex(alternatives: TextPattern[]): void {
    const first = alternatives[0]!;
    if (this.out.regex) {
      throw this.error(first.column, 'A second /regex/', '', 'join alternatives with OR, or write one pattern');
    }
    const value = alternatives.length === 1 ? first.value : alternatives.map((a) => `(?:${a.value})`).join('|');
    this.out.regex = { kind: 'regex', value, column: first.column };
  }

  private addFilter(item: Item & { kind: 'filter' }): void {
    const column = this.column(item.start);
    const valueColumn = this.column(item.valueStart);
    const value = item.value;
    const once = <T>(current: T | null, next: T, label: string): T => {
      if (current !== null && current !== next) throw this.error(column, `A second ${label}`, '', `keep one ${label}`);
      return next;
    };
    if (value.trim() === '') throw this.error(valueColumn, `${item.name}: needs a value`, '', `write ${item.name}:VALUE`);
    switch (item.name) {
      case 'repo': {
        const kind = item.regex ? 'regex' : !item.quoted && GLOB_CHARS.test(value) ? 'glob' : 'name';
        (item.negated ? this.out.repos.exclude : this.out.repos.include).push({ kind, value, column });
        return;
      }
      case 'lang': {
        try {
          languagesFor(value);
        } catch (error) {
          const e = error as GitloreError;
          const near = /did you mean [^?]+\?/.exec(e.message)?.[0] ?? '';
          throw this.error(valueColumn, `Unknown language "${value}"`, near, e.hint);
        }
        (item.negated ? this.out.languages.exclude : this.out.languages.include).push({ value, column });
        return;
      }
      case 'file': {
        const kind = item.regex ? 'regex' : 'glob';
        (item.negated ? this.out.files.exclude : this.out.files.include).push({ kind, value, column });
        return;
      }
      case 'sym':
        this.out.symbols.push({ value, column });
        return;
      case 'content': {
        const text: TextPattern = { kind: 'phrase', value, column, filter: true };
        if (item.negated) this.out.exclude.push(text);
        else this.out.phrases.push(text);
        return;
      }
      case 'case': {
        const yes = ['yes', 'y', 'true', 'on'].includes(value.toLowerCase());
        const no = ['no', 'n', 'false', 'off'].includes(value.toLowerCase());
        if (!yes && !no) throw this.error(valueColumn, `case:${value} is neither yes nor no`, '', 'write case:yes or case:no');
        this.out.caseSensitive = once(this.out.caseSensitive, yes, 'case:');
        return;
      }
      case 'type': {
        const type = value.toLowerCase().replace(/s$/, '');
        if (!(SEARCH_TYPES as readonly string[]).includes(type)) {
          throw this.error(
            valueColumn,
            `Unknown type:${value}`,
            `use one of ${SEARCH_TYPES.map((t) => `type:${t}`).join(', ')}`,
            `write type:${SEARCH_TYPES.join('|')}`,
          );
        }
        if (this.out.type && this.out.type.value !== type) throw this.error(column, 'A second type:', '', 'keep one type:');
        this.out.type = { value: type as SearchType, column };
        return;
      }
      case 'count': {
        const count = value.toLowerCase() === 'all' ? SEARCH_LIMIT.max : /^\d+$/.test(value) ? Number(value) : Number.NaN;
        if (!Number.isInteger(count) || count < SEARCH_LIMIT.min) {
          throw this.error(
            valueColumn,
            `count:${value} is not a positive whole number`,
            '',
            `write count:N (at most ${SEARCH_LIMIT.max}) or count:all`,
          );
        }
        this.out.count = once(this.out.count, Math.min(count, SEARCH_LIMIT.max), 'count:');
        return;
      }
      case 'author':
        this.out.author = { value, column };
        return;
      case 'added':
      case 'removed':
        this.out[item.name].push({ kind: item.quoted ? 'phrase' : 'word', value, column: valueColumn });
        return;
      case 'order': {
        const order = value.toLowerCase();
        if (!(SEARCH_ORDERS as readonly string[]).includes(order)) {
          throw this.error(valueColumn, `Unknown order:${value}`, `use one of ${SEARCH_ORDERS.map((o) => `order:${o}`).join(', ')}`, '');
        }
        if (this.out.order && this.out.order.value !== order) throw this.error(column, 'A second order:', '', 'keep one order:');
        this.out.order = { value: order as SearchOrder, column };
        return;
      }
    }
  }
}

/** Whether b is a with two neighbouring characters swapped (`lnag` → `lang`). */
function isOneSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** The text the retrievers rank by: the words, then the phrases and OR alternatives (not regexes or exclusions). */
export function rankedText(parsed: ParsedQuery): string {
  const pieces = [...parsed.words, ...parsed.phrases, ...parsed.anyOf.flat()].filter((t) => t.kind !== 'regex');
  return pieces
    .sort((a, b) => a.column - b.column)
    .map((t) => t.value)
    .join(' ');
}
