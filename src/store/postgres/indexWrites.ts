import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type IndexWriteMethods, PRUNE_AFTER_DEAD_CHUNKS, STALE_FILES_PER_DELETE, stateAssignments, toIndexState } from '../indexCommon.js';
import type { IndexFileInput, IndexRepoState } from '../indexStore.js';
import { chunkTermCounts } from '../lexicalTerms.js';
import { copyRows, copyVectors } from './copyRows.js';
import type { PgDb, PgQueryable } from './database.js';
import { liveGeneration } from './indexShared.js';

export type PgIndexWrites = IndexWriteMethods;

/** Text as PostgreSQL stores it: invalid UTF-8 becomes U+FFFD (as Node decodes it), and NUL, which text cannot hold, too. */
function contentText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

/** `n` new ids of a table's identity column, so rows can be inserted in bulk and referred to in the same transaction. */
async function newIds(client: PgQueryable, table: string, n: number): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('${table}', 'id'))::int AS id FROM generate_series(1, $1::int)`,
    [n],
  );
  return rows.map((r) => r.id);
}

/** Writes to one repository's rows wait for each other (as under SQLite's single writer); other repositories' do not. */
async function lockRepo(client: PgQueryable, repoId: number): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('gitlore.index'), $1)`, [repoId]);
}

/** Deletes files (with their chunks, symbols and postings): postings first, by chunk id, since they have no foreign key. */
async function deleteFiles(client: PgQueryable, where: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ id: number }>(`SELECT id FROM index_files WHERE ${where}`, params);
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  await client.query('DELETE FROM index_postings WHERE chunk_id IN (SELECT id FROM index_chunks WHERE file_id = ANY($1::int[]))', [ids]);
  await client.query('DELETE FROM index_files WHERE id = ANY($1::int[])', [ids]);
  return ids.length;
}

const FILE_COLUMNS = ['id', 'repo_id', 'generation', 'path', 'blob', 'language', 'size', 'content', 'grams', 'vendored'];
const CHUNK_COLUMNS = ['id', 'repo_id', 'file_id', 'start_line', 'end_line', 'kind', 'symbol', 'doc', 'context', 'hash', 'tokens'];
const POSTING_COLUMNS = ['term', 'repo_id', 'chunk_id', 'tf_symbol', 'tf_path', 'tf_doc', 'tf_body', 'tokens'];
const SYMBOL_COLUMNS = [
  'repo_id',
  'file_id',
  'name',
  'name_lower',
  'qualified',
  'qualified_lower',
  'kind',
  'signature',
  'start_line',
  'end_line',
];

/** The rows of one batch for each table, in the order of its columns above; chunk ids assigned in order. */
function batchRows(repoId: number, generation: number, files: IndexFileInput[], fileIds: number[], chunkIds: number[]) {
  const rows = { files: [] as unknown[][], chunks: [] as unknown[][], postings: [] as unknown[][], symbols: [] as unknown[][] };
  let next = 0;
  for (const [f, file] of files.entries()) {
    const fileId = fileIds[f]!;
    const grams = Buffer.from(file.grams.buffer, file.grams.byteOffset, file.grams.byteLength).toString('latin1');
    rows.files.push([
      fileId,
      repoId,
      generation,
      file.path,
      file.blob,
      file.language,
      file.size,
      contentText(file.content),
      grams,
      file.vendored === true,
    ]);
    for (const c of file.chunks) {
      const chunkId = chunkIds[next++]!;
      const { counts, tokens } = chunkTermCounts(c.fts);
      rows.chunks.push([chunkId, repoId, fileId, c.startLine, c.endLine, c.kind, c.symbol, c.doc, c.context, c.hash, tokens]);
      for (const [term, [s, p, d, b]] of counts) {
        rows.postings.push([term, repoId, chunkId, Math.min(s, 32767), Math.min(p, 32767), Math.min(d, 32767), b, tokens]);
      }
    }
    for (const s of file.symbols) {
      const lower = [s.name.toLowerCase(), s.qualified.toLowerCase()];
      rows.symbols.push([repoId, fileId, s.name, lower[0], s.qualified, lower[1], s.kind, s.signature, s.startLine, s.endLine]);
    }
  }
  return rows;
}

