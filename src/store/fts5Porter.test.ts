import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { codeTokens } from '../shared/codeTokens.js';
import { lexicalTerms } from './lexicalTerms.js';

/** Every code token of this repository's sources, plus words that take each porter rule. */
function vocabulary(): string[] {
  const words = new Set<string>(
    (
      'caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled sized hopping tanned ' +
      'falling hissing fizzed failing filing happy sky relational conditional rational valenci hesitanci digitizer ' +
      'conformabli radicalli differentli vileli analogousli vietnamization predication operator feudalism decisiveness ' +
      'hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical ' +
      'hopeful goodness revival allowance inference airliner gyroscopic adjustable defensible irritant replacement ' +
      'adjustment dependent adoption homologou communism activate angulariti homologous effective bowdlerize probate ' +
      'rate cease controll roll generalizations oscillators y ys yy aed ing eed xing using abbey played agreement'
    ).split(' '),
  );
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) for (const token of codeTokens(readFileSync(path, 'utf8'))) words.add(token);
    }
  };
  walk(join(import.meta.dirname, '..'));
  return [...words];
}

describe('the lexical terms of other stores', () => {
  it('stem every token as SQLite FTS5 porter unicode61 does', () => {
    const words = vocabulary();
    expect(words.length).toBeGreaterThan(3000);
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = "porter unicode61 tokenchars '_' remove_diacritics 0");
             CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
    db.transaction(() => {
      for (const [i, word] of words.entries()) insert.run(i + 1, word);
    })();
    const stems = new Map((db.prepare('SELECT doc, term FROM v').raw().all() as [number, string][]).map(([doc, term]) => [doc, term]));
    const mismatches = words.filter((word, i) => lexicalTerms(word).join(' ') !== stems.get(i + 1)).slice(0, 10);
    expect(mismatches.map((w) => `${w} -> ${lexicalTerms(w)} (fts5: ${stems.get(words.indexOf(w) + 1)})`)).toEqual([]);
    db.close();
  });

  it('split text on what is not a letter, digit or _, case-folded', () => {
    expect(lexicalTerms('Parse_HTTP-Headers, "quoted" 42x ÉCOLE')).toEqual(['parse_http', 'header', 'quot', '42x', 'école']);
    expect(lexicalTerms(' -+ ')).toEqual([]);
  });
});
