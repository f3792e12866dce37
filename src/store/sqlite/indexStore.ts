import type { Statement } from 'better-sqlite3';
import type {
  IndexedChunk,
  IndexedSymbol,
  IndexFileInput,
  IndexFilter,
  IndexRepoState,
  IndexStats,
  IndexStore,
  VectorMatrix,
} from '../indexStore.js';
import type { Db } from './database.js';
import { literalTrigramTerms } from './trigramTerms.js';
import { refreshVectorGraph, type VectorGraphPlace, vectorGraphInfo } from './vectorIndexUpkeep.js';
import { nearestInMatrix } from './vectorSearch.js';
import { createWalCheckpointer } from './walCheckpointer.js';

/**
 * Chunks deleted since the last scan for orphaned vectors. Orphans only take disk space (and a
 * chunk with the same content reuses its vector), so the scan, which reads every chunk row, waits
 * until this many have gone: at most ~40 MB of stale 512-dim vectors.
 */
const PRUNE_AFTER_DEAD_CHUNKS = 20_000;

const CHUNK_SELECT = `SELECT c.id, c.repo_id AS repoId, c.file_id AS fileId, f.path, f.language, c.start_line AS startLine,
  c.end_line AS endLine, c.kind, c.symbol, c.doc, c.context, c.hash FROM index_chunks c JOIN index_files f ON f.id = c.file_id`;

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

function toState(row: Record<string, unknown> | undefined): IndexRepoState | null {
  if (!row) return null;
  return {
    repoId: row.repo_id as number,
    commit: (row.commit_sha as string | null) ?? null,
    pendingCommit: (row.pending_commit as string | null) ?? null,
    indexedAt: (row.indexed_at as string | null) ?? null,
    durationMs: (row.duration_ms as number | null) ?? null,
    status: row.status as IndexRepoState['status'],
    errors: JSON.parse((row.errors as string) || '[]') as string[],
    skipped: row.skipped as number,
    formatVersion: (row.format_version as number | undefined) ?? 0,
  };
}

/** A Uint8Array that crossed from a worker arrives without Buffer's prototype, which better-sqlite3 binds as a blob. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Prepares on first use, so opening the store never touches (possibly damaged) index tables. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** An FTS5 MATCH of any of the terms, each quoted as a string (so no term is read as an operator). */
export function ftsAnyTerm(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '')}"`).join(' OR ');
}

export interface SqliteIndexStoreOptions {
  /** Folder of the HNSW graphs of the vectors (see vectorIndex.ts); null: vector search is always exact. */
  vectorIndexDir?: string | null;
  /** The database file, which the graph worker thread opens read-only; graphs need it. */
  dbPath?: string;
}

