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
function* copyLines(columns: readonly unknown[][]): Generator<string> {
  const rows = columns[0]?.length ?? 0;
  let piece = '';
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns.length; column += 1) {
      piece += copyField(columns[column]![row]);
      piece += column === columns.length - 1 ? '\n' : '\t';
    }
    if (row % 4096 === 4095) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/**
 * Inserts rows given column by column with COPY: several times faster than `INSERT … SELECT unnest($n)`, whose
 * array parameters cost more to parse than the rows cost to write (measured: 100,000 postings in 0.1 s vs 0.46 s).
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  names: readonly string[],
  columns: readonly unknown[][],
): Promise<void> {
  if ((columns[0]?.length ?? 0) === 0) return;
  await pipeline(Readable.from(copyLines(columns)), client.query(copyFrom(`COPY ${table} (${names.join(', ')}) FROM STDIN`)));
}
