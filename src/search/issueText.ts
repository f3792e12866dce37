/**
 * A long pasted text (an issue, a stack trace, a log) read as evidence of where the code it is about lives: the
 * identifiers it names, the files and stack frames it points at, the errors it quotes, weighted by where they stand
 * (a frame's function counts more than a word of prose, a name the text's own example code assigns counts little).
 * Pure: no I/O. The engine turns the evidence into the retrievers' inputs (issueQueries) and, after scoring, lifts
 * the chunks of the files and functions the text names (evidenceBoost).
 */
import { codeTokens, splitIdentifier } from '../shared/codeTokens.js';
import { detectLanguage } from '../shared/languages.js';
import { isPastedText } from '../shared/queryLanguage.js';
import type { ExtractedQuery } from './types.js';

/**
 * Every constant of the extraction, tuned on the dev set's localization task (issue text → files to change) only,
 * with `bench/eval/tuneIssue.ts` (numbers: bench/README.md). Weights are relative; a term's weight is its best
 * occurrence's plus a quarter of the others' (at most doubling it).
 */
export const ISSUE_TEXT_PARAMS = {
  /**
   * Terms given to the lexical retriever: its port takes no per-term weights (BM25 does not count a repeated term), so
   * the cap chooses. Grouped hybrid R@10: 16 → 0.796, 24 → 0.877, 32 → 0.802, 48 → 0.790; past ~24 the text's
   * incidental words (its example's data, its log lines) outvote its point.
   */
  lexicalTerms: 24,
  /** Identifiers given to the symbol retriever. */
  symbolNames: 12,
  /** Characters of the text's prose (code blocks and folded sections left out) the semantic retriever embeds. */
  headChars: 1500,
  weight: {
    /** The function of a stack frame, and its file's name. */
    frameFunction: 5,
    frameFile: 4,
    /** An exception named in the text (`ConflictError`); a builtin one (`ValueError`) is in every code base. */
    errorName: 4,
    builtinErrorName: 1,
    /** Words of an error's message: a raise or throw in the code often holds them. */
    errorMessage: 2,
    /** An identifier written as one (getUser, get_user, Foo.bar), in prose or code. */
    identifier: 3,
    /** Any name inside `inline code` in prose: the writer marked it as code. */
    inlineCode: 3.5,
    /** A called or accessed member in code (`.copy(`, `.values`). */
    member: 2,
    /** A plain word in code, and one in prose. */
    codeWord: 0.5,
    prose: 1,
    /** Multiplier for everything on the first line (an issue's title); 2 vs 1.5: R@5 0.808 vs 0.783 (one instance). */
    title: 2,
    /** A named file's name (without extension), and its folders. */
    fileName: 4,
    folder: 1,
    /** Multiplier for each sub-word of a compound identifier (get_user → get, user). */
    part: 0.5,
    /** Multiplier for a name the text's own code defines or assigns (its example's variables), and for folded sections. */
    localName: 0.2,
    folded: 0.3,
  },
  /**
   * Score multipliers after ranking, for localization: a chunk of a file the text names by path (or by a path's last
   * two or more segments) gets `path`; one named only by its file name gets `fileName` (`utils.py` names many files);
   * a chunk whose symbol is a stack frame's function in that file gets `frameFunction` more. The text naming a file is
   * the strongest evidence that it is the one to change: dev hybrid MRR@10 0.640 without the boost, 0.686 with it
   * (R@5 0.783 → 0.808). `path` 0.25 / 0.5 / 1 / 2 gave MRR 0.655 / 0.672 / 0.686 / 0.706 at equal R@10; 1 keeps a
   * named but unrelated file (the writer's own script) from always coming first. `fileName` and `frameFunction` move
   * no dev metric beyond one instance; they stay small.
   */
  boost: { path: 1, fileName: 0.15, frameFunction: 0.3 },
} as const;

export type IssueTextParams = typeof ISSUE_TEXT_PARAMS;

/** A file the text names: a path (`pkg/core/frame.py`, `/usr/lib/…/frame.py`), or a module (`pkg.core.frame`). */
export interface NamedPath {
  /** Forward slashes, no leading `./` or `/`; a module's dots made slashes, with no extension. */
  path: string;
  line: number | null;
  /** A dotted module name: matches `path.<any extension>` and `path/__init__.py`. */
  module: boolean;
}

