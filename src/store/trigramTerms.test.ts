import { describe, expect, it } from 'vitest';
import { literalTrigramTerms, trigramTerms } from './trigramTerms.js';

const words = (text: string) => {
  const out = trigramTerms(text).toString('latin1');
  return out === '' ? [] : out.split(' ');
};

/** Every trigram of the case-folded text, the slow way. */
function allTrigrams(text: string): Set<string> {
  const lower = text.toLowerCase();
  const out = new Set<string>();
  for (let i = 0; i + 3 <= lower.length; i += 1) out.add(lower.slice(i, i + 3));
  return out;
}

describe('trigramTerms', () => {
  it('writes each distinct case-folded trigram once, as the word a literal of it maps to', () => {
    const text = 'def parse(Header):\n    return parse(header) # Größe 数据库\n';
    const got = words(text);
    expect(new Set(got).size).toBe(got.length);
    const expected = [...allTrigrams(text)].map((t) => literalTrigramTerms(t)[0]);
    expect(got.sort()).toEqual([...new Set(expected)].sort());
  });

  it('keeps words of different trigrams apart (ASCII and not)', () => {
    const trigrams = ['abc', 'abd', 'ab ', ' ab', 'öab', 'abö', '数据库', 'ÄBC'];
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
