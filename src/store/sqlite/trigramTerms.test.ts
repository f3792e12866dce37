import { describe, expect, it } from 'vitest';
import { literalTrigramTerms, trigramTerms } from './trigramTerms.js';

const words = (text: string) => {
  const out = trigramTerms(text).toString('latin1');
  return out === '' ? [] : out.split(' ');
};

/** Every trigram of identifier characters in the case-folded text, the slow way. */
function wordTrigrams(text: string): Set<string> {
  const lower = text.toLowerCase();
  const out = new Set<string>();
  for (let i = 0; i + 3 <= lower.length; i += 1) {
    const trigram = lower.slice(i, i + 3);
    if (/^[a-z0-9_\u0080-\uffff]{3}$/.test(trigram)) out.add(trigram);
  }
  return out;
}

describe('trigramTerms', () => {
  it('writes each distinct case-folded trigram of identifier characters once, as the word a literal of it maps to', () => {
    const text = 'def parse_(Header):\n    return parse_(header) # Größe 数据库 x2y\n';
    const got = words(text);
    expect(new Set(got).size).toBe(got.length);
    const trigrams = [...wordTrigrams(text)];
    expect(trigrams).toContain('se_');
    expect(trigrams).toContain('数据库');
    const expected = trigrams.map((t) => literalTrigramTerms(t)[0]);
    expect(got.sort()).toEqual([...new Set(expected)].sort());
  });

  it('leaves out trigrams with whitespace or punctuation, in texts and in literals alike', () => {
    expect(words('a = b;\n(x)')).toEqual([]);
    expect(literalTrigramTerms(' = ')).toEqual([]);
    expect(literalTrigramTerms('->(')).toEqual([]);
    // 'foo.bar(' asks only for foo and bar, both of which the text has.
    const all = new Set(words('x = foo.bar(1)'));
    expect(literalTrigramTerms('foo.bar(')).toHaveLength(2);
    for (const word of literalTrigramTerms('foo.bar(')) expect(all.has(word)).toBe(true);
  });

  it('keeps words of different trigrams apart (ASCII and not)', () => {
    const trigrams = ['abc', 'abd', 'ab_', '_ab', 'öab', 'abö', '数据库', 'ÄBC', 'a1b'];
    const mapped = trigrams.map((t) => literalTrigramTerms(t)[0]);
    // 'ÄBC' folds to 'äbc', which differs from every other entry
    expect(new Set(mapped).size).toBe(trigrams.length);
    expect(literalTrigramTerms('ABC')).toEqual(literalTrigramTerms('abc'));
    for (const word of mapped) expect(word).toMatch(/^[0-9a-v]+$/);
  });

  it('gives nothing for text shorter than a trigram, and the words of a literal are a subset of its text', () => {
    expect(words('ab')).toEqual([]);
    expect(literalTrigramTerms('ab')).toEqual([]);
    const text = 'class HTTPTransport(BaseTransport): pass';
    const all = new Set(words(text));
    for (const word of literalTrigramTerms('HTTPTransport(')) expect(all.has(word)).toBe(true);
    expect(literalTrigramTerms('Transporter').every((word) => all.has(word))).toBe(false);
  });

  it('starts afresh for each text (no trigram leaks from the previous one)', () => {
    words('zzzqqq');
    expect(words('zzzqqq')).toHaveLength(4);
    expect(words('qqq')).toHaveLength(1);
  });
});