/** One stack frame: its file, line and function, as far as the trace tells. */
export interface StackFrame {
  path: string | null;
  line: number | null;
  /** The function's own name (`__setitem__`, `ServeHTTP`), or null. */
  func: string | null;
}

export interface QuotedError {
  /** `ValueError`, `ConflictError`, `panic`. */
  name: string;
  message: string;
  /** The module that defines it, when the line names one (`pkg.errors.ConflictError` → `pkg.errors`). */
  module?: string;
}

export interface IssueEvidence {
  /** Lexical tokens as the index writes them (lower-case codeTokens), best first, with their weights. */
  terms: { term: string; weight: number }[];
  /** Identifiers as written (dotted ones kept: `Dataset.copy`), best first. */
  identifiers: string[];
  paths: NamedPath[];
  frames: StackFrame[];
  errors: QuotedError[];
  /** The text's start, prose only: its title and first paragraphs. */
  head: string;
}

/** What each retriever is given for a long text. */
export interface RetrieverQueries {
  /** Lexical terms (already tokens), or the query string for the lexical retriever to tokenize. */
  lexical: string | readonly string[];
  symbol: string;
  semantic: string;
}

const STOP_WORDS = new Set(
  // English
  (
    'a about above after again against all also am an and any are aren as at be because been before being below between both but by ' +
    'can cannot could did do does doing done down during each either else even ever every few for from further get gets got had has ' +
    'have having he her here hers herself him himself his how however i if in into is isn it its itself just least less let like ' +
    'likely made make makes many may me might more most much must my myself need needs neither no nor not now of off often on once ' +
    'one only or other others otherwise our ours ourselves out over own per perhaps quite rather really same see seem seems she ' +
    'should since so some still such than that the their theirs them themselves then there these they this those though through ' +
    'thus to too under until up upon us use used uses using very via want was way we well were what whatever when where whether ' +
    'which while who whom whose why will with within without would yet you your yours yourself ' +
    // what issues say about themselves
    'actual actually anyone bug case cases currently describe description details environment error example examples expected ' +
    'expect fails following happen happens hello hi info issue issues mcve minimal please problem reproduce reproducible reproduction ' +
    'result results sample screenshot solution steps summary thank thanks think tried trying version versions work works working ' +
    'wrong behavior behaviour output instead something anything nothing everything someone thing things maybe probably seem'
  ).split(' '),
);

/** Keywords and ubiquitous names of the common languages: in a snippet they say nothing about where the code is. */
const CODE_WORDS = new Set(
  (
    'def class return import from as if elif else for while in is not and or none true false self cls lambda try except finally ' +
    'raise with pass yield print assert del global nonlocal async await const let var function new this typeof instanceof null ' +
    'undefined void require module exports console log func package type struct interface nil err defer go chan map range public ' +
    'private protected static final int string bool boolean float double char long short byte throws throw catch extends implements ' +
    'super object dict list str tuple set len isinstance args kwargs main fn pub mut impl use crate match enum out in traceback ' +
    'most recent call last line file'
  ).split(' '),
);

/** Exceptions every code base of its language raises: naming one says little about where. */
const BUILTIN_ERRORS =
  /^(?:Exception|BaseException|Error|ValueError|TypeError|KeyError|IndexError|AttributeError|RuntimeError|AssertionError|NameError|ImportError|ModuleNotFoundError|NotImplementedError|OSError|IOError|FileNotFoundError|ZeroDivisionError|StopIteration|RecursionError|UnicodeDecodeError|UnicodeEncodeError|SyntaxError|ReferenceError|RangeError|NullPointerException|IllegalArgumentException|IllegalStateException|UnsupportedOperationException|ClassCastException|ArrayIndexOutOfBoundsException|IndexOutOfBoundsException|NumberFormatException|Warning|UserWarning|DeprecationWarning|FutureWarning|RuntimeWarning)$/;

type Context = 'title' | 'prose' | 'inline' | 'code' | 'folded';

const CONTEXT_WEIGHT: Record<Context, number> = { title: 1, prose: 1, inline: 1, code: 1, folded: ISSUE_TEXT_PARAMS.weight.folded };

