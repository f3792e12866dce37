import Database from 'better-sqlite3';

/**
 * The terms SQLite's FTS5 finds in each text (default tokenizer: unicode61, remove_diacritics 1), in no set order:
 * what a --grep matches on SQLite, so the PostgreSQL store, which stores them, matches the same commits.
 * ASCII text is split here: unicode61 keeps ASCII letters and digits, lower-cased, and nothing else. Any other
 * text goes through SQLite's own tokenizer in an in-memory table: its Unicode tables (which characters separate
 * words, how case and diacritics fold) are not JavaScript's.
 */
export function messageTerms(texts: readonly string[]): string[][] {
  const out: string[][] = new Array(texts.length);
  const others: number[] = [];
  for (const [i, text] of texts.entries()) {
    if (/^[\x00-\x7f]*$/.test(text)) out[i] = asciiTerms(text);
    else others.push(i);
  }
  if (others.length > 0) {
    const terms = sqliteTerms(others.map((i) => texts[i] as string));
    for (const [k, textIndex] of others.entries()) out[textIndex] = terms[k] as string[];
  }
  return out;
}

function asciiTerms(text: string): string[] {
  return text.match(/[0-9A-Za-z]+/g)?.map((w) => w.toLowerCase()) ?? [];
}

interface Tokenizer {
  db: Database.Database;
  add: Database.Statement;
  read: Database.Statement;
}

let tokenizer: Tokenizer | null = null;

function sqliteTerms(texts: string[]): string[][] {
  if (!tokenizer) {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE words USING fts5 (text, content = '', detail = full);
             CREATE VIRTUAL TABLE word_list USING fts5vocab (words, 'instance')`);
    tokenizer = {
      db,
      add: db.prepare('INSERT INTO words (rowid, text) VALUES (?, ?)'),
      read: db.prepare('SELECT doc, term FROM word_list'),
    };
  }
  const { db, add, read } = tokenizer;
  const out: string[][] = texts.map(() => []);
  db.transaction(() => {
    for (const [i, text] of texts.entries()) add.run(i + 1, text);
    for (const row of read.all() as { doc: number; term: string }[]) out[row.doc - 1]?.push(row.term);
    db.exec(`INSERT INTO words (words) VALUES ('delete-all')`);
  })();
  return out;
}

/**
 * The terms a --grep asks for: the terms of each of its words (runs of letters and digits), distinct; null when
 * there are none. A word FTS5 splits (a letter JavaScript knows and SQLite's tables do not) asks for each part,
 * anywhere in the message: an FTS5 phrase would need positions, which the SQLite index does not keep.
 */
export function grepTerms(grep: string): string[] | null {
  const words = grep.match(/[\p{L}\p{N}]+/gu);
  const terms = words ? [...new Set(messageTerms(words).flat())] : [];
  return terms.length > 0 ? terms : null;
}
