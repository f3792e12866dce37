import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/random.js';
import { grepTerms, messageTerms } from './messageTerms.js';

/** What FTS5 itself makes of each text, through a table like history_fts (default tokenizer). */
/** Each text's terms sorted: messageTerms gives them in no set order. */
const sorted = (terms: string[][]) => terms.map((t) => [...t].sort());

function fts5Terms(texts: string[]): string[][] {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5 (x, content = '', detail = full);
           CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')`);
  const add = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
  for (const [i, text] of texts.entries()) add.run(i + 1, text);
  const out: string[][] = texts.map(() => []);
  for (const row of db.prepare('SELECT doc, term FROM v ORDER BY doc, offset').all() as { doc: number; term: string }[]) {
    out[row.doc - 1]?.push(row.term);
  }
  db.close();
  return out;
}

describe('messageTerms', () => {
  it('splits ASCII as FTS5 does: every character between letters, and random printable text', () => {
    const random = rng(11);
    const texts = Array.from({ length: 128 }, (_, c) => `ab${String.fromCharCode(c)}Cd`);
    for (let i = 0; i < 300; i++) {
      texts.push(Array.from({ length: 40 }, () => String.fromCharCode(32 + Math.floor((random() + 0.5) * 95))).join(''));
    }
    expect(sorted(messageTerms(texts))).toEqual(sorted(fts5Terms(texts)));
  });

  it('folds other scripts, case and accents as FTS5 does, mixed with ASCII texts in one call', () => {
    const texts = ['Café ÜBER straße', 'plain ascii', 'ǖber naïve ΣΊΣΥΦΟΣ İstanbul ﬁle Ⅻ ²', '日本語のテスト', 'x\u19b0y', ''];
    expect(sorted(messageTerms(texts))).toEqual(sorted(fts5Terms(texts)));
    expect(messageTerms(['Café'])).toEqual([['cafe']]);
  });

  it('asks for the distinct terms of the words of a grep, none for punctuation alone', () => {
    expect(grepTerms('Fix  fix, CAFÉ/über')?.sort()).toEqual(['cafe', 'fix', 'uber']);
    expect(grepTerms('x\u19b0y')?.sort()).toEqual(['x', 'y']);
    expect(grepTerms('%% -- ..')).toBeNull();
    expect(grepTerms('\u19b0')).toBeNull();
  });
});