/** Reads a pasted text for evidence of where its code lives. */
export function extractIssueText(text: string, params: IssueTextParams = ISSUE_TEXT_PARAMS): IssueEvidence {
  const w = params.weight;
  const source = text.replace(/\r\n?/g, '\n');
  const terms = new Map<string, { best: number; sum: number; first: number }>();
  const identifiers = new Map<string, { best: number; first: number }>();
  const paths: NamedPath[] = [];
  const frames: StackFrame[] = [];
  const errors: QuotedError[] = [];
  let order = 0;

  /** A lexical token; English stop words only when `api` (a called or accessed name in code). */
  const addTerm = (token: string, weight: number, api = false) => {
    if (weight <= 0 || token.length < 2 || (!api && STOP_WORDS.has(token)) || NOT_A_NAME.test(token)) return;
    const t = terms.get(token);
    if (!t) terms.set(token, { best: weight, sum: weight, first: order++ });
    else {
      t.best = Math.max(t.best, weight);
      t.sum += weight;
    }
  };
  const addIdentifier = (name: string, weight: number) => {
    if ((name.length < 3 && !isCompound(name)) || NOT_A_NAME.test(name.toLowerCase())) return;
    const id = identifiers.get(name);
    if (!id) identifiers.set(name, { best: weight, first: order++ });
    else id.best = Math.max(id.best, weight);
  };
  /** A name and, when compound, its sub-words (at `part` of the weight). */
  const addName = (name: string, weight: number, api = false) => {
    const tokens = codeTokens(name);
    if (tokens.length === 0) return;
    addTerm(tokens[0]!, weight, api);
    for (const part of tokens.slice(1)) addTerm(part, weight * w.part);
  };

  const { locals, aliases } = localNames(source);
  const lines = source.split('\n');
  const title = lines.findIndex((l) => l.trim() !== '');
  let fence: string | null = null;
  let folded = 0;
  for (const [n, raw] of lines.entries()) {
    const trimmed = raw.trim();
    const fenceMark = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (fenceMark && (fence === null || fenceMark.startsWith(fence))) {
      fence = fence === null ? fenceMark : null;
      continue;
    }
    if (/<details\b/i.test(trimmed)) folded += 1;
    if (/<\/details>/i.test(trimmed)) folded = Math.max(0, folded - 1);
    let context: Context = n === title && lines.length > 1 ? 'title' : 'prose';
    if (fence !== null || isCodeLine(raw)) context = 'code';
    // Folded sections, an issue template's headings and `name: version` lines of an environment report are boilerplate.
    if (folded > 0 || (n !== title && /^#{1,6}\s/.test(trimmed)) || ENVIRONMENT_LINE.test(trimmed)) context = 'folded';
    const scale = CONTEXT_WEIGHT[context] * (n === title && lines.length > 1 ? w.title : 1);
    let line = raw;

    // URLs: a link to a file in a repository names that file; the rest of a URL is noise.
    line = line.replace(/\bhttps?:\/\/\S+/g, (url) => {
      const blob = /\/(?:blob|tree|raw)\/[^/\s]+\/([^\s#?)]+)(?:#L(\d+))?/.exec(url);
      if (blob?.[1] && isFilePath(blob[1]))
        paths.push({ path: normalizePath(blob[1]), line: blob[2] ? Number(blob[2]) : null, module: false });
      return ' ';
    });

    const frame = stackFrame(line, lines[n - 1] ?? '');
    if (frame) {
      frames.push(frame);
      if (frame.func) {
        addIdentifier(frame.func, w.frameFunction * scale);
        addName(frame.func, w.frameFunction * scale);
      }
    }
    const error = quotedError(line);
    if (error) {
      errors.push(error);
      if (error.module?.includes('.')) paths.push({ path: error.module.replaceAll('.', '/'), line: null, module: true });
      const builtin = BUILTIN_ERRORS.test(error.name);
      addName(error.name, (builtin ? w.builtinErrorName : w.errorName) * scale);
      if (!builtin) addIdentifier(error.name, w.errorName * scale);
      for (const token of codeTokens(error.message, 60)) if (!CODE_WORDS.has(token)) addTerm(token, w.errorMessage * scale);
    }

    // Files: their names weigh, their folders a little; then they are out of the way of the identifiers.
    line = line.replace(PATH_TOKEN, (match, path: string, lineNo: string | undefined, offset: number, whole: string) => {
      if (whole[offset + match.length] === '(' || !isFilePath(path)) return match;
      const named = normalizePath(path);
      paths.push({ path: named, line: lineNo ? Number(lineNo) : null, module: false });
      const weight = (frame?.path === named ? w.frameFile : w.fileName) * scale;
      const segments = named.split('/');
      const file = segments.pop()!;
      // A bare file name is as often the writer's own script (`test.py`, `mwe.py`) as the project's.
      addName(file.replace(/\.[^.]+$/, ''), segments.length > 0 ? weight : weight / 2);
      for (const folder of segments.slice(-3)) addName(folder, w.folder * scale);
      return ' ';
    });
    // Modules (`pkg.core.frame`) in prose and imports; in other code `a.b.c` is more often an attribute chain.
    const moduleLine = (context !== 'code' && context !== 'folded') || /^\s*(?:from|import)\s/.test(line);
    line = line.replace(MODULE_TOKEN, (match, module: string, offset: number, whole: string) => {
      if (!moduleLine || whole[offset + match.length] === '(' || /^(?:self|this|cls)\./.test(module)) return match;
      const segments = module.split('.');
      paths.push({ path: segments.join('/'), line: null, module: true });
      addName(segments.at(-1)!, w.fileName * scale);
      for (const folder of segments.slice(0, -1)) addName(folder, w.folder * scale);
      return ' ';
    });

    // `inline code` in prose.
    if (context === 'prose' || context === 'title') {
      line = line.replace(/`([^`\n]+)`/g, (_m, code: string) => {
        scanNames(code, 'inline', scale);
        return ' ';
      });
    }
    scanNames(line, context, scale);
  }

  function scanNames(textPart: string, context: Context, scale: number) {
    const code = context !== 'prose' && context !== 'title';
    for (const m of textPart.matchAll(NAME)) {
      const called = m[2] !== undefined;
      const parts = m[0]
        .replace(/\s*\($/, '')
        .split(/\.|::|->|#/)
        .filter((p) => p.length > 0);
      // `self.x`, `this.x`, and a module's import alias (`np.` of `import numpy as np`) say nothing themselves.
      const own = parts.filter((p, i) => !(i === 0 && (p === 'self' || p === 'this' || p === 'cls' || aliases.has(p))));
      if (own.length === 0) continue;
      const member = own.length < parts.length || (m.index > 0 && textPart[m.index - 1] === '.');
      for (const [i, part] of own.entries()) {
        const last = i === own.length - 1;
        const lower = part.toLowerCase();
        // A called or accessed member is an API name even when it is an English word (`xr.where(`, `.any()`).
        const api = last && (called || own.length > 1 || member);
        if (code && CODE_WORDS.has(lower)) continue;
        if (!api && STOP_WORDS.has(lower)) continue;
        const shaped = isCompound(part) || ERROR_CODE.test(part);
        let weight: number;
        if (context === 'inline') weight = Math.max(w.inlineCode, shaped ? w.identifier : 0);
        else if (shaped) weight = w.identifier;
        else if (api) weight = w.member;
        else weight = code ? w.codeWord : w.prose;
        const local = locals.has(part);
        if (local) weight *= w.localName;
        addName(part, weight * scale, api);
        if (!local && (shaped || context === 'inline')) addIdentifier(part, weight * scale);
      }
      if (own.length > 1 && !CODE_WORDS.has(own.at(-1)!.toLowerCase()) && !own.some((p) => locals.has(p))) {
        addIdentifier(own.join('.'), w.identifier * scale);
      }
    }
  }

  const ranked = [...terms]
    .map(([term, t]) => ({ term, weight: t.best + Math.min(t.best, 0.25 * (t.sum - t.best)), first: t.first }))
    .sort((a, b) => b.weight - a.weight || a.first - b.first)
    .map(({ term, weight }) => ({ term, weight: Math.round(weight * 1000) / 1000 }));
  const names = [...identifiers]
    .sort((a, b) => b[1].best - a[1].best || a[1].first - b[1].first)
    .map(([name]) => name)
    .filter((name) => !STOP_WORDS.has(name.toLowerCase()) && !CODE_WORDS.has(name.toLowerCase()));
  return { terms: ranked, identifiers: names, paths: dedupePaths(paths), frames, errors, head: proseHead(source, params.headChars) };
}

/**
 * What each retriever ranks by, and what the text names (for selectHits' boost): for a pasted text (`text`, or a
 * query that isPastedText), its extraction; otherwise the query itself for all three, and no evidence.
 */
export function retrieverQueries(query: string, text?: string): RetrieverQueries & { evidence: IssueEvidence | null } {
  const pasted = text ?? (isPastedText(query) ? query : undefined);
  if (pasted === undefined) return { lexical: query, symbol: query, semantic: query, evidence: null };
  const evidence = extractIssueText(pasted);
  return { ...issueQueries(evidence, query), evidence };
}

/** What a pasted text was read as, for the answer's `parsed.extracted`: the terms and names ranked by, the files named. */
export function extractedQuery(asked: RetrieverQueries & { evidence: IssueEvidence | null }): ExtractedQuery {
  const evidence = asked.evidence;
  const files = (evidence?.paths ?? []).filter((p) => !p.module).map((p) => (p.line === null ? p.path : `${p.path}:${p.line}`));
  return {
    terms: typeof asked.lexical === 'string' ? [] : [...asked.lexical],
    identifiers: asked.symbol.split(' ').filter((s) => s.length > 0),
    files: [...new Set(files)].slice(0, 20),
  };
}

/** The retrievers' inputs for a pasted text: the best-weighted terms, the identifiers, and the text's head. */
export function issueQueries(evidence: IssueEvidence, fallback: string, params: IssueTextParams = ISSUE_TEXT_PARAMS): RetrieverQueries {
  const lexical = evidence.terms.slice(0, params.lexicalTerms).map((t) => t.term);
  const symbol = evidence.identifiers.slice(0, params.symbolNames).join(' ');
  return {
    lexical: lexical.length > 0 ? lexical : fallback,
    symbol: symbol || fallback,
    semantic: evidence.head || fallback.slice(0, params.headChars),
  };
}

/**
 * How much a chunk is lifted for localization (0: not at all) because the text names its file or its function;
 * the score is multiplied by one plus this.
 */
export function evidenceBoost(
  chunk: { path: string; symbol: string | null },
  evidence: Pick<IssueEvidence, 'paths' | 'frames'>,
  boost: IssueTextParams['boost'] = ISSUE_TEXT_PARAMS.boost,
): number {
  let best = 0;
  for (const named of evidence.paths) {
    const segments = pathMatch(chunk.path, named);
    if (segments >= 2) best = Math.max(best, boost.path);
    else if (segments === 1) best = Math.max(best, boost.fileName);
  }
  if (chunk.symbol) {
    const name = chunk.symbol.split(/\.|::|#/).pop();
    const inFrame = evidence.frames.some(
      (f) => f.func === name && f.path !== null && pathMatch(chunk.path, { path: f.path, module: false }) > 0,
    );
    if (inFrame) best += boost.frameFunction;
  }
  return best;
}

/**
 * How many trailing segments of an indexed path a named path shares (0: none), matching on whole segments:
 * `/usr/lib/…/pkg/core/frame.py` and `core/frame.py` both share with `pkg/core/frame.py`. A module
 * (`pkg.core.frame`) names `pkg/core/frame.<ext>` and the package `pkg/core/frame/__init__.py`.
 */
export function pathMatch(indexed: string, named: Pick<NamedPath, 'path' | 'module'>): number {
  let target = indexed;
  if (named.module) {
    const stem = indexed.replace(/\/__init__\.[a-z]+$/, '').replace(/\.[A-Za-z0-9]+$/, '');
    if (stem === indexed) return 0;
    target = stem;
  }
  const a = target.split('/');
  const b = named.path.split('/');
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  // A module's last segment alone (`utils`) names too many files.
  if (named.module && n < 2) return 0;
  // The very path, even a one-segment one (`setup.py` at the root), is as good as two segments.
  return n === a.length && n === b.length ? Math.max(n, 2) : n;
}

/** A message or error code: `W0611`, `TS2345`, `E1101`. */
const ERROR_CODE = /^[A-Z]{1,3}\d{3,5}$/;
/** Numbers, versions (`v0`, `dev0`, `rc1`, `py3`), platforms (`x86_64`, `amd64`) and commit hashes: not names in code. */
const NOT_A_NAME = /^(?:\d[\w.]*|(?:v|b|rc|dev|post|py|u|r)\d+|x86_64|amd64|i[3-6]86|arm64|aarch64|(?=[a-f]*\d)[0-9a-f]{7,40})$/;
/** A line of an environment report: `numpy: 1.16.4`, `LC_ALL: None`, `commit: 6a2e7c1`, `requests==2.31.0`. */
const ENVIRONMENT_LINE = /^(?:[\w.\- ]{1,40}:\s*(?:None|[\d.]+[\w.+-]*|[0-9a-f]{7,40})?|[\w.-]+==[\w.+-]+)$/;
/** `path/to/file.ext` with an optional `:line` or `", line N`, as written in traces and prose. */
const PATH_TOKEN = /((?:[A-Za-z]:)?(?:[\w.@+~-]*[/\\])*[\w@+~-][\w.@+~-]*\.[A-Za-z][A-Za-z0-9]{0,9})\b(?:(?::|", line |#L)(\d+))?/g;
/** `a.b.c`: three or more lower-case segments, as Python and Java name modules and packages. */
const MODULE_TOKEN = /\b([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*){2,})\b/g;
/** A name, dotted or not, and whether it is called. */
const NAME = /[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*(\s*(\())?/g;

/** Whether a token is a source file's path: a known language's extension (a one-letter one only after a folder). */
function isFilePath(token: string): boolean {
  const ext = /\.([A-Za-z0-9]+)$/.exec(token)?.[1];
  if (!ext || /^\d/.test(ext)) return false;
  if (!detectLanguage(token)) return false;
  return ext.length > 1 || /[/\\]/.test(token);
}

function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^[A-Za-z]:/, '')
    .replace(/^(?:\.{1,2}\/)+/, '')
    .replace(/^\/+/, '');
}

function dedupePaths(paths: NamedPath[]): NamedPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = `${p.module}:${p.path}:${p.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** camelCase, PascalCase with an inner capital, snake_case, SCREAMING_CASE or dunder: written as an identifier (`float64` is not). */
function isCompound(word: string): boolean {
  return /[a-z][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]|^__\w+__$|^_\w/.test(word) || splitIdentifier(word.replace(/\d+$/, '')).length > 1;
}

/** A line that is code or program output although outside a fence: indented, or a prompt, or a trace line. */
function isCodeLine(line: string): boolean {
  return /^(?: {4}|\t)|^\s*(?:>>>|\.\.\.|\$ |In \[\d+\]|Out\[\d+\]|at |File "|Traceback )/.test(line);
}

/** The frame a line of a stack trace describes (Python, JavaScript, Java, Go, Ruby, pytest), or null; Go needs the line before. */
export function stackFrame(line: string, previous = ''): StackFrame | null {
  // Each shape is tried only when its marker is on the line: a long log has many lines and few frames.
  let m = line.includes('File "') ? /File "([^"]+)", line (\d+)(?:, in ([\w<>.$]+))?/.exec(line) : null;
  if (m) return { path: normalizePath(m[1]!), line: Number(m[2]), func: plainFunc(m[3]) };
  if (!line.includes(':')) return null;
  if (!line.includes('at ') && !line.includes('.rb:') && !line.includes('.py:') && !line.includes('.go:')) return null;
  // Java, Kotlin, Scala: at com.acme.Foo.bar(Foo.java:12)
  m = /\bat ([\w$.]+)\.([\w$<>]+)\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/.exec(line);
  if (m) {
    const pkg = m[1]!.split('.').slice(0, -1);
    return { path: [...pkg, m[3]!].join('/'), line: Number(m[4]), func: plainFunc(m[2]) };
  }
  // JavaScript: at fn (file:line:col), at async Foo.bar (file:line:col), at file:line:col
  m = /\bat (?:async )?(?:new )?([^\s(]+) \((?:file:\/\/)?([^()]+?):(\d+)(?::\d+)?\)/.exec(line);
  if (m) return { path: normalizePath(m[2]!), line: Number(m[3]), func: plainFunc(m[1]) };
  m = /\bat (?:file:\/\/)?([^\s()]+\.[A-Za-z]+):(\d+)(?::\d+)?\s*$/.exec(line);
  if (m) return { path: normalizePath(m[1]!), line: Number(m[2]), func: null };
  // Ruby: from app/models/user.rb:12:in `save'
  m = /([\w./-]+\.rb):(\d+):in [`']([^']+)'/.exec(line);
  if (m) return { path: normalizePath(m[1]!), line: Number(m[2]), func: plainFunc(m[3]) };
  // pytest: pkg/core/merge.py:509: in merge_frames
  m = /^\s*([\w./-]+\.py):(\d+): in (\w+)/.exec(line);
  if (m) return { path: normalizePath(m[1]!), line: Number(m[2]), func: plainFunc(m[3]) };
  // Go: a file line (`\t/go/src/x/mux.go:87 +0x2a`) under its function's line (`github.com/x/y.(*Mux).ServeHTTP(0xc0, …)`).
  m = /^\s*((?:\/|[A-Za-z]:)?[\w./@-]+\.go):(\d+)(?: \+0x[0-9a-f]+)?\s*$/.exec(line);
  if (m) {
    const func = /^\s*(?:[\w.@-]+\/)*[\w.@-]+?\.(?:\(\*?\w+\)\.)?(\w+)\([^()]*\)\s*$/.exec(previous)?.[1] ?? null;
    return { path: normalizePath(m[1]!), line: Number(m[2]), func };
  }
  return null;
}

/** `Foo.bar` → `bar`, `<module>` and anonymous → null. */
function plainFunc(name: string | undefined): string | null {
  if (!name || name.startsWith('<') || name === 'anonymous' || name === '<anonymous>') return null;
  const last = name.split('.').pop() ?? name;
  return /^[A-Za-z_$][\w$]*$/.test(last) ? last : null;
}

/** `ValueError: message`, `pkg.ConflictError: …`, pytest's `E   KeyError: 'x'`, Go's `panic: …`; null for other lines. */
export function quotedError(line: string): QuotedError | null {
  const m = /^\s*(?:E\s+)?((?:[a-z_]\w*\.)*)([A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Failure|Fault))(?::\s*(.*))?$/.exec(line);
  if (m) {
    const error: QuotedError = { name: m[2]!, message: (m[3] ?? '').trim() };
    if (m[1]) error.module = m[1].slice(0, -1);
    return error;
  }
  const panic = /^\s*panic: (.+)$/.exec(line);
  if (panic) return { name: 'panic', message: panic[1]!.trim() };
  return null;
}

/**
 * Names the text's own code defines or assigns (`ds = …`, `a, b = …`, `def helper`, `class HasValues`, `const x =`):
 * the example's variables, not the project's code; and its import aliases (`np` of `import numpy as np`), which only
 * point at a module.
 */
function localNames(text: string): { locals: Set<string>; aliases: Set<string> } {
  const locals = new Set<string>();
  const patterns = [
    /^[ \t]*(?:>>> |\.\.\. )?([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)/gm,
    /\b(?:def|class|function|func)\s+([A-Za-z_]\w*)/g,
    /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g,
    /\bfor\s+([A-Za-z_]\w*)\s+in\b/g,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) for (const name of m[1]!.split(/\s*,\s*/)) if (name) locals.add(name);
  }
  const aliases = new Set([...text.matchAll(/\bimport\s+[\w.]+\s+as\s+(\w+)/g)].map((m) => m[1]!));
  return { locals, aliases };
}

/** The first `chars` characters of the text's prose: fenced code, folded sections and markup left out. */
function proseHead(text: string, chars: number): string {
  const prose = text
    .replace(/(^|\n)(`{3,}|~{3,})[^\n]*\n[\s\S]*?(\n\2[^\n]*|$)/g, '\n')
    .replace(/<details\b[\s\S]*?(<\/details>|$)/gi, '\n')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/[#>*_]{1,}\s/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim();
  return prose.slice(0, chars);
}
