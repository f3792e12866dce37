import { filesWithChunks } from '../indexCommon.js';
import type { IndexedChunk, IndexedSymbol, IndexStats, IndexStore } from '../indexStore.js';
import { literalTrigramTerms } from '../sqlite/trigramTerms.js';
import type { PgDb } from './database.js';
import { filterSql, liveGeneration, liveRowsSql, readMeta, SqlParams } from './indexShared.js';
import type { PgIndexWrites } from './indexWrites.js';
import { lexicalSearch } from './lexicalSearch.js';

const CHUNK_COLUMNS = `c.id, c.repo_id AS "repoId", c.file_id AS "fileId", f.path, f.language, c.start_line AS "startLine",
  c.end_line AS "endLine", c.kind, c.symbol, c.doc, c.context, c.hash, f.vendored`;
const CHUNK_SELECT = `SELECT ${CHUNK_COLUMNS} FROM index_chunks c JOIN index_files f ON f.id = c.file_id`;
const SYMBOL_SELECT = `SELECT s.id, s.repo_id AS "repoId", s.file_id AS "fileId", f.path, f.language, s.name, s.qualified, s.kind,
  s.signature, s.start_line AS "startLine", s.end_line AS "endLine" FROM index_symbols s JOIN index_files f ON f.id = s.file_id`;

/** `%`, `_` and `\` of a LIKE pattern taken literally (backslash is PostgreSQL's default escape). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** SQLite's LIKE folds ASCII letters only. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The order SQLite's plans return symbols in, which decides what the limit keeps: a prefix search scans the table
 * (by id); names and qualified names come from their indexes, name matches first, each by the indexed value.
 */
function symbolOrder(query: { names: string[]; qualified?: string[]; prefix?: boolean }, firstCondition: string): string {
  if (query.prefix) return 's.id';
  if (query.names.length === 0) return 's.qualified_lower COLLATE "C", s.id';
  if (!query.qualified?.length) return 's.name_lower COLLATE "C", s.id';
  return `(${firstCondition}) DESC, CASE WHEN ${firstCondition} THEN s.name_lower ELSE s.qualified_lower END COLLATE "C", s.id`;
}

export type PgIndexReads = Omit<
  IndexStore,
  keyof PgIndexWrites | 'vectorMatrix' | 'nearest' | 'vectorsOf' | 'refreshVectorIndex' | 'vectorSearchInfo'
>;

