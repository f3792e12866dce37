/**
 * Synthetic training pairs for the ranker, made from a repository's own documented code (never from the
 * eval's queries or their gold symbols): the first sentence of a doc comment is a query and the documented
 * definition its answer — as written (the with-docs regime), and in a copy of the tree where that sentence
 * was deleted (the stripped regime: the words of the query are not in the answer) — plus identifier
 * queries (a definition's name → the definition).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../src/core/app.js';
import { isExamplePath, isTestPath } from '../../src/shared/languages.js';
import type { IndexedChunk } from '../../src/store/index.js';
import { EVAL_WORK_DIR, type QueryRow } from '../eval/dataset.js';

export interface SyntheticPair {
  repo: string;
  query: string;
  /** The answer: a chunk of this path whose symbol is this one. */
  path: string;
  symbol: string;
  /** Identifier queries accept any definition of the name. */
  anyOfName?: boolean;
  /** Where the sentence sits in the file (for the stripped tree). */
  deletion?: { start: number; end: number };
  /** The answer chunk's lines and the file's content (doc pairs). */
  lines?: { startLine: number; endLine: number; context: string | null };
  content?: string;
}

const SKIP = /\b(todo|deprecated|alias|internal|https?:)/i;

/** The doc comment's first sentence, cleaned of markup, or null when it is not a usable query. */
export function firstSentence(doc: string): { raw: string; query: string } | null {
  const text = doc.trim();
  if (text.startsWith('@') || text.startsWith(':')) return null;
  const para = text.split(/\n\s*\n/)[0] ?? '';
  const m = para.match(/^[\s\S]*?[.!?](?=\s|$)/);
  const raw = (m ? m[0] : para).trim();
  const query = raw
    .replace(/:\w+:`~?([^`]+)`/g, '$1')
    .replace(/\{@link\s+([^}]+)\}/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/`+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const words = query.split(' ').length;
  if (words < 4 || words > 40 || SKIP.test(query)) return null;
  return { raw, query };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where the raw sentence is in the file content (between its words: spaces and comment markers), or null. */
export function locate(content: string, raw: string, fromLine: number, toLine: number): { start: number; end: number } | null {
  const lines = content.split('\n');
  const start = lines.slice(0, Math.max(0, fromLine - 1)).reduce((a, l) => a + l.length + 1, 0);
  const end = lines.slice(0, toLine).reduce((a, l) => a + l.length + 1, 0);
  const pattern = new RegExp(raw.split(/\s+/).map(escapeRe).join('(?:\\s|\\*|//|#)+'));
  const m = pattern.exec(content.slice(start, end));
  return m ? { start: start + m.index, end: start + m.index + m[0].length } : null;
}

const key = (s: string) => createHash('sha1').update(s).digest('hex');

/** Every chunk of the repo's index, by file (paged through the store's ports). */
async function allChunks(app: App, repoId: number): Promise<{ chunks: IndexedChunk[]; content: string }[]> {
  const out: { chunks: IndexedChunk[]; content: string }[] = [];
  let after = 0;
  for (;;) {
    const page = await app.store.index.fileChunks(after, 200);
    if (page.length === 0) break;
    for (const f of page) {
      after = f.fileId;
      const chunks = await app.store.index.chunksAt(f.fileId, 1, 1e9);
      if (chunks[0]?.repoId === repoId) out.push({ chunks, content: f.content });
    }
  }
  return out;
}

/** Up to `perRepo` doc pairs and `perRepo / 3` identifier pairs of one repository, chosen by a hash (stable). */
export async function syntheticPairs(
  app: App,
  repo: string,
  repoId: number,
  exclude: QueryRow[],
  perRepo: number,
): Promise<SyntheticPair[]> {
  const excluded = (c: IndexedChunk) =>
    exclude.some((q) => q.gold_path === c.path && c.startLine <= q.end_line && c.endLine >= q.start_line);
  const evalQueries = new Set(exclude.map((q) => q.query.toLowerCase()));
  const docPairs: (SyntheticPair & { h: string })[] = [];
  const namePairs: (SyntheticPair & { h: string })[] = [];
  const seenQuery = new Set<string>();
  for (const file of await allChunks(app, repoId)) {
    for (const c of file.chunks) {
      if (
        !c.symbol ||
        c.kind === 'block' ||
        c.kind === 'section' ||
        c.kind === 'text' ||
        isTestPath(c.path) ||
        isExamplePath(c.path) ||
        excluded(c)
      )
        continue;
      const name = c.symbol.split(/[.:#]/).pop() ?? c.symbol;
      if (name.length >= 3)
        namePairs.push({
          repo,
          query: c.symbol.includes('.') && key(c.symbol)[0]! < '5' ? c.symbol : name,
          path: c.path,
          symbol: c.symbol,
          anyOfName: true,
          h: key(`n${c.path}${c.symbol}`),
        });
      if (!c.doc) continue;
      const s = firstSentence(c.doc);
      if (!s || evalQueries.has(s.query.toLowerCase()) || seenQuery.has(s.query)) continue;
      const where = locate(file.content, s.raw, Math.max(1, c.startLine - 40), c.endLine);
      if (!where) continue;
      seenQuery.add(s.query);
      docPairs.push({
        repo,
        query: s.query,
        path: c.path,
        symbol: c.symbol,
        deletion: where,
        lines: { startLine: c.startLine, endLine: c.endLine, context: c.context },
        content: file.content,
        h: key(`d${c.path}${c.symbol}${s.query}`),
      });
    }
  }
  const pick = <T extends { h: string }>(xs: T[], n: number) => xs.sort((a, b) => (a.h < b.h ? -1 : 1)).slice(0, n);
  return [...pick(docPairs, perRepo), ...pick(namePairs, Math.ceil(perRepo / 3))].map(({ h: _, ...p }) => p);
}

/** A copy of `source` (a git work tree) with the pairs' sentences deleted and committed; its path. */
export function strippedTree(source: string, repo: string, pairs: SyntheticPair[]): string {
  const dir = join(EVAL_WORK_DIR, 'train-stripped', repo);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'train',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 'train',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  execFileSync('git', ['clone', '-q', '--shared', source, dir], { env });
  const byFile = new Map<string, { start: number; end: number }[]>();
  for (const p of pairs) if (p.deletion) byFile.set(p.path, [...(byFile.get(p.path) ?? []), p.deletion]);
  for (const [path, spans] of byFile) {
    const file = join(dir, path);
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    for (const s of spans.sort((a, b) => b.start - a.start)) text = text.slice(0, s.start) + text.slice(s.end);
    writeFileSync(file, text);
  }
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', `train: strip ${pairs.length} sentences`], { cwd: dir, env });
  return dir;
}
