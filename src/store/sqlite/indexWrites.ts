import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type IndexWriteMethods, PRUNE_AFTER_DEAD_CHUNKS, STALE_FILES_PER_DELETE, stateAssignments, toIndexState } from '../indexCommon.js';
import type { IndexFileInput, IndexRepoState } from '../indexStore.js';
import type { Db } from './database.js';
import { lazy, liveGeneration, readMeta } from './indexShared.js';
import { createWalCheckpointer } from './walCheckpointer.js';

/** A Uint8Array that crossed from a worker arrives without Buffer's prototype, which better-sqlite3 binds as a blob. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export type IndexWrites = IndexWriteMethods;

/**
 * Write side of the index store: files, chunks, symbols and vectors in and out, index state. Every write
 * that changes what queries see bumps `generation` in index_meta (caches key on it).
 *
 * Row generations: a file row (and through it its chunks, symbols and FTS rows) belongs to one generation
 * of its repo; queries see the repo's live generation (index_repos.generation) only. A rebuild writes the
 * next generation beside it (index_repos.other_generation) and commitRebuild swaps them in one transaction;
 * the old rows are then deleted in short transactions. A run killed at any point leaves one complete live
 * generation, and the other one is deleted by the next run.
 */
export function createIndexWrites(db: Db): IndexWrites {
  const insertFile = lazy(() =>
    db.prepare(
      `INSERT INTO index_files (repo_id, generation, path, blob, language, size, content, vendored)
       VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TEXT), ?) RETURNING id`,
    ),
  );
  const deleteFile = lazy(() => db.prepare('DELETE FROM index_files WHERE repo_id = ? AND generation = ? AND path = ?'));
  const otherGeneration = lazy(() =>
    db.prepare('SELECT other_generation FROM index_repos WHERE repo_id = ? AND other_generation IS NOT NULL').pluck(),
  );
  const deleteStale = lazy(() =>
    db.prepare('DELETE FROM index_files WHERE id IN (SELECT id FROM index_files WHERE repo_id = ? AND generation = ? LIMIT ?)'),
  );
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

  // FTS5 flushes its pending terms to a new segment whenever another statement in the transaction opens a
  // statement journal (every INSERT into an ordinary table with constraints does). Interleaving row and FTS
  // inserts therefore wrote one tiny segment per chunk and spent most of the time merging them: rows go
  // first, then all FTS rows, then all trigram rows (19 s -> 10 s for 57 MB of source).
  const applyBatch = lazy(() =>
    db.transaction((repoId: number, generation: number | undefined, remove: string[], add: IndexFileInput[]) => {
      const live = liveGeneration(db, repoId);
      const target = generation ?? live;
      for (const path of remove) deleteFile().run(repoId, target, path);
      const fts: [number, IndexFileInput['chunks'][number]['fts']][] = [];
      const grams: [number, Uint8Array][] = [];
      for (const file of add) {
        deleteFile().run(repoId, target, file.path);
        const fileId = (
          insertFile().get(
            repoId,
            target,
            file.path,
            file.blob,
            file.language,
            file.size,
            asBuffer(file.content),
            file.vendored ? 1 : 0,
          ) as {
            id: number;
          }
        ).id;
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
      // Rows of a rebuild in progress change nothing queries see.
      if (target === live) bumpGeneration().run();
      for (const [chunkId, f] of fts) insertFts().run(chunkId, f.symbol, f.path, f.doc, f.body);
      for (const [fileId, words] of grams) insertGrams().run(fileId, asBuffer(words));
    }),
  );

  const writeState = (repoId: number, update: Partial<Omit<IndexRepoState, 'repoId'>>) => {
    db.prepare('INSERT INTO index_repos (repo_id) VALUES (?) ON CONFLICT(repo_id) DO NOTHING').run(repoId);
    const sets = stateAssignments(update);
    if (sets.length > 0) {
      db.prepare(`UPDATE index_repos SET ${sets.map(([column]) => `${column} = ?`).join(', ')} WHERE repo_id = ?`).run(
        ...sets.map(([, value]) => value),
        repoId,
      );
    }
  };

  const removeStaleRows = async (repoId: number): Promise<number> => {
    let removed = 0;
    for (;;) {
      const stale = otherGeneration().get(repoId) as number | undefined;
      if (stale === undefined) return removed;
      const deleted = db.transaction(() => {
        const changes = deleteStale().run(repoId, stale, STALE_FILES_PER_DELETE).changes;
        if (changes === 0) db.prepare('UPDATE index_repos SET other_generation = NULL WHERE repo_id = ?').run(repoId);
        return changes;
      })();
      removed += deleted;
      // Each delete holds the thread; a server answers requests in between.
      if (deleted > 0) await yieldToEventLoop();
    }
  };

  return {
    async getState(repoId) {
      return toIndexState(db.prepare('SELECT * FROM index_repos WHERE repo_id = ?').get(repoId) as Record<string, unknown> | undefined);
    },
    async listStates() {
      return (db.prepare('SELECT * FROM index_repos').all() as Record<string, unknown>[]).map((r) => toIndexState(r)!);
    },
    async setState(repoId, update) {
      writeState(repoId, update);
    },
    async applyBatch(repoId, batch) {
      applyBatch()(repoId, batch.generation, batch.remove, batch.add);
    },
    beginBulkWrites: createWalCheckpointer(db),
    async beginRebuild(repoId) {
      await removeStaleRows(repoId);
      return db.transaction(() => {
        db.prepare('INSERT INTO index_repos (repo_id) VALUES (?) ON CONFLICT(repo_id) DO NOTHING').run(repoId);
        const next = liveGeneration(db, repoId) + 1;
        db.prepare('UPDATE index_repos SET other_generation = ? WHERE repo_id = ?').run(next, repoId);
        return next;
      })();
    },
    async commitRebuild(repoId, generation, state) {
      db.transaction(() => {
        const live = liveGeneration(db, repoId);
        db.prepare('UPDATE index_repos SET generation = ?, other_generation = ? WHERE repo_id = ? AND other_generation = ?').run(
          generation,
          live,
          repoId,
          generation,
        );
        if (liveGeneration(db, repoId) !== generation)
          throw new Error(`generation ${generation} of repository ${repoId} is not being rebuilt`);
        writeState(repoId, state);
        bumpGeneration().run();
      })();
    },
    removeStaleRows,
    async putVectors(model, rows) {
      const insert = db.prepare('INSERT OR REPLACE INTO index_vectors (hash, model, vector) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (const row of rows) insert.run(row.hash, model, Buffer.from(row.vector.buffer, row.vector.byteOffset, row.vector.byteLength));
        bumpGeneration().run();
      })();
    },
    async setMeta(key, value) {
      db.prepare('INSERT INTO index_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    },
    async pruneVectors(options = {}) {
      let removed = 0;
      const dead = Number(readMeta(db, 'dead_chunks') ?? 0);
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
