import { type IdentifierSite, identifierSites } from '../search/identifierSites.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { isTestPath, languagesFor, PROGRAM_LANGUAGE_IDS } from '../shared/languages.js';
import { REFERENCES_LIMIT } from '../shared/searchLimits.js';
import type { IndexedSymbol, IndexFilter } from '../store/index.js';
import type { RequestContext } from './context.js';
import { resolveRepo, visibleRepos } from './repoGate.js';
import { requireIndexed } from './searchCode.js';

/** Candidate files read from the store per page. */
const CANDIDATE_PAGE = 200;
/** Reference sites a scan collects before it stops (a name like `err` in a large Go corpus), marked partial. */
const MAX_SITES = 100_000;
/** Characters of a reference's line shown. */
const MAX_TEXT = 200;
/** Definitions listed. */
const MAX_DEFINITIONS = 200;

/**
 * Languages searched unless `language` is given: program code. Prose and data (markdown, text, JSON, YAML,
 * TOML, HTML, CSS, SQL) mention names without using them; `language` asks for them explicitly.
 */

const SEGMENT = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

export interface FindReferencesParams {
  /** An identifier (`parseConfig`), or a qualified name (`Router.handle`, `pkg::f`) whose last part is searched. */
  symbol: string;
  repos?: string[];
  language?: string;
  limit?: number;
}

export interface ReferenceDefinition {
  repo: string;
  path: string;
  line: number;
  kind: string;
  qualifiedName: string;
}

export interface Reference {
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  /** The line, trimmed, at most 200 characters around the occurrence. */
  text: string;
  /** The innermost indexed definition containing the line (a function, method, class…), null at top level. */
  enclosing: { name: string; kind: string; startLine: number } | null;
}

export interface ReferenceFile {
  repo: string;
  path: string;
  language: string;
  /** References in this file, all of them (the answer stops listing files once the limit is reached). */
  count: number;
  references: Reference[];
}

export interface FindReferencesResult {
  symbol: string;
  definitions: ReferenceDefinition[];
  /** Every reference found (the files listed may hold fewer, see truncated). */
  total: number;
  totalFiles: number;
  files: ReferenceFile[];
  /** Some references found are not listed (the limit), or the scan stopped early (partial). */
  truncated: boolean;
  /** Present (true) when the scan stopped before covering every candidate file; why in partialReason. */
  partial?: true;
  partialReason?: string;
  /** What to try when nothing was found. */
  hint?: string;
  tookMs: number;
}

/** One file with references, before its lines are read back for the answer. */
interface FoundFile {
  fileId: number;
  repoId: number;
  path: string;
  language: string;
  sites: IdentifierSite[];
}

