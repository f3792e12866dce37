import { isIdentifierLike, symbolName } from '../shared/codeTokens.js';
import { isDocLanguage, isExamplePath, isTestPath } from '../shared/languages.js';
import { isPastedText } from '../shared/queryLanguage.js';

/**
 * Which demotions a query lifts because it asks for that kind of code: tests, examples, documentation,
 * vendored copies of other projects, or import lists.
 */
export interface QueryWants {
  tests: boolean;
  examples: boolean;
  docs: boolean;
  vendored: boolean;
  imports: boolean;
  /** The query's words, lower-cased: a vendored copy whose folder the query names is what it asks for. */
  words: ReadonlySet<string>;
  /** Names the query refers to as other definitions ("alias as `request.header`", "same as `Execute()`"): not its answer. */
  others: ReadonlySet<string>;
}

/** Words that only frame a request ("show me the tests for …"). */
const FRAME = new Set(
  'a an the all any some our my your its their this that these those of for in on to and or with by where what which how is are do does i we me show find list give get see existing'.split(
    ' ',
  ),
);
/** A query whose words are all of one kind's vocabulary (and FRAME) asks for that kind ("test helpers", "usage examples"). */
const TEST_HEAD = new Set(['test', 'tests', 'testing', 'spec', 'specs', 'unittest', 'unittests']);
const TEST_CONTEXT = new Set(
  'helper helpers util utils utility utilities setup data file files fixture fixtures mock mocks stub stubs fake fakes doubles support suite suites case cases unit integration e2e coverage snapshot snapshots'.split(
    ' ',
  ),
);
const EXAMPLE_HEAD = new Set(['example', 'examples', 'sample', 'samples', 'demo', 'demos', 'benchmark', 'benchmarks']);
const EXAMPLE_CONTEXT = new Set(
  'usage code app apps project projects program programs basic simple minimal full complete working'.split(' '),
);
const DOC_HEAD = new Set([
  'doc',
  'docs',
  'documentation',
  'readme',
  'guide',
  'guides',
  'tutorial',
  'tutorials',
  'manual',
  'changelog',
  'faq',
]);
const DOC_CONTEXT = new Set(
  'api user users developer developers reference install installation setup usage getting started contributing quickstart'.split(' '),
);

/** Up to this many words a query is typed, not written: phrasings anywhere in it count. */
const SHORT_QUERY_WORDS = 12;

const TEST_KIND = '(?:unit|integration|e2e|end[- ]to[- ]end|regression|snapshot|functional|acceptance|smoke|golden|table[- ]driven)';
const TEST_NOUN = `(?:${TEST_KIND}[ -])?(?:tests?|specs?|test[ -]?cases?|test[ -]?suites?|test[ -]?files?|unit[ -]?tests?)`;
const EXAMPLE_NOUN = '(?:(?:usage|code|working|complete|full|minimal|simple|basic)[ -])?(?:examples?|samples?|demos?|benchmarks?)';
const DOC_NOUN =
  '(?:(?:api|user|developer|reference|install(?:ation)?|setup|usage|getting[- ]started)[ -])?(?:docs?|documentation|guides?|tutorials?|manual|readme)';
/** Words before the noun at the head of a request: "show me the tests for …", "where are the docs on …". */
const LEAD = '^(?:(?:the|a|an|all|any|some|our|existing|show|me|find|list|give|where|is|are|there)\\s+)*';

/** Phrasings that ask for tests wherever they stand in the query. */
const TEST_ASKS: RegExp[] = [
  new RegExp(`${LEAD}${TEST_NOUN}\\s+(?:for|of|on|covering|that|which|about|around|exercising|checking|verifying)\\b`),
  /^(?:where|how|which|what|is|are|was|were|does|do)\b.*\btested\b/,
  /\bspecs?\s+for\b/,
];
/** Phrasings that ask for tests in a short, typed query. */
const TEST_ASKS_SHORT: RegExp[] = [new RegExp(`\\b${TEST_KIND}[ -]tests?\\b`), /\b(?:is|are|gets?|being|been)\s+tested\b/, /\btests?$/];
/** Test names: foo_test, test_foo, parserTest, RouterTests, parser.test, parser.spec (case matters). */
const TEST_IDENTIFIER = /\b\w+_test\b|\btest_\w+|[a-z0-9](?:Tests?|Spec)\b|\w\.(?:test|spec)\b/;