/**
 * Write side of the PostgreSQL index store. Row generations work as in SQLite's (src/store/sqlite/indexWrites.ts):
 * file rows carry their generation, index_repos names the live one and the other one still stored. Unlike SQLite,
 * nothing store-wide is written per batch (no `generation` counter in index_meta): workers indexing different
 * repositories at once touch disjoint rows only.
 */
export function createPgIndexWrites(db: PgDb): PgIndexWrites {
  /** After a commit that changes what searches see (see index_version in migrations/codeIndex.ts). */
  const changed = () => db.rows("SELECT nextval('index_version')");
  const ensureRepo = (client: PgQueryable, repoId: number) =>
    client.query('INSERT INTO index_repos (repo_id) VALUES ($1) ON CONFLICT (repo_id) DO NOTHING', [repoId]);

  const writeState = async (client: PgQueryable, repoId: number, update: Partial<Omit<IndexRepoState, 'repoId'>>) => {
    await ensureRepo(client, repoId);
    const sets = stateAssignments(update);
    if (sets.length === 0) return;
    await client.query(`UPDATE index_repos SET ${sets.map(([column], i) => `${column} = $${i + 2}`).join(', ')} WHERE repo_id = $1`, [
      repoId,
      ...sets.map(([, value]) => value),
    ]);
  };

  const removeStaleRows = async (repoId: number): Promise<number> => {
    let removed = 0;
    for (;;) {
      const deleted = await db.tx(async (client) => {
        await lockRepo(client, repoId);
        const { rows } = await client.query<{ other_generation: number }>(
          'SELECT other_generation FROM index_repos WHERE repo_id = $1 AND other_generation IS NOT NULL FOR UPDATE',
          [repoId],
        );
        const stale = rows[0]?.other_generation;
        if (stale === undefined) return null;
        const changes = await deleteFiles(client, 'repo_id = $1 AND generation = $2 LIMIT $3', [repoId, stale, STALE_FILES_PER_DELETE]);
        if (changes === 0) await client.query('UPDATE index_repos SET other_generation = NULL WHERE repo_id = $1', [repoId]);
        return changes;
      });
      if (deleted === null) return removed;
      removed += deleted;
      if (deleted > 0) await yieldToEventLoop();
    }
  };

  return {
    async getState(repoId) {
      return toIndexState(await db.row('SELECT * FROM index_repos WHERE repo_id = $1', [repoId]));
    },
    async listStates() {
      return (await db.rows('SELECT * FROM index_repos ORDER BY repo_id')).map((r) => toIndexState(r)!);
    },
    async setState(repoId, update) {
      await db.tx((client) => writeState(client, repoId, update));
    },
    async applyBatch(repoId, batch) {
      // The last file of a path wins, as when SQLite replaces them one after another.
      const files = [...new Map(batch.add.map((f) => [f.path, f])).values()];
      await db.tx(async (client) => {
        await lockRepo(client, repoId);
        const target = batch.generation ?? (await liveGeneration(client, repoId));
        const paths = [...batch.remove, ...files.map((f) => f.path)];
        if (paths.length > 0)
          await deleteFiles(client, 'repo_id = $1 AND generation = $2 AND path = ANY($3::text[])', [repoId, target, paths]);
        if (files.length === 0) return;
        const fileIds = await newIds(client, 'index_files', files.length);
        const chunkIds = await newIds(
          client,
          'index_chunks',
          files.reduce((n, f) => n + f.chunks.length, 0),
        );
        const rows = batchRows(repoId, target, files, fileIds, chunkIds);
        await copyRows(client, 'index_files', FILE_COLUMNS, rows.files);
        await copyRows(client, 'index_chunks', CHUNK_COLUMNS, rows.chunks);
        await copyRows(client, 'index_postings', POSTING_COLUMNS, rows.postings);
        await copyRows(client, 'index_symbols', SYMBOL_COLUMNS, rows.symbols);
      });
      await changed();
    },
    // SQLite moves its WAL checkpoints off the writer during a pass; PostgreSQL's checkpointer is its own process.
    // At the end of a pass: statistics and the visibility map brought up to date at once, not when autovacuum comes
    // by. Until then the lexical scans are not index-only and plans guess (p95 433 ms right after writing the eval
    // corpus, 22 ms after). SKIP_LOCKED: a process finishing at the same time as another does not wait for its vacuum.
    async beginBulkWrites() {
      return async () => {
        await db.pool.query('VACUUM (ANALYZE, SKIP_LOCKED) index_postings, index_chunks, index_files, index_symbols, index_vectors');
      };
    },
    async beginRebuild(repoId) {
      await removeStaleRows(repoId);
      return db.tx(async (client) => {
        await ensureRepo(client, repoId);
        const { rows } = await client.query<{ next: number }>(
          'UPDATE index_repos SET other_generation = generation + 1 WHERE repo_id = $1 RETURNING other_generation AS next',
          [repoId],
        );
        return rows[0]!.next;
      });
    },
    async commitRebuild(repoId, generation, state) {
      await db.tx(async (client) => {
        const { rowCount } = await client.query(
          'UPDATE index_repos SET generation = $2, other_generation = generation WHERE repo_id = $1 AND other_generation = $2',
          [repoId, generation],
        );
        if (rowCount !== 1) throw new Error(`generation ${generation} of repository ${repoId} is not being rebuilt`);
        await writeState(client, repoId, state);
      });
      await changed();
    },
    removeStaleRows,
    async putVectors(model, rows) {
      // One row per hash: an upsert may not touch the same row twice.
      const byHash = new Map(rows.map((r) => [r.hash, r.vector]));
      if (byHash.size === 0) return;
      // COPY into a staging table, then one upsert.
      await db.tx(async (client) => {
        await client.query('CREATE TEMP TABLE IF NOT EXISTS index_vectors_in (hash TEXT, embedding vector) ON COMMIT DELETE ROWS');
        await copyVectors(
          client,
          'index_vectors_in',
          [...byHash].map(([key, vector]) => ({ key, vector })),
        );
        await client.query(
          // In hash order: two processes embedding the same contents lock the rows in the same order (no deadlock).
          `INSERT INTO index_vectors (hash, model, embedding) SELECT hash, $1, embedding FROM index_vectors_in ORDER BY hash COLLATE "C"
           ON CONFLICT (hash, model) DO UPDATE SET embedding = excluded.embedding`,
          [model],
        );
      });
      await changed();
    },
    async setMeta(key, value) {
      await db.rows('INSERT INTO index_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
        key,
        value,
      ]);
    },
    async pruneVectors(options = {}) {
      let removed = 0;
      const dead = (await db.row<{ n: number }>('SELECT coalesce(sum(dead_chunks), 0) AS n FROM index_lexicon'))!.n;
      if (options.all || dead >= PRUNE_AFTER_DEAD_CHUNKS) {
        removed += await db.tx(async (client) => {
          const { rowCount } = await client.query(
            'DELETE FROM index_vectors v WHERE NOT EXISTS (SELECT 1 FROM index_chunks c WHERE c.hash = v.hash)',
          );
          await client.query('UPDATE index_lexicon SET dead_chunks = 0 WHERE dead_chunks <> 0');
          return rowCount ?? 0;
        });
      }
      if (options.keepModel) {
        removed += (await db.pool.query('DELETE FROM index_vectors WHERE model <> $1', [options.keepModel])).rowCount ?? 0;
      }
      if (removed > 0) await changed();
      return removed;
    },
  };
}