export function createSqliteIndexStore(db: Db, options: SqliteIndexStoreOptions = {}): IndexStore {
  const graphs: VectorGraphPlace | null =
    options.vectorIndexDir && options.dbPath ? { dir: options.vectorIndexDir, dbPath: options.dbPath } : null;
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
  const insertFile = lazy(() =>
    db.prepare(
      'INSERT INTO index_files (repo_id, path, blob, language, size, content) VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT)) RETURNING id',
    ),
  );
  const deleteFile = lazy(() => db.prepare('DELETE FROM index_files WHERE repo_id = ? AND path = ?'));
  const insertChunk = lazy(() =>
    db.prepare(
      `INSERT INTO index_chunks (file_id, repo_id, start_line, end_line, kind, symbol, doc, context, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
  );
  const insertFts = lazy(() => db.prepare('INSERT INTO index_fts (rowid, symbol, path, doc, body) VALUES (?, ?, ?, ?, ?)'));
  const insertGrams = lazy(() => db.prepare('INSERT INTO index_grams (rowid, grams) VALUES (?, ?)'));
  const insertSymbol = lazy(() =>
    db.prepare(
      `INSERT INTO index_symbols (file_id, repo_id, name, name_lower, qualified, qualified_lower, kind, signature, start_line, end_line)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  );
  const bumpGeneration = lazy(() =>
    db.prepare(
      "INSERT INTO index_meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
    ),
  );
  const getGeneration = lazy(() => db.prepare("SELECT value FROM index_meta WHERE key = 'generation'").pluck());
  const readMeta = (key: string) =>
    (db.prepare('SELECT value FROM index_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  let matrixCache: { model: string; generation: string; matrix: VectorMatrix | null } | null = null;

  // FTS5 flushes its pending terms to a new segment whenever another statement in the transaction opens a
  // statement journal (every INSERT into an ordinary table with constraints does). Interleaving row and FTS
  // inserts therefore wrote one tiny segment per chunk and spent most of the time merging them: rows go
  // first, then all FTS rows, then all trigram rows (19 s -> 10 s for 57 MB of source).
  const applyBatch = lazy(() =>
    db.transaction((repoId: number, remove: string[], add: IndexFileInput[]) => {
      for (const path of remove) deleteFile().run(repoId, path);
      const fts: [number, IndexFileInput['chunks'][number]['fts']][] = [];
      const grams: [number, Uint8Array][] = [];
      for (const file of add) {
        deleteFile().run(repoId, file.path);
        const fileId = (insertFile().get(repoId, file.path, file.blob, file.language, file.size, asBuffer(file.content)) as { id: number })
          .id;
        grams.push([fileId, file.grams]);
        for (const c of file.chunks) {
          const chunkId = (
            insertChunk().get(fileId, repoId, c.startLine, c.endLine, c.kind, c.symbol, c.doc, c.context, c.hash) as { id: number }
          ).id;
          fts.push([chunkId, c.fts]);
        }
        for (const s of file.symbols) {
          insertSymbol().run(
            fileId,
            repoId,
            s.name,
            s.name.toLowerCase(),
            s.qualified,
            s.qualified.toLowerCase(),
            s.kind,
            s.signature,
            s.startLine,
            s.endLine,
          );
        }
      }
      bumpGeneration().run();
      for (const [chunkId, f] of fts) insertFts().run(chunkId, f.symbol, f.path, f.doc, f.body);
      for (const [fileId, words] of grams) insertGrams().run(fileId, asBuffer(words));
    }),
  );

  return {
    async getState(repoId) {
      return toState(db.prepare('SELECT * FROM index_repos WHERE repo_id = ?').get(repoId) as Record<string, unknown> | undefined);
    },
    async listStates() {
      return (db.prepare('SELECT * FROM index_repos').all() as Record<string, unknown>[]).map((r) => toState(r)!);
    },
    async setState(repoId, update) {
      db.prepare('INSERT INTO index_repos (repo_id) VALUES (?) ON CONFLICT(repo_id) DO NOTHING').run(repoId);
      const columns: Record<string, string> = {
        commit: 'commit_sha',
        pendingCommit: 'pending_commit',
        indexedAt: 'indexed_at',
        durationMs: 'duration_ms',
        status: 'status',
        errors: 'errors',
        skipped: 'skipped',
        formatVersion: 'format_version',
      };
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const [key, value] of Object.entries(update)) {
        const column = columns[key];
        if (!column || value === undefined) continue;
        sets.push(`${column} = ?`);
        params.push(key === 'errors' ? JSON.stringify(value) : value);
      }
      if (sets.length > 0) db.prepare(`UPDATE index_repos SET ${sets.join(', ')} WHERE repo_id = ?`).run(...params, repoId);
    },
    async fileBlobs(repoId) {
      const rows = db.prepare('SELECT path, blob FROM index_files WHERE repo_id = ?').raw().all(repoId) as [string, string][];
      return new Map(rows);
    },
    async applyBatch(repoId, batch) {
      applyBatch()(repoId, batch.remove, batch.add);
    },
    beginBulkWrites: createWalCheckpointer(db),
    async clearRepo(repoId) {
      db.transaction(() => {
        db.prepare('DELETE FROM index_files WHERE repo_id = ?').run(repoId);
        db.prepare('DELETE FROM index_repos WHERE repo_id = ?').run(repoId);
        bumpGeneration().run();
      })();
    },
    async stats(repoId, model): Promise<IndexStats> {
      const files = db.prepare('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM index_files WHERE repo_id = ?').get(repoId) as {
        n: number;
        bytes: number;
      };
      const chunks = db.prepare('SELECT count(*) FROM index_chunks WHERE repo_id = ?').pluck().get(repoId) as number;
      const symbols = db.prepare('SELECT count(*) FROM index_symbols WHERE repo_id = ?').pluck().get(repoId) as number;
      const embedded = model
        ? (db
            .prepare(
              'SELECT count(*) FROM index_chunks c WHERE c.repo_id = ? AND EXISTS (SELECT 1 FROM index_vectors v WHERE v.hash = c.hash AND v.model = ?)',
            )
            .pluck()
            .get(repoId, model) as number)
        : 0;
      return { files: files.n, chunks, symbols, embedded, bytes: files.bytes };
    },
    async lexical(query, filter, limit) {
      if (query.terms.length === 0) return [];
      const weights = query.fieldWeights;
      const f = filterSql(filter, 'c.repo_id', 'f.language');
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
    async chunks(ids) {
      if (ids.length === 0) return [];
      const rows = stmt(`${CHUNK_SELECT} WHERE c.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as IndexedChunk[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id)).filter((r): r is IndexedChunk => r !== undefined);
    },
    async chunksAt(fileId, startLine, endLine) {
      return stmt(`${CHUNK_SELECT} WHERE c.file_id = ? AND c.start_line <= ? AND c.end_line >= ? ORDER BY (c.end_line - c.start_line)`).all(
        fileId,
        endLine,
        startLine,
      ) as IndexedChunk[];
    },
    async chunksAtLines(points) {
      const out: IndexedChunk[][] = points.map(() => []);
      for (let start = 0; start < points.length; start += 300) {
        const page = points.slice(start, start + 300);
        const rows = stmt(
          `WITH p(k, fid, line) AS (VALUES ${page.map(() => '(?, ?, ?)').join(', ')})
           SELECT p.k AS k, c.id, c.repo_id AS repoId, c.file_id AS fileId, f.path, f.language, c.start_line AS startLine,
           c.end_line AS endLine, c.kind, c.symbol, c.doc, c.context, c.hash
           FROM p JOIN index_chunks c ON c.file_id = p.fid AND c.start_line <= p.line AND c.end_line >= p.line
           JOIN index_files f ON f.id = c.file_id ORDER BY p.k, (c.end_line - c.start_line)`,
        ).all(...page.flatMap((pt, i) => [start + i, pt.fileId, pt.line])) as (IndexedChunk & { k: number })[];
        for (const { k, ...chunk } of rows) out[k]!.push(chunk);
      }
      return out;
    },
    async fileContent(fileId) {
      return (stmt('SELECT content FROM index_files WHERE id = ?').pluck().get(fileId) as string | undefined) ?? null;
    },
    async fileId(repoId, path) {
      return (
        (db.prepare('SELECT id FROM index_files WHERE repo_id = ? AND path = ?').pluck().get(repoId, path) as number | undefined) ?? null
      );
    },
    async regexCandidates(literals, filter, afterId, limit) {
      const f = filterSql(filter, 'f.repo_id', 'f.language');
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
    async putVectors(model, rows) {
      const insert = db.prepare('INSERT OR REPLACE INTO index_vectors (hash, model, vector) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (const row of rows) insert.run(row.hash, model, Buffer.from(row.vector.buffer, row.vector.byteOffset, row.vector.byteLength));
        bumpGeneration().run();
      })();
    },
    async vectorMatrix(model) {
      const generation = String(getGeneration().get() ?? '0');
      if (matrixCache && matrixCache.model === model && matrixCache.generation === generation) return matrixCache.matrix;
      const rows = db
        .prepare(
          'SELECT c.id, c.repo_id, v.vector FROM index_chunks c JOIN index_vectors v ON v.hash = c.hash AND v.model = ? ORDER BY c.id',
        )
        .raw()
        .all(model) as [number, number, Buffer][];
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
    async refreshVectorIndex(model, refresh) {
      return refreshVectorGraph(this, graphs, model, refresh);
    },
    async vectorSearchInfo(model) {
      return vectorGraphInfo(this, graphs, model);
    },
    async getMeta(key) {
      return readMeta(key);
    },
    async setMeta(key, value) {
      db.prepare('INSERT INTO index_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    },
    async fileChunks(afterFileId, limit) {
      const files = db.prepare('SELECT id, content FROM index_files WHERE id > ? ORDER BY id LIMIT ?').all(afterFileId, limit) as {
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
      const byFile = new Map<number, { startLine: number; endLine: number; context: string | null }[]>();
      for (const r of rows) {
        const list = byFile.get(r.fileId) ?? [];
        list.push({ startLine: r.startLine, endLine: r.endLine, context: r.context });
        byFile.set(r.fileId, list);
      }
      return files.map((f) => ({ fileId: f.id, content: f.content, chunks: byFile.get(f.id) ?? [] }));
    },
    async chunkCount() {
      return db.prepare('SELECT count(*) FROM index_chunks').pluck().get() as number;
    },
    async pruneVectors(options = {}) {
      let removed = 0;
      const dead = Number(readMeta('dead_chunks') ?? 0);
      if (options.all || dead >= PRUNE_AFTER_DEAD_CHUNKS) {
        db.transaction(() => {
          removed += db.prepare('DELETE FROM index_vectors WHERE hash NOT IN (SELECT hash FROM index_chunks)').run().changes;
          db.prepare("UPDATE index_meta SET value = '0' WHERE key = 'dead_chunks'").run();
        })();
      }
      if (options.keepModel) removed += db.prepare('DELETE FROM index_vectors WHERE model != ?').run(options.keepModel).changes;
      return removed;
    },
  };
}
