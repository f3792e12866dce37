import type { Statement } from 'better-sqlite3';
import { filesWithChunks } from '../indexCommon.js';
import type { IndexedChunk, IndexedSymbol, IndexFilter, IndexStats, IndexStore, VectorMatrix } from '../indexStore.js';
import { nearestInMatrix, vectorsInMatrix } from '../vectorSearch.js';
import type { Db } from './database.js';
import { lazy, liveGeneration, liveRowsSql, readMeta } from './indexShared.js';
import type { IndexWrites } from './indexWrites.js';
import { literalTrigramTerms } from './trigramTerms.js';
import { refreshVectorGraph, type VectorGraphPlace, vectorGraphInfo } from './vectorIndexUpkeep.js';

const CHUNK_COLUMNS = `c.id, c.repo_id AS repoId, c.file_id AS fileId, f.path, f.language, c.start_line AS startLine,
  c.end_line AS endLine, c.kind, c.symbol, c.doc, c.context, c.hash, f.vendored`;
const CHUNK_SELECT = `SELECT ${CHUNK_COLUMNS} FROM index_chunks c JOIN index_files f ON f.id = c.file_id`;

/** Chunk rows as the port returns them: SQLite hands the vendored flag back as 0 or 1. */
function asChunks<T extends IndexedChunk>(rows: unknown[]): T[] {
  for (const row of rows as T[]) row.vendored = Boolean(row.vendored);
  return rows as T[];
}

function filterSql(filter: IndexFilter, repoColumn: string, langColumn: string): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.repoIds && filter.repoIds.length > 0) {
    parts.push(`${repoColumn} IN (${filter.repoIds.map(() => '?').join(',')})`);
    params.push(...filter.repoIds);
  }
  if (filter.languages && filter.languages.length > 0) {
    parts.push(`${langColumn} IN (${filter.languages.map(() => '?').join(',')})`);
    params.push(...filter.languages);
  }
  return { sql: parts.length > 0 ? ` AND ${parts.join(' AND ')}` : '', params };
}

/** An FTS5 MATCH of any of the terms, each quoted as a string (so no term is read as an operator). */
export function ftsAnyTerm(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '')}"`).join(' OR ');
}

export type IndexReads = Omit<IndexStore, keyof IndexWrites>;

