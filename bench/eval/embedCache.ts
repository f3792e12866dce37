/** Vectors cached on disk by (embedder id, sha1 of text), so reruns of the eval are cheap. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { EVAL_WORK_DIR } from './dataset.js';

export async function embedCached(
  embedder: Embedder,
  texts: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<Float32Array[]> {
  mkdirSync(join(EVAL_WORK_DIR, 'cache'), { recursive: true });
  const db = new Database(join(EVAL_WORK_DIR, 'cache', 'vectors.sqlite'));
  db.exec('CREATE TABLE IF NOT EXISTS v (model TEXT, hash TEXT, vec BLOB, PRIMARY KEY (model, hash))');
  const get = db.prepare('SELECT vec FROM v WHERE model = ? AND hash = ?');
  const put = db.prepare('INSERT OR REPLACE INTO v VALUES (?, ?, ?)');
  const hashes = texts.map((t) => createHash('sha1').update(t).digest('hex'));
  const out = new Array<Float32Array>(texts.length);
  const missing: number[] = [];
  hashes.forEach((h, i) => {
    const row = get.get(embedder.id, h) as { vec: Buffer } | undefined;
    if (row) out[i] = new Float32Array(row.vec.buffer.slice(row.vec.byteOffset, row.vec.byteOffset + row.vec.byteLength));
    else missing.push(i);
  });
  const unique = [...new Map(missing.map((i) => [hashes[i], i])).values()];
  for (let b = 0; b < unique.length; b += embedder.batchSize) {
    const idx = unique.slice(b, b + embedder.batchSize);
    const vecs = await embedder.embed(idx.map((i) => texts[i]));
    db.transaction(() => {
      idx.forEach((i, n) => {
        put.run(embedder.id, hashes[i], Buffer.from(vecs[n].buffer));
      });
    })();
    onProgress?.(Math.min(unique.length, b + idx.length), unique.length);
  }
  for (const i of missing) {
    if (!out[i]) {
      const row = get.get(embedder.id, hashes[i]) as { vec: Buffer };
      out[i] = new Float32Array(row.vec.buffer.slice(row.vec.byteOffset, row.vec.byteOffset + row.vec.byteLength));
    }
  }
  db.close();
  return out;
}
