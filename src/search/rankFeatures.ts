import { codeTokens, isIdentifierLike, queryTerms, splitIdentifier, symbolName, wholeTokens } from '../shared/codeTokens.js';
import type { IndexedChunk } from '../store/index.js';
import { stem } from '../store/lexicalTerms.js';
import { demotions, type QueryWants } from './priors.js';

/** What each retriever said of the candidates: ranked best first, with its own score. */
export interface RetrieverEvidence {
  /** BM25 as the store returns it: lower is better. */
  lexical?: { chunkId: number; score: number }[];
  semantic?: number[];
  symbol?: { chunkId: number; score: number }[];
  /** Cosine of the query's vector with each candidate's (any retriever's candidate that has a vector). */
  cosine?: Map<number, number>;
  /** Cosine of the query's vector with each candidate's name read as words. */
  nameCosine?: Map<number, number>;
}

/**
 * The ranker's features, by name. Retriever evidence is given as ranks and as scores relative to the
 * list's best (BM25 and cosine are not comparable across queries); the rest describe the chunk and
 * how the query's words meet its name, path and doc comment.
 */
export const FEATURE_NAMES = [
  'bias',
  'lexRecip',
  'lexRel',
  'lexTop3',
  'semRecip',
  'cosine',
  'cosineGap',
  'symScore',
  'symRecip',
  'identQuery',
  'identXsym',
  'identXlex',
  'nameCover',
  'nameExact',
  'pathCover',
  'docCover',
  'kindCallable',
  'kindType',
  'kindBlock',
  'kindText',
  'hasDoc',
  'test',
  'example',
  'docFile',
  'logLines',
  'longQuery',
  'longXcos',
  'fileBestLex',
  'fileHits',
  'nameFrac',
  'nameFracXlex',
  'vendored',
  'kindImports',
  'nameMentionedCompound',
  'askSetter',
  'askGetter',
  'askErrorType',
  'askPredicate',
  'askCreate',
  'nounXtype',
  'nounXcallable',
  'askClass',
  'askAsync',
  'verbInName',
  'nameCos',
  'nameCosGap',
  'docHeading',
  'docHeadingRel',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;
const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

const CALLABLE = new Set(['function', 'method', 'getter', 'setter']);
const TYPE_LIKE = new Set(['class', 'interface', 'type', 'struct', 'enum', 'trait', 'property', 'constant', 'module', 'namespace']);

/** The query's stemmed content words, and its shape. */
export interface QueryShape {
  stems: Set<string>;
  /** Adjacent words written together ("times out" → timeout, timesout): how names join words. */
  compounds: Set<string>;
  /** The query's whole words, lower-cased (`getEnvConfig` stays one word): names the query writes out. */
  wholeWords: Set<string>;
  /** The stem of the sentence's first word when it may be a verb (not an article), for names that do it (`parse…`). */
  verb: string | null;
  /** What the query's wording asks for: a setter ("Set the …"), a getter ("Return the …"), an error type. */
  asks: {
    setter: boolean;
    getter: boolean;
    errorType: boolean;
    predicate: boolean;
    create: boolean;
    noun: boolean;
    class: boolean;
    async: boolean;
  };
  identifier: boolean;
  /** Words in the query (before stop words were dropped). */
  words: number;
  /** Which demotions the query lifts (priors.ts queryWants). */
  wants: QueryWants;
}

/** `pasted`: the query is a pasted text's extracted terms (issueText.ts), whose order says nothing of its wording. */
export function queryShape(query: string, wants: QueryWants, pasted = false): QueryShape {
  const words = query.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const compounds = new Set<string>();
  for (let i = 0; i + 1 < words.length; i += 1) {
    compounds.add(words[i]! + words[i + 1]!);
    compounds.add(stemOf(words[i]!) + stemOf(words[i + 1]!));
  }
  return {
    stems: new Set(queryTerms(query).map(stemOf)),
    compounds,
    wholeWords: new Set(wholeTokens(query)),
    asks: pasted
      ? NO_ASKS
      : {
          setter: SETTER_VERBS.has(words[0] ?? ''),
          getter: GETTER_VERBS.has(words[0] ?? ''),
          errorType: words.slice(0, 6).some((w) => ERROR_WORDS.has(w)),
          predicate:
            PREDICATE_VERBS.has(words[0] ?? '') ||
            /\b(whether|true (if|when|for)|checks? (if|whether))\b/.test(words.slice(0, 8).join(' ')),
          create: CREATE_VERBS.has(words[0] ?? ''),
          noun: ARTICLES.has(words[0] ?? ''),
          class: words.slice(0, 4).includes('class'),
          async: words.some((w) => w.startsWith('async')),
        },
    verb: !pasted && words[0] && !ARTICLES.has(words[0]) && words.length > 2 ? stemOf(words[0]) : null,
    identifier: isIdentifierLike(query),
    words: query.split(/\s+/).filter(Boolean).length,
    wants,
  };
}

const NO_ASKS: QueryShape['asks'] = {
  setter: false,
  getter: false,
  errorType: false,
  predicate: false,
  create: false,
  noun: false,
  class: false,
  async: false,
};
const SETTER_VERBS = new Set(['set', 'sets']);
const GETTER_VERBS = new Set(['get', 'gets', 'return', 'returns']);
const ERROR_WORDS = new Set(['error', 'errors', 'exception', 'exceptions', 'raised', 'thrown', 'raise', 'throw']);
const PREDICATE_VERBS = new Set(['check', 'checks', 'determine', 'determines', 'whether', 'test', 'tests']);
const CREATE_VERBS = new Set([
  'create',
  'creates',
  'construct',
  'constructs',
  'make',
  'makes',
  'build',
  'builds',
  'initialize',
  'initialise',
]);
const ARTICLES = new Set(['a', 'an', 'the']);
const PREDICATE_NAME = /^(is|has|should|can|must|was|will|allows?|check)([A-Z_]|$)/;
const CREATE_NAME = /^(create|new|make|build|init|__init__|constructor)([A-Z_]|$)/;
const ERROR_TYPE_NAME = /(error|exception|timeout|failure|fault)$/i;

/** The stem of a word of any case, as the lexical index makes it. */
function stemOf(token: string): string {
  return stem(token.toLowerCase());
}

/** The stems of a path or doc comment; the same candidates come back query after query, so memoized (bounded). */
const textStems = new Map<string, Set<string>>();
const EMPTY: Set<string> = new Set();
function stemsOf(text: string | null): Set<string> {
  if (!text) return EMPTY;
  let out = textStems.get(text);
  if (!out) {
    out = new Set(codeTokens(text, 400).map(stemOf));
    if (textStems.size >= 20_000) textStems.clear();
    textStems.set(text, out);
  }
  return out;
}

/** Share of the query's content words found in a set of stems (0 when the query has none). */
function cover(query: Set<string>, field: Set<string>): number {
  if (query.size === 0) return 0;
  let n = 0;
  for (const s of query) if (field.has(s)) n += 1;
  return n / query.size;
}

/** One feature vector per candidate chunk, in the order given. */
export function rankFeatures(chunks: IndexedChunk[], evidence: RetrieverEvidence, shape: QueryShape): Float64Array[] {
  const lexRank = new Map<number, number>();
  const lexScore = new Map<number, number>();
  evidence.lexical?.forEach((r, i) => {
    if (!lexRank.has(r.chunkId)) {
      lexRank.set(r.chunkId, i);
      lexScore.set(r.chunkId, r.score);
    }
  });
  const bestLex = evidence.lexical?.[0]?.score ?? 0;
  const lexRel = (chunkId: number) => (bestLex < 0 ? (lexScore.get(chunkId) ?? 0) / bestLex : 0);
  const semRank = new Map<number, number>();
  evidence.semantic?.forEach((id, i) => {
    if (!semRank.has(id)) semRank.set(id, i);
  });
  const symRank = new Map<number, number>();
  const symScore = new Map<number, number>();
  evidence.symbol?.forEach((r, i) => {
    if (!symRank.has(r.chunkId)) {
      symRank.set(r.chunkId, i);
      symScore.set(r.chunkId, r.score);
    }
  });
  let bestCos = 0;
  for (const c of evidence.cosine?.values() ?? []) bestCos = Math.max(bestCos, c);
  let bestNameCos = 0;
  for (const c of evidence.nameCosine?.values() ?? []) bestNameCos = Math.max(bestNameCos, c);
  const long = shape.words > 12 ? 1 : 0;
  const fileBest = new Map<number, number>();
  const fileCount = new Map<number, number>();
  for (const chunk of chunks) {
    const lr = lexRank.get(chunk.id);
    if (lr !== undefined) fileBest.set(chunk.fileId, Math.max(fileBest.get(chunk.fileId) ?? 0, 1 / (1 + lr)));
    fileCount.set(chunk.fileId, (fileCount.get(chunk.fileId) ?? 0) + 1);
  }

  const headings = documentedNames(chunks, lexRank, lexRel);

  return chunks.map((chunk) => {
    const x = new Float64Array(FEATURE_COUNT);
    x[F.bias] = 1;
    const lr = lexRank.get(chunk.id);
    if (lr !== undefined) {
      x[F.lexRecip] = 1 / (1 + lr);
      x[F.lexRel] = lexRel(chunk.id);
      x[F.lexTop3] = lr < 3 ? 1 : 0;
    }
    const sr = semRank.get(chunk.id);
    if (sr !== undefined) x[F.semRecip] = 1 / (1 + sr);
    const cos = evidence.cosine?.get(chunk.id);
    if (cos !== undefined) {
      x[F.cosine] = cos;
      x[F.cosineGap] = bestCos - cos;
      x[F.longXcos] = long * cos;
    }
    const nameCos = evidence.nameCosine?.get(chunk.id);
    if (nameCos !== undefined) {
      x[F.nameCos] = nameCos;
      x[F.nameCosGap] = bestNameCos - nameCos;
    }
    const yr = symRank.get(chunk.id);
    if (yr !== undefined) {
      x[F.symScore] = symScore.get(chunk.id) ?? 0;
      x[F.symRecip] = 1 / (1 + yr);
    }
    x[F.identQuery] = shape.identifier ? 1 : 0;
    x[F.identXsym] = shape.identifier ? x[F.symScore]! : 0;
    x[F.identXlex] = shape.identifier ? x[F.lexRecip]! : 0;
    const last = chunk.symbol ? symbolName(chunk.symbol) : '';
    const parts = splitIdentifier(last);
    const name = new Set(parts.map(stemOf));
    x[F.nameCover] = cover(shape.stems, name);
    const named = [...name].filter((s) => shape.stems.has(s) || shape.compounds.has(s)).length;
    x[F.nameExact] = name.size > 0 && named === name.size ? 1 : 0;
    x[F.nameFrac] = name.size > 0 ? named / name.size : 0;
    x[F.pathCover] = cover(shape.stems, stemsOf(chunk.path));
    x[F.docCover] = cover(shape.stems, stemsOf(chunk.doc));
    x[F.kindCallable] = CALLABLE.has(chunk.kind) ? 1 : 0;
    x[F.kindType] = TYPE_LIKE.has(chunk.kind) ? 1 : 0;
    x[F.kindBlock] = chunk.kind === 'block' ? 1 : 0;
    x[F.kindText] = chunk.kind === 'section' || chunk.kind === 'text' ? 1 : 0;
    x[F.hasDoc] = chunk.doc ? 1 : 0;
    const demoted = demotions(chunk, shape.wants);
    x[F.test] = demoted.test ? 1 : 0;
    x[F.example] = demoted.example ? 1 : 0;
    x[F.docFile] = demoted.docs ? 1 : 0;
    x[F.logLines] = Math.log1p(chunk.endLine - chunk.startLine + 1) / 5;
    x[F.longQuery] = long;
    x[F.fileBestLex] = fileBest.get(chunk.fileId) ?? 0;
    x[F.fileHits] = Math.log1p(fileCount.get(chunk.fileId) ?? 0) / 3;
    x[F.nameFracXlex] = x[F.nameFrac]! * x[F.lexRecip]!;
    x[F.vendored] = demoted.vendored ? 1 : 0;
    x[F.kindImports] = demoted.imports ? 1 : 0;
    const mentioned = last.length >= 3 && shape.wholeWords.has(last.toLowerCase().replaceAll('$', ''));
    // A name of several words written out is specific (`getEnvConfig`); a one-word one (`search`, `Logger`) may be prose.
    x[F.nameMentionedCompound] = mentioned && parts.length > 1 ? 1 : 0;
    x[F.askSetter] = shape.asks.setter && (chunk.kind === 'setter' || /^set[A-Z_]/.test(last)) ? 1 : 0;
    x[F.askGetter] = shape.asks.getter && (chunk.kind === 'getter' || /^_?get[A-Z_]/.test(last)) ? 1 : 0;
    x[F.verbInName] = shape.verb !== null && name.has(shape.verb) ? 1 : 0;
    x[F.askPredicate] = shape.asks.predicate && PREDICATE_NAME.test(last) ? 1 : 0;
    x[F.askCreate] = shape.asks.create && CREATE_NAME.test(last) ? 1 : 0;
    x[F.nounXtype] = shape.asks.noun && TYPE_LIKE.has(chunk.kind) ? 1 : 0;
    x[F.nounXcallable] = shape.asks.noun && CALLABLE.has(chunk.kind) ? 1 : 0;
    x[F.askClass] = shape.asks.class && chunk.kind === 'class' ? 1 : 0;
    x[F.askAsync] = shape.asks.async && /async/i.test(last) ? 1 : 0;
    x[F.askErrorType] = shape.asks.errorType && TYPE_LIKE.has(chunk.kind) && ERROR_TYPE_NAME.test(last) ? 1 : 0;
    const heading = chunk.kind === 'section' || last.length < 3 ? undefined : headings.get(last);
    if (heading) {
      x[F.docHeading] = heading.recip;
      x[F.docHeadingRel] = heading.rel;
    }
    return x;
  });
}

/**
 * The names that documentation sections found by the lexical retriever are headed by (`### request.href`,
 * `##### hooks.beforeRequest`, `` ## `Client` ``), with the best such section's lexical rank and relative score: a
 * project's API documentation says in prose what a definition's name does not, and its heading names the definition.
 */
function documentedNames(
  chunks: IndexedChunk[],
  lexRank: Map<number, number>,
  lexRel: (chunkId: number) => number,
): Map<string, { recip: number; rel: number }> {
  const out = new Map<string, { recip: number; rel: number }>();
  for (const chunk of chunks) {
    const rank = lexRank.get(chunk.id);
    if (chunk.kind !== 'section' || !chunk.symbol || rank === undefined) continue;
    const recip = 1 / (1 + rank);
    const rel = lexRel(chunk.id);
    for (const name of headingNames(chunk.symbol)) {
      const seen = out.get(name);
      if (!seen || seen.recip < recip) out.set(name, { recip, rel });
    }
  }
  return out;
}

/**
 * The code names a heading holds: each dotted name's last part, where the name reads as code (dotted, snake or camel
 * case, in backticks, called, or the heading's only word) rather than as a heading's prose ("Sending form data").
 */
export function headingNames(heading: string): string[] {
  const words = heading.match(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g) ?? [];
  const names: string[] = [];
  for (const word of words) {
    const at = heading.indexOf(word);
    const codeLike = words.length === 1 || /[._$]|[a-z][A-Z]/.test(word) || heading[at - 1] === '`' || heading[at + word.length] === '(';
    if (codeLike) names.push(word.split('.').pop()!);
  }
  return names;
}