/** The name searched and the qualifier a definition must end with (`Router.handle`), from the caller's symbol. */
function parseSymbol(raw: string): { identifier: string; qualified: string | null } {
  const symbol = raw.trim();
  const parts = symbol.split(/::|->|#|\./);
  if (!symbol || symbol.length > 300 || !parts.every((p) => SEGMENT.test(p))) {
    throw new GitloreError(
      ERROR_CODES.QUERY_INVALID,
      symbol ? `${JSON.stringify(symbol.slice(0, 80))} is not an identifier.` : 'The symbol is empty.',
      { hint: 'Pass one name as written in code, such as `parseConfig` or `Router.handle` (case-sensitive).' },
    );
  }
  return { identifier: parts.at(-1) as string, qualified: parts.length > 1 ? parts.join('.') : null };
}

/** The innermost definition holding a line (smallest range; the later start on a tie). */
function enclosingSymbol(symbols: readonly IndexedSymbol[], line: number): Reference['enclosing'] {
  let best: IndexedSymbol | null = null;
  for (const s of symbols) {
    if (s.startLine > line || s.endLine < line) continue;
    if (
      !best ||
      s.endLine - s.startLine < best.endLine - best.startLine ||
      (s.endLine - s.startLine === best.endLine - best.startLine && s.startLine > best.startLine)
    )
      best = s;
  }
  return best ? { name: best.qualified || best.name, kind: best.kind, startLine: best.startLine } : null;
}

/**
 * The sites that are not a definition of the name: for each indexed definition named exactly so, its
 * first occurrence within the definition's lines is where it is declared (`def parse`, `func (r *R) Parse`);
 * and a name right after a declaration keyword (a function nested in another, which the index does not list).
 */
function withoutDefinitions(sites: IdentifierSite[], symbols: readonly IndexedSymbol[], identifier: string): IdentifierSite[] {
  const declared = new Set<IdentifierSite>(sites.filter((x) => x.declares));
  for (const s of symbols) {
    if (s.name !== identifier) continue;
    const site = sites.find((x) => x.line >= s.startLine && x.line <= s.endLine);
    if (site) declared.add(site);
  }
  return declared.size === 0 ? sites : sites.filter((x) => !declared.has(x));
}

/** The line shown for a reference: trimmed, and cut to a window around the occurrence when long. */
function lineText(line: string, column: number): string {
  const trimmed = line.trim();
  if (trimmed.length <= MAX_TEXT) return trimmed;
  const lead = line.length - line.trimStart().length;
  const start = Math.max(0, Math.min(column - 1 - lead - MAX_TEXT / 2, trimmed.length - MAX_TEXT));
  return `${start > 0 ? '…' : ''}${trimmed.slice(start, start + MAX_TEXT)}${start + MAX_TEXT < trimmed.length ? '…' : ''}`;
}

/**
 * `find_references`: where a name is used, search-based. The store's trigram prefilter names the files
 * that may hold the identifier; each is scanned for it as a whole word (case-sensitive) outside comments
 * and strings (search/identifierSites.ts); the declaration of each indexed definition of that name is
 * left out; each use carries the innermost definition around it. Files in a repository that defines
 * the name come first, then the files with most uses.
 */
export async function findReferences(params: FindReferencesParams, ctx: RequestContext): Promise<FindReferencesResult> {
  const started = Date.now();
  const { store, config } = ctx.services;
  ctx.signal.throwIfAborted();
  const { identifier, qualified } = parseSymbol(params.symbol);
  const limit = params.limit ?? REFERENCES_LIMIT.default;
  if (!Number.isInteger(limit) || limit < REFERENCES_LIMIT.min || limit > REFERENCES_LIMIT.max) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid limit ${params.limit}.`, {
      hint: `Use an integer from ${REFERENCES_LIMIT.min} to ${REFERENCES_LIMIT.max}.`,
    });
  }
  const languages = params.language ? languagesFor(params.language) : [...PROGRAM_LANGUAGE_IDS]; // program code unless asked: prose and data mention names without using them
  const named = await Promise.all((params.repos ?? []).map((name) => resolveRepo(ctx, name)));
  const states = new Map((await store.index.listStates()).map((s) => [s.repoId, s]));
  requireIndexed(named, states);
  const visible = await visibleRepos(ctx);
  const scope = named.length > 0 ? named : visible;
  const names = new Map(visible.map((r) => [r.id, r.name]));
  const empty = (hint?: string): FindReferencesResult => ({
    symbol: params.symbol.trim(),
    definitions: [],
    total: 0,
    totalFiles: 0,
    files: [],
    truncated: false,
    ...(hint ? { hint } : {}),
    tookMs: Date.now() - started,
  });
  // An empty id list would mean "no filter" to the store: a principal who sees nothing gets nothing.
  if (scope.length === 0) return empty('No repository is visible to you; `gitlore repo list` shows the registered ones.');
  const filter: IndexFilter = { repoIds: [...new Set(scope.map((r) => r.id))], languages };

  const definitions = (await store.index.symbols({ names: [identifier.toLowerCase()] }, filter, MAX_DEFINITIONS * 4))
    .filter((s) => s.name === identifier && names.has(s.repoId))
    .filter((s) => !qualified || s.qualified === qualified || s.qualified.endsWith(`.${qualified}`))
    .sort((a, b) => Number(isTestPath(a.path)) - Number(isTestPath(b.path)) || a.path.localeCompare(b.path) || a.startLine - b.startLine)
    .slice(0, MAX_DEFINITIONS);

  const deadline = started + config.searchTimeoutMs;
  const found: FoundFile[] = [];
  let total = 0;
  let partialReason: string | null = null;
  let afterId = 0;
  scan: for (;;) {
    const page = await store.index.regexCandidates([[identifier]], filter, afterId, CANDIDATE_PAGE);
    for (const file of page) {
      ctx.signal.throwIfAborted();
      const sites = identifierSites(file.content, file.language, identifier);
      if (sites.length === 0) continue;
      const uses = withoutDefinitions(sites, await store.index.fileSymbols(file.id), identifier);
      if (uses.length === 0) continue;
      found.push({ fileId: file.id, repoId: file.repoId, path: file.path, language: file.language, sites: uses });
      total += uses.length;
      if (total >= MAX_SITES) {
        partialReason = `the scan stopped after ${MAX_SITES} references; narrow it with repos or language`;
        break scan;
      }
    }
    if (page.length < CANDIDATE_PAGE) break;
    afterId = (page.at(-1) as { id: number }).id;
    if (Date.now() >= deadline) {
      partialReason = `the time budget of ${config.searchTimeoutMs} ms (GITLORE_SEARCH_TIMEOUT_MS) ran out before every candidate file was scanned`;
      break;
    }
  }

  const defining = new Set(definitions.map((d) => d.repoId));
  found.sort(
    (a, b) =>
      Number(defining.has(b.repoId)) - Number(defining.has(a.repoId)) ||
      b.sites.length - a.sites.length ||
      Number(isTestPath(a.path)) - Number(isTestPath(b.path)) ||
      (names.get(a.repoId) ?? '').localeCompare(names.get(b.repoId) ?? '') ||
      a.path.localeCompare(b.path),
  );
  const files: ReferenceFile[] = [];
  let listed = 0;
  for (const file of found) {
    if (listed >= limit) break;
    const [content, symbols] = await Promise.all([store.index.fileContent(file.fileId), store.index.fileSymbols(file.fileId)]);
    const lines = (content ?? '').split('\n');
    const shown = file.sites.slice(0, limit - listed);
    listed += shown.length;
    files.push({
      repo: names.get(file.repoId) ?? String(file.repoId),
      path: file.path,
      language: file.language,
      count: file.sites.length,
      references: shown.map((site) => ({
        line: site.line,
        column: site.column,
        text: lineText(lines[site.line - 1] ?? '', site.column),
        enclosing: enclosingSymbol(symbols, site.line),
      })),
    });
  }
  const result: FindReferencesResult = {
    symbol: params.symbol.trim(),
    definitions: definitions.map((d) => ({
      repo: names.get(d.repoId) ?? String(d.repoId),
      path: d.path,
      line: d.startLine,
      kind: d.kind,
      qualifiedName: d.qualified,
    })),
    total,
    totalFiles: found.length,
    files,
    truncated: listed < total || partialReason !== null,
    tookMs: Date.now() - started,
  };
  if (partialReason) Object.assign(result, { partial: true, partialReason });
  if (total === 0 && definitions.length === 0) {
    result.hint = `Nothing in the indexed ${params.language ? `${params.language} ` : ''}code uses or defines ${identifier} (names are case-sensitive); try \`gitlore search ${identifier}\`.`;
  }
  return result;
}
