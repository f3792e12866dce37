/** The floor: plain BM25 (SQLite FTS5) over function-level chunks with code-aware tokens. No priors, no symbols, no fusion. */
import Database from 'better-sqlite3';
import { subtokens } from '../../src/embeddings/subtokens.js';
import type { BaseChunk } from './baselineChunks.js';
import type { RankedHit } from './metrics.js';

export interface Bm25Index {
  search(query: string, k: number): (RankedHit & { id: number; score: number })[];
  close(): void;
}

const toks = (text: string) => subtokens(text, { keepWhole: true }).join(' ');

export function buildBm25(chunks: readonly BaseChunk[]): Bm25Index {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE c USING fts5(body, tokenize='unicode61')`);
  const ins = db.prepare('INSERT INTO c(rowid, body) VALUES (?, ?)');
  db.transaction(() => {
    chunks.forEach((ch, i) => {
      ins.run(i + 1, `${toks(ch.path)} ${toks(ch.text)}`);
    });
  })();
  const q = db.prepare('SELECT rowid AS id, bm25(c) AS s FROM c WHERE c MATCH ? ORDER BY s LIMIT ?');
  return {
    search(query, k) {
      const terms = [...new Set(subtokens(query, { keepWhole: true }))];
      if (terms.length === 0) return [];
      const rows = q.all(terms.map((t) => `"${t}"`).join(' OR '), k) as { id: number; s: number }[];
      return rows.map((r) => {
        const ch = chunks[r.id - 1];
        return { id: r.id - 1, path: ch.path, startLine: ch.startLine, endLine: ch.endLine, score: -r.s };
      });
    },
    close: () => db.close(),
  };
}
