import { isIdentifierLike } from '../shared/codeTokens.js';
import { isTestPath } from '../shared/languages.js';
import type { IndexedSymbol, IndexFilter, Store } from '../store/index.js';
import type { RankingParams } from './rankingParams.js';

/** Identifiers in a query: whole words like fooBar / foo_bar / Foo.bar, lower-cased. */
export function queryIdentifiers(query: string): { whole: string[]; qualified: string[]; identifierish: string[] } {
  const words = query.match(/[A-Za-z_$][\w$]*(?:(?:\.|::|#|->)[A-Za-z_$][\w$]*)*/g) ?? [];
  const qualified = words.filter((w) => /\.|::|#|->/.test(w)).map((w) => w.replace(/::|#|->/g, '.').toLowerCase());
  const whole = new Set<string>();
  for (const w of words) {
    const parts = w.split(/\.|::|#|->/);
    const last = parts[parts.length - 1];
    if (last) whole.add(last.toLowerCase());
  }
  const identifierish = words
    .filter((w) => /[a-z][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]|\.|::|#|->|^[A-Z]{2,}[a-z]/.test(w))
    .map((w) => (w.split(/\.|::|#|->/).pop() ?? w).toLowerCase());
  return { whole: [...whole].filter((w) => w.length >= 2), qualified, identifierish: [...new Set(identifierish)] };
}

/** Chunks holding definitions named in the query, scored by how the name matched, best first. */
export async function symbolList(
  store: Store,
  query: string,
  filter: IndexFilter,
  params: RankingParams,
  limit: number,
): Promise<{ chunkId: number; score: number }[]> {
  const ids = queryIdentifiers(query);
  const identifier = isIdentifierLike(query);
  // Prose: only words written like identifiers (getUser, user_id, Foo.bar) count; plain English
  // words matching symbol names ("request", "header") are noise that drowns the lexical ranking.
  const names = identifier ? ids.whole : ids.identifierish;
  const exact = await store.index.symbols({ names, qualified: ids.qualified }, filter, limit * 4);
  const prefix = identifier && ids.whole.length > 0 ? await store.index.symbols({ names: ids.whole, prefix: true }, filter, limit * 2) : [];
  const wholeSet = new Set(ids.whole);
  const qualifiedSet = new Set(ids.qualified);
  const scored = new Map<number, { sym: IndexedSymbol; score: number }>();
  for (const sym of [...exact, ...prefix]) {
    const lower = sym.name.toLowerCase();
    let score = params.symbolMatch.prefix;
    if (qualifiedSet.has(sym.qualified.toLowerCase())) score = params.symbolMatch.qualified;
    else if (identifier && wholeSet.has(lower)) score = params.symbolMatch.exactWhole;
    else if (lower === names.find((n) => n === lower)) score = params.symbolMatch.exactToken;
    if (isTestPath(sym.path)) score *= params.priors.test;
    const prev = scored.get(sym.id);
    if (!prev || prev.score < score) scored.set(sym.id, { sym, score });
  }
  const ranked = [...scored.values()].sort((a, b) => b.score - a.score || a.sym.path.length - b.sym.path.length).slice(0, limit);
  const out: { chunkId: number; score: number }[] = [];
  const seen = new Set<number>();
  const containing = await store.index.chunksAtLines(ranked.map(({ sym }) => ({ fileId: sym.fileId, line: sym.startLine })));
  for (const [i, { sym, score }] of ranked.entries()) {
    const chunks = containing[i]!;
    const best = chunks.find((c) => c.symbol === sym.qualified) ?? chunks[0];
    if (best && !seen.has(best.id)) {
      seen.add(best.id);
      out.push({ chunkId: best.id, score });
    }
  }
  return out;
}