/** Query side of the PostgreSQL index store, less the vector search (vectorSearch.ts). */
export function createPgIndexReads(db: PgDb): PgIndexReads {
  return {
    async fileBlobs(repoId, generation) {
      const rows = await db.rows<{ path: string; blob: string }>(
        'SELECT path, blob FROM index_files WHERE repo_id = $1 AND generation = $2',
        [repoId, generation ?? (await liveGeneration(db.pool, repoId))],
      );
      return new Map(rows.map((r) => [r.path, r.blob]));
    },
    async stats(repoId, model): Promise<IndexStats> {
      const repo = await db.row<{ generation: number; other_generation: number | null }>(
        'SELECT generation, other_generation FROM index_repos WHERE repo_id = $1',
        [repoId],
      );
      const generation = repo?.generation ?? 0;
      const files = (await db.row<{ n: number; bytes: number }>(
        'SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM index_files WHERE repo_id = $1 AND generation = $2',
        [repoId, generation],
      ))!;
      // Chunk and symbol rows carry no generation: while the repo has rows of another one, they are counted through the live files.
      const rebuilding = repo?.other_generation != null;
      const scope = rebuilding ? 'file_id IN (SELECT id FROM index_files WHERE repo_id = $1 AND generation = $2)' : 'repo_id = $1';
      const params = rebuilding ? [repoId, generation] : [repoId];
      const count = async (sql: string, extra: unknown[] = []) => (await db.row<{ n: number }>(sql, [...params, ...extra]))!.n;
      const chunks = await count(`SELECT count(*) AS n FROM index_chunks WHERE ${scope}`);
      const symbols = await count(`SELECT count(*) AS n FROM index_symbols WHERE ${scope}`);
      const embedded = model
        ? await count(
            `SELECT count(*) AS n FROM index_chunks c WHERE ${scope}
             AND EXISTS (SELECT 1 FROM index_vectors v WHERE v.hash = c.hash AND v.model = $${params.length + 1})`,
            [model],
          )
        : 0;
      return { files: files.n, chunks, symbols, embedded, bytes: files.bytes };
    },
    lexical: (query, filter, limit) => lexicalSearch(db, query, filter, limit),
    async symbols(query, filter, limit) {
      const params = new SqlParams();
      const conds: string[] = [];
      if (query.names.length > 0) {
        conds.push(
          query.prefix
            ? `s.name_lower LIKE ANY(${params.add(query.names.map((n) => `${likeLiteral(asciiLower(n))}%`))}::text[])`
            : `s.name_lower = ANY(${params.add(query.names)}::text[])`,
        );
      }
      if (query.qualified && query.qualified.length > 0) conds.push(`s.qualified_lower = ANY(${params.add(query.qualified)}::text[])`);
      if (conds.length === 0) return [];
      const kind = query.kind ? ` AND s.kind = ${params.add(query.kind)}` : '';
      const where = filterSql(filter, 's.repo_id', 'f.language', params) + (await liveRowsSql(db.pool, 'f', params));
      const order = symbolOrder(query, conds[0]!);
      return db.rows<IndexedSymbol>(
        `${SYMBOL_SELECT} WHERE (${conds.join(' OR ')})${kind}${where} ORDER BY ${order} LIMIT ${params.add(limit)}`,
        params.values,
      );
    },
    async fileSymbols(fileId) {
      return db.rows<IndexedSymbol>(`${SYMBOL_SELECT} WHERE s.file_id = $1 ORDER BY s.start_line, s.end_line DESC, s.id`, [fileId]);
    },
    async chunks(ids) {
      if (ids.length === 0) return [];
      const rows = await db.rows<IndexedChunk>(`${CHUNK_SELECT} WHERE c.id = ANY($1::int[])`, [ids]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id)).filter((r): r is IndexedChunk => r !== undefined);
    },
    async chunksAt(fileId, startLine, endLine) {
      return db.rows<IndexedChunk>(
        `${CHUNK_SELECT} WHERE c.file_id = $1 AND c.start_line <= $2 AND c.end_line >= $3 ORDER BY (c.end_line - c.start_line), c.id`,
        [fileId, endLine, startLine],
      );
    },
    async chunksAtLines(points) {
      const out: IndexedChunk[][] = points.map(() => []);
      if (points.length === 0) return out;
      const rows = await db.rows<IndexedChunk & { k: number }>(
        `SELECT p.k::int AS k, ${CHUNK_COLUMNS}
         FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS p(fid, line, k)
         JOIN index_chunks c ON c.file_id = p.fid AND c.start_line <= p.line AND c.end_line >= p.line
         JOIN index_files f ON f.id = c.file_id ORDER BY p.k, (c.end_line - c.start_line), c.id`,
        [points.map((p) => p.fileId), points.map((p) => p.line)],
      );
      for (const { k, ...chunk } of rows) out[k - 1]!.push(chunk);
      return out;
    },
    async fileContent(fileId) {
      return (await db.row<{ content: string }>('SELECT content FROM index_files WHERE id = $1', [fileId]))?.content ?? null;
    },
    async fileContents(fileIds) {
      const rows = await db.rows<{ id: number; content: string }>('SELECT id, content FROM index_files WHERE id = ANY($1::int[])', [
        [...new Set(fileIds)],
      ]);
      return new Map(rows.map((r) => [r.id, r.content]));
    },
    async fileId(repoId, path) {
      const row = await db.row<{ id: number }>('SELECT id FROM index_files WHERE repo_id = $1 AND generation = $2 AND path = $3', [
        repoId,
        await liveGeneration(db.pool, repoId),
        path,
      ]);
      return row?.id ?? null;
    },
    async regexCandidates(literals, filter, afterId, limit) {
      const params = new SqlParams();
      const after = params.add(afterId);
      const where = filterSql(filter, 'f.repo_id', 'f.language', params) + (await liveRowsSql(db.pool, 'f', params));
      // The trigram words SQLite's prefilter asks for (indexWrites stores each file's words as a tsvector): all
      // words of a group's literals ANDed, the groups ORed; a group without any word lets every file through.
      const groups = literals.filter((group) => group.length > 0).map((group) => [...new Set(group.flatMap(literalTrigramTerms))]);
      const match =
        groups.length === 0 || groups.some((words) => words.length === 0)
          ? ''
          : ` AND f.grams @@ ${params.add(groups.map((words) => `(${words.join(' & ')})`).join(' | '))}::tsquery`;
      return db.rows<{ id: number; repoId: number; path: string; language: string; content: string }>(
        `SELECT f.id, f.repo_id AS "repoId", f.path, f.language, f.content FROM index_files f
         WHERE f.id > ${after}${match}${where} ORDER BY f.id LIMIT ${params.add(limit)}`,
        params.values,
      );
    },
    async missingVectors(model, limit, repoIds, afterChunkId = 0) {
      const repoSql = repoIds && repoIds.length > 0 ? ' AND c.repo_id = ANY($4::int[])' : '';
      const rows = await db.rows<{ id: number; hash: string; fileId: number; startLine: number; endLine: number; context: string | null }>(
        `SELECT c.id, c.hash, c.file_id AS "fileId", c.start_line AS "startLine", c.end_line AS "endLine", c.context FROM index_chunks c
         WHERE c.id > $1 AND NOT EXISTS (SELECT 1 FROM index_vectors v WHERE v.hash = c.hash AND v.model = $2)${repoSql}
         ORDER BY c.id LIMIT $3`,
        [afterChunkId, model, limit, ...(repoSql ? [repoIds] : [])],
      );
      // One copy of each file's content per batch, shared by its chunks.
      const fileIds = [...new Set(rows.map((r) => r.fileId))];
      const files = await db.rows<{ id: number; content: string }>('SELECT id, content FROM index_files WHERE id = ANY($1::int[])', [
        fileIds,
      ]);
      const contents = new Map(files.map((f) => [f.id, f.content]));
      return rows.map((row) => ({ ...row, content: contents.get(row.fileId) ?? '' }));
    },
    async getMeta(key) {
      return readMeta(db.pool, key);
    },
    async fileChunks(afterFileId, limit) {
      const params = new SqlParams();
      const after = params.add(afterFileId);
      const live = await liveRowsSql(db.pool, 'f', params);
      const files = await db.rows<{ id: number; content: string }>(
        `SELECT f.id, f.content FROM index_files f WHERE f.id > ${after}${live} ORDER BY f.id LIMIT ${params.add(limit)}`,
        params.values,
      );
      if (files.length === 0) return [];
      const rows = await db.rows<{ fileId: number; startLine: number; endLine: number; context: string | null }>(
        `SELECT file_id AS "fileId", start_line AS "startLine", end_line AS "endLine", context FROM index_chunks
         WHERE file_id = ANY($1::int[]) ORDER BY file_id, start_line, id`,
        [files.map((f) => f.id)],
      );
      return filesWithChunks(files, rows);
    },
    async chunkCount() {
      const params = new SqlParams();
      const live = await liveRowsSql(db.pool, 'f', params);
      if (!live) return (await db.row<{ n: number }>('SELECT coalesce(sum(chunks), 0) AS n FROM index_lexicon'))!.n;
      return (await db.row<{ n: number }>(
        `SELECT count(*) AS n FROM index_chunks c JOIN index_files f ON f.id = c.file_id WHERE true${live}`,
        params.values,
      ))!.n;
    },
  };
}