const EXAMPLE_ASKS: RegExp[] = [
  new RegExp(`${LEAD}${EXAMPLE_NOUN}\\s+(?:of|for|showing|using|with|that|on|to|how)\\b`),
  /\b(?:usage|code)\s+examples?\b/,
  /\bexamples?\s+(?:app|apps|project|projects|program|programs|code)\b/,
];
const EXAMPLE_ASKS_SHORT: RegExp[] = [/\b(?:examples?|samples?|demos?|benchmarks?)$/];

const DOC_ASKS: RegExp[] = [
  new RegExp(`${LEAD}${DOC_NOUN}\\s+(?:for|of|on|about|to|explaining|describing|that)\\b`),
  /^how\s+(?:do\s+i|to|can\s+i)\s+(?:install|configure|deploy|set\s+up|upgrade|migrate)\b/,
];
const DOC_ASKS_SHORT: RegExp[] = [/\b(?:readme|changelog|contributing|faq)\b/, /\b(?:docs?|documentation|guide|tutorial|manual)$/];

const VENDORED_ASKS = /\b(?:vendored|vendor|vendoring|third[- ]party|bundled\s+cop(?:y|ies))\b/;
const IMPORT_ASKS =
  /\b(?:imports?|imported|importing|require\(|#include|use\s+statements?)\b|^(?:import|from|require|use|using|#include)\b/;

/** Lower-cased words of three characters or more (`urllib3`, `_vendor`). */
function wordsOf(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? []).slice(0, 2000));
}

/**
 * The demotions the query lifts, read from what it asks for rather than from the words it contains: "tests for
 * the parser", "where is parseArgs tested", "parser_test", "test helpers" ask for tests; "fixture teardown order" or
 * "mock the transport" do not (in a test framework's repository, or an issue, such words are everywhere). Likewise
 * "example of using the router" or "router example" ask for examples where "an example value" does not, and
 * "docs for the query syntax" or "readme" ask for documentation. Pasted text (an issue, a stack trace) lifts
 * nothing. Import lists are wanted only by identifier queries and by queries about imports.
 */