/** Query side of the index store: lexical, symbol, regex and vector search, chunk and file lookups, counts. */
export function createIndexReads(db: Db, graphs: VectorGraphPlace | null): IndexReads {
  // Query statements are prepared once per SQL text (the filters make a few variants).
  const statements = new Map<string, Statement<unknown[], unknown>>();
  const stmt = (sql: string): Statement<unknown[], unknown> => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const getGeneration = lazy(() => db.prepare("SELECT value FROM index_meta WHERE key = 'generation'").pluck());
  let matrixCache: { model: string; generation: string; matrix: VectorMatrix | null } | null = null;

  return {
    async fileBlobs(repoId, generation) {
      const rows = db
        .prepare('SELECT path, blob FROM index_files WHERE repo_id = ? AND generation = ?')
        .raw()
        .all(repoId, generation ?? liveGeneration(db, repoId)) as [string, string][];
      return new Map(rows);
    },
    async stats(repoId, model): Promise<IndexStats> {
      const generation = liveGeneration(db, repoId);
      const files = db
        .prepare('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM index_files WHERE repo_id = ? AND generation = ?')
        .get(repoId, generation) as { n: number; bytes: number };
      // Chunk and symbol rows carry no generation: while the repo has rows of another one, they are counted through the live files.
      const rebuilding = db.prepare('SELECT other_generation FROM index_repos WHERE repo_id = ?').pluck().get(repoId) != null;
      const scope = rebuilding ? 'file_id IN (SELECT id FROM index_files WHERE repo_id = ? AND generation = ?)' : 'repo_id = ?';
      const params = rebuilding ? [repoId, generation] : [repoId];
      const chunks = db
        .prepare(`SELECT count(*) FROM index_chunks WHERE ${scope}`)
        .pluck()
        .get(...params) as number;
      const symbols = db
        .prepare(`SELECT count(*) FROM index_symbols WHERE ${scope}`)
        .pluck()
        .get(...params) as number;
      const embedded = model
        ? (db
            .prepare(
              `SELECT count(*) FROM index_chunks c WHERE ${scope} AND EXISTS (SELECT 1 FROM index_vectors v WHERE v.hash = c.hash AND v.model = ?)`,
            )
            .pluck()
            .get(...params, model) as number)
        : 0;
      return { files: files.n, chunks, symbols, embedded, bytes: files.bytes };
    },
    async lexical(query, filter, limit) {
      if (query.terms.length === 0) return [];
      const weights = query.fieldWeights;
      const f = filterSql(filter, 'c.repo_id', 'f.language');
      // During a rebuild the FTS table also holds the rows being built: the joins then keep the live ones.
      const live = liveRowsSql(db, 'f');
      f.sql += live.sql;
      f.params.push(...live.params);
      // Unfiltered, the joins only cost (one chunk and one file lookup per matching row before the sort).
      const sql = f.sql
        ? `SELECT c.id AS chunkId, bm25(index_fts, ?, ?, ?, ?) AS score FROM index_fts
        JOIN index_chunks c ON c.id = index_fts.rowid JOIN index_files f ON f.id = c.file_id
        WHERE index_fts MATCH ?${f.sql} ORDER BY score LIMIT ?`
        : 'SELECT rowid AS chunkId, bm25(index_fts, ?, ?, ?, ?) AS score FROM index_fts WHERE index_fts MATCH ? ORDER BY score LIMIT ?';
      return stmt(sql).all(weights.symbol, weights.path, weights.doc, weights.body, ftsAnyTerm(query.terms), ...f.params, limit) as {
        chunkId: number;
        score: number;
      }[];
    },
    async symbols(query, filter, limit) {
      const f = filterSql(filter, 's.repo_id', 'f.language');
      const live = liveRowsSql(db, 'f');
      f.sql += live.sql;
      f.params.push(...live.params);
      const conds: string[] = [];
      const params: unknown[] = [];
      if (query.names.length > 0) {
        if (query.prefix) {
          conds.push(query.names.map(() => "s.name_lower LIKE ? ESCAPE '\\'").join(' OR '));
          params.push(...query.names.map((n) => `${n.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
        } else {
          conds.push(`s.name_lower IN (${query.names.map(() => '?').join(',')})`);
          params.push(...query.names);
        }
      }
      if (query.qualified && query.qualified.length > 0) {
        conds.push(`s.qualified_lower IN (${query.qualified.map(() => '?').join(',')})`);
        params.push(...query.qualified);
      }
      if (conds.length === 0) return [];
      const kind = query.kind ? ' AND s.kind = ?' : '';
      const sql = `SELECT s.id, s.repo_id AS repoId, s.file_id AS fileId, f.path, f.language, s.name, s.qualified, s.kind, s.signature,
        s.start_line AS startLine, s.end_line AS endLine FROM index_symbols s JOIN index_files f ON f.id = s.file_id
        WHERE (${conds.join(' OR ')})${kind}${f.sql} LIMIT ?`;
      return stmt(sql).all(...params, ...(query.kind ? [query.kind] : []), ...f.params, limit) as IndexedSymbol[];
    },
    async fileSymbols(fileId) {
      return stmt(
        `SELECT s.id, s.repo_id AS repoId, s.file_id AS fileId, f.path, f.language, s.name, s.qualified, s.kind, s.signature,
        s.start_line AS startLine, s.end_line AS endLine FROM index_symbols s JOIN index_files f ON f.id = s.file_id
        WHERE s.file_id = ? ORDER BY s.start_line, s.end_line DESC`,
      ).all(fileId) as IndexedSymbol[];
    },
    async chunks(ids) {
      if (ids.length === 0) return [];
      const rows = asChunks(stmt(`${CHUNK_SELECT} WHERE c.id IN (${ids.map(() => '?').join(',')})`).all(...ids));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id)).filter((r): r is IndexedChunk => r !== undefined);
    },
    async chunksAt(fileId, startLine, endLine) {
      return asChunks(
        stmt(`${CHUNK_SELECT} WHERE c.file_id = ? AND c.start_line <= ? AND c.end_line >= ? ORDER BY (c.end_line - c.start_line)`).all(
          fileId,
          endLine,
          startLine,
        ),
      );
    },
    async chunksAtLines(points) {
      const out: IndexedChunk[][] = points.map(() => []);
      for (let start = 0; start < points.length; start += 300) {
        const page = points.slice(start, start + 300);
        const rows = stmt(
          `WITH p(k, fid, line) AS (VALUES ${page.map(() => '(?, ?, ?)').join(', ')})
           SELECT p.k AS k, ${CHUNK_COLUMNS}
           FROM p JOIN index_chunks c ON c.file_id = p.fid AND c.start_line <= p.line AND c.end_line >= p.line
           JOIN index_files f ON f.id = c.file_id ORDER BY p.k, (c.end_line - c.start_line)`,
        ).all(...page.flatMap((pt, i) => [start + i, pt.fileId, pt.line]));
        const chunks = asChunks<IndexedChunk & { k: number }>(rows);
        for (const { k, ...chunk } of chunks) out[k]!.push(chunk);
      }
      return out;
    },
    async fileContent(fileId) {
      return (stmt('SELECT content FROM index_files WHERE id = ?').pluck().get(fileId) as string | undefined) ?? null;
    },
    async fileContents(fileIds) {
      const rows = db
        .prepare('SELECT id, content FROM index_files WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify([...new Set(fileIds)])) as { id: number; content: string }[];
      return new Map(rows.map((r) => [r.id, r.content]));
    },
    async fileId(repoId, path) {
      return (
        (db
          .prepare('SELECT id FROM index_files WHERE repo_id = ? AND generation = ? AND path = ?')
          .pluck()
          .get(repoId, liveGeneration(db, repoId), path) as number | undefined) ?? null
      );
    },
    async regexCandidates(literals, filter, afterId, limit) {
      const f = filterSql(filter, 'f.repo_id', 'f.language');
      const live = liveRowsSql(db, 'f');
      f.sql += live.sql;
      f.params.push(...live.params);
      type Row = { id: number; repoId: number; path: string; language: string; content: string };
      const groups = literals.filter((g) => g.length > 0);
      if (groups.length === 0) {
        return stmt(
          `SELECT f.id, f.repo_id AS repoId, f.path, f.language, f.content FROM index_files f WHERE f.id > ?${f.sql} ORDER BY f.id LIMIT ?`,
        ).all(afterId, ...f.params, limit) as Row[];
      }
      // The literals' trigram words ANDed (a superset of the files containing them; the caller runs the
      // regex on each candidate), the alternatives ORed.
      const wordGroups = groups.map((group) => [...new Set(group.flatMap(literalTrigramTerms))]);
      if (wordGroups.some((words) => words.length === 0)) return this.regexCandidates([], filter, afterId, limit);
      const match = wordGroups.map((words) => `(${words.map((w) => `"${w}"`).join(' AND ')})`).join(' OR ');
      // The rowid range and order go to the trigram index itself (FTS5 serves both natively).
      return stmt(
        `SELECT f.id, f.repo_id AS repoId, f.path, f.language, f.content FROM index_grams g JOIN index_files f ON f.id = g.rowid
         WHERE index_grams MATCH ? AND g.rowid > ?${f.sql} ORDER BY g.rowid LIMIT ?`,
      ).all(match, afterId, ...f.params, limit) as Row[];
    },
    async missingVectors(model, limit, repoIds, afterChunkId = 0) {
      const repoSql = repoIds && repoIds.length > 0 ? ` AND c.repo_id IN (${repoIds.map(() => '?').join(',')})` : '';
      const rows = db
        .prepare(
          `SELECT c.id, c.hash, c.file_id AS fileId, c.start_line AS startLine, c.end_line AS endLine, c.context FROM index_chunks c
           WHERE c.id > ? AND NOT EXISTS (SELECT 1 FROM index_vectors v WHERE v.hash = c.hash AND v.model = ?)${repoSql}
           ORDER BY c.id LIMIT ?`,
        )
        .all(afterChunkId, model, ...(repoIds ?? []), limit) as {
        id: number;
        hash: string;
        fileId: number;
        startLine: number;
        endLine: number;
        context: string | null;
      }[];
      // One copy of each file's content per batch, shared by its chunks (a copy per chunk row
      // made the embedding phase allocate gigabytes on large repositories).
      const contentOf = db.prepare('SELECT content FROM index_files WHERE id = ?').pluck();
      const contents = new Map<number, string>();
      return rows.map((row) => {
        let content = contents.get(row.fileId);
        if (content === undefined) {
          content = (contentOf.get(row.fileId) as string | undefined) ?? '';
          contents.set(row.fileId, content);
        }
        return { ...row, content };
      });
    },
    async vectorMatrix(model) {
      const generation = String(getGeneration().get() ?? '0');
      if (matrixCache && matrixCache.model === model && matrixCache.generation === generation) return matrixCache.matrix;
      const live = liveRowsSql(db, 'f');
      const rows = db
        .prepare(
          live.sql
            ? `SELECT c.id, c.repo_id, v.vector FROM index_chunks c JOIN index_files f ON f.id = c.file_id
               JOIN index_vectors v ON v.hash = c.hash AND v.model = ? WHERE 1${live.sql} ORDER BY c.id`
            : 'SELECT c.id, c.repo_id, v.vector FROM index_chunks c JOIN index_vectors v ON v.hash = c.hash AND v.model = ? ORDER BY c.id',
        )
        .raw()
        .all(model, ...live.params) as [number, number, Buffer][];
      let matrix: VectorMatrix | null = null;
      if (rows.length > 0) {
        const dims = rows[0]![2].byteLength / 4;
        const data = new Float32Array(rows.length * dims);
        const chunkIds = new Int32Array(rows.length);
        const repoIds = new Int32Array(rows.length);
        rows.forEach(([id, repoId, blob], i) => {
          chunkIds[i] = id;
          repoIds[i] = repoId;
          new Uint8Array(data.buffer, i * dims * 4, dims * 4).set(blob);
        });
        matrix = { dims, chunkIds, repoIds, data };
      }
      matrixCache = { model, generation, matrix };
      return matrix;
    },
    async nearest(model, vector, k, filter) {
      return nearestInMatrix(this, graphs?.dir ?? null, model, vector, k, filter);
    },
    async vectorsOf(model, chunkIds) {
      return vectorsInMatrix(await this.vectorMatrix(model), chunkIds);
    },
    async refreshVectorIndex(model, refresh) {
      return refreshVectorGraph(this, graphs, model, refresh);
    },
    async vectorSearchInfo(model) {
      return vectorGraphInfo(this, graphs, model);
    },
    async getMeta(key) {
      return readMeta(db, key);
    },
    async fileChunks(afterFileId, limit) {
      const live = liveRowsSql(db, 'f');
      const files = db
        .prepare(`SELECT f.id, f.content FROM index_files f WHERE f.id > ?${live.sql} ORDER BY f.id LIMIT ?`)
        .all(afterFileId, ...live.params, limit) as {
        id: number;
        content: string;
      }[];
      if (files.length === 0) return [];
      const rows = db
        .prepare(
          `SELECT file_id AS fileId, start_line AS startLine, end_line AS endLine, context FROM index_chunks
           WHERE file_id IN (${files.map(() => '?').join(',')}) ORDER BY file_id, start_line`,
        )
        .all(...files.map((f) => f.id)) as { fileId: number; startLine: number; endLine: number; context: string | null }[];
      return filesWithChunks(files, rows);
    },
    async chunkCount() {
      const live = liveRowsSql(db, 'f');
      if (!live.sql) return db.prepare('SELECT count(*) FROM index_chunks').pluck().get() as number;
      return db
        .prepare(`SELECT count(*) FROM index_chunks c JOIN index_files f ON f.id = c.file_id WHERE 1${live.sql}`)
        .pluck()
        .get(...live.params) as number;
    },
  };
}
