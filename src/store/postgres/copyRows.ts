import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value in COPY's text format: `\N` for null, and backslash, tab, newline and carriage return escaped. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : text;
}

/** The rows as COPY text, a few thousand lines per piece (one string of a whole batch can reach hundreds of MB). */
function* copyLines(rows: readonly (readonly unknown[])[]): Generator<string> {
  let piece = '';
  for (const [i, row] of rows.entries()) {
    piece += `${row.map(copyField).join('\t')}\n`;
    if (i % 4096 === 4095) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/**
 * Inserts rows (values in the order of `columns`) with COPY: several times faster than `INSERT … SELECT unnest($n)`,
 * whose array parameters cost more to parse than the rows cost to write (100,000 postings: 0.1 s vs 0.46 s).
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  await pipeline(Readable.from(copyLines(rows)), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}

/**
 * Inserts (text, vector) rows with COPY's binary format: pgvector reads each vector as its dimensions and
 * big-endian float32s, so no float is printed or parsed (the text form cost 0.3 ms a vector of 256 dimensions).
 */
export async function copyVectors(client: pg.PoolClient, table: string, rows: { key: string; vector: Float32Array }[]): Promise<void> {
  if (rows.length === 0) return;
  function* pieces(): Generator<Buffer> {
    // Signature, flags, header extension length.
    yield Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
    for (const { key, vector } of rows) {
      const text = Buffer.from(key);
      const row = Buffer.alloc(2 + 4 + text.length + 4 + 4 + vector.length * 4);
      let at = row.writeInt16BE(2, 0);
      at = row.writeInt32BE(text.length, at);
      at += text.copy(row, at);
      at = row.writeInt32BE(4 + vector.length * 4, at);
      at = row.writeUInt16BE(vector.length, at);
      at = row.writeUInt16BE(0, at);
      for (const value of vector) at = row.writeFloatBE(value, at);
      yield row;
    }
    yield Buffer.from([0xff, 0xff]);
  }
  await pipeline(Readable.from(pieces()), client.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT binary)`)));
}