export function queryWants(query: string): QueryWants {
  if (isPastedText(query))
    return { tests: false, examples: false, docs: false, vendored: false, imports: false, words: wordsOf(query), others: new Set() };
  // Filters (`lang:go`, `repo:api`) say where to look, not what to look for.
  const raw = query.replace(/(^|\s)-?[a-z]+:\S*/g, ' ').trim();
  const q = raw
    .toLowerCase()
    .replace(/\bfor (?:example|instance)\b|\be\.g\./g, ' ')
    .replace(/[^\w.#()'-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const words = q.split(' ').filter(Boolean);
  const short = words.length <= SHORT_QUERY_WORDS;
  const asks = (always: RegExp[], ifShort: RegExp[]) => always.some((r) => r.test(q)) || (short && ifShort.some((r) => r.test(q)));
  return {
    tests: asks(TEST_ASKS, TEST_ASKS_SHORT) || TEST_IDENTIFIER.test(raw) || onlyAbout(words, TEST_HEAD, TEST_CONTEXT),
    examples: asks(EXAMPLE_ASKS, EXAMPLE_ASKS_SHORT) || onlyAbout(words, EXAMPLE_HEAD, EXAMPLE_CONTEXT),
    docs: asks(DOC_ASKS, DOC_ASKS_SHORT) || onlyAbout(words, DOC_HEAD, DOC_CONTEXT),
    vendored: short && VENDORED_ASKS.test(q),
    imports: isIdentifierLike(raw) || (short && IMPORT_ASKS.test(q)),
    words: wordsOf(raw),
    others: referencedNames(raw),
  };
}

/**
 * Phrasings that name another definition than the one described: "alias as request.header", "same as Execute()",
 * "(see get_current_context)", "except for the KyOptions", "instead of parseArgs". A doc sentence names its own
 * subject by describing it, and the definitions it points to by these words.
 */
const REFERENCE =
  /\b(?:alias(?:ed)?\s+(?:as|of|for|to)|same\s+as|equivalent\s+(?:to|of)|see(?:\s+also)?|instead\s+of|rather\s+than|unlike|except\s+for|shortcut\s+(?:for|to)|shorthand\s+(?:for|of)|wrapper\s+(?:for|around|of)|in\s+favou?r\s+of|replaced\s+by|superseded\s+by|deprecated[:,]?\s+use)\s+(?:(?:the|a|an)\s+)?(`?)([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(`|\(\))?/gi;

/** The last part of each code name a reference phrasing points to; prose words after one ("see the docs") are not names. */
function referencedNames(query: string): Set<string> {
  const out = new Set<string>();
  for (const m of query.matchAll(REFERENCE)) {
    const name = m[2]!;
    const marked = (m[1] === '`' && m[3] === '`') || m[3] === '()';
    const last = name.split('.').pop()!;
    if (/[A-Za-z].*[A-Za-z]/.test(last) && (marked || /[._$]|[a-z0-9][A-Z]|^[A-Z][a-z0-9]+[A-Z]/.test(name))) out.add(last);
  }
  return out;
}

/** True when a word of `head` is there and every other word is `head`, `context` or framing. */
function onlyAbout(words: string[], head: ReadonlySet<string>, context: ReadonlySet<string>): boolean {
  let headSeen = false;
  for (const word of words) {
    if (head.has(word)) headSeen = true;
    else if (!context.has(word) && !FRAME.has(word)) return false;
  }
  return headSeen;
}

/** What the priors read of a chunk; `kind`, `vendored` and `symbol` are absent for rows that have none. */
export interface PriorChunk {
  path: string;
  language: string;
  kind?: string;
  vendored?: boolean;
  symbol?: string | null;
}

/** Which demotions apply to a chunk for this query: the kinds of code it holds that the query does not ask for. */
export interface Demotions {
  test: boolean;
  example: boolean;
  docs: boolean;
  vendored: boolean;
  imports: boolean;
  /** The chunk defines a name the query refers to as another definition than its answer. */
  other: boolean;
}

export function demotions(chunk: PriorChunk, wants: QueryWants): Demotions {
  return {
    test: !wants.tests && isTestPath(chunk.path),
    example: !wants.examples && isExamplePath(chunk.path),
    docs: !wants.docs && isDocLanguage(chunk.language),
    vendored: !wants.vendored && chunk.vendored === true && !namesFolder(chunk.path, wants.words),
    imports: !wants.imports && chunk.kind === 'imports',
    other: refersElsewhere(chunk, wants),
  };
}

/** The multiplier of each demotion (rankingParams.ts `priors`). */
export type PriorWeights = Record<keyof Demotions, number>;

/**
 * A fused score with the priors applied: tests, examples, documentation, vendored copies of other projects and
 * import lists are demoted unless the query asks for them (multiplied one by one, in this order).
 */
export function applyPriors(score: number, chunk: PriorChunk, wants: QueryWants, priors: PriorWeights): number {
  const d = demotions(chunk, wants);
  let out = score;
  if (d.test) out *= priors.test;
  if (d.example) out *= priors.example;
  if (d.docs) out *= priors.docs;
  if (d.vendored) out *= priors.vendored;
  if (d.imports) out *= priors.imports;
  if (d.other) out *= priors.other;
  return out;
}

/** Whether the chunk defines a name the query points to as another definition than its answer (`wants.others`). */
export function refersElsewhere(chunk: Pick<PriorChunk, 'symbol'>, wants: QueryWants): boolean {
  return wants.others.size > 0 && !!chunk.symbol && wants.others.has(symbolName(chunk.symbol));
}

/** Whether one of the path's folders is one of the words. */
function namesFolder(path: string, words: ReadonlySet<string>): boolean {
  if (words.size === 0) return false;
  const parts = path.toLowerCase().split('/');
  for (let i = 0; i < parts.length - 1; i += 1) if (words.has(parts[i]!)) return true;
  return false;
}
