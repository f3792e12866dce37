import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/random.js';
import { trainCodeVectorsOffThread } from './codeVectorTrainer.js';
import { trainCodeVectors } from './codeVectorTraining.js';

/** Texts over a vocabulary of `words` made-up identifiers with topic structure (neighbouring ids co-occur). */
function syntheticCorpus(texts: number, words: number, tokensPerText: number, seed = 7): string[] {
  const rand = rng(seed);
  // Letters only, so each made-up identifier stays one sub-token.
  const word = (i: number) => `q${[...i.toString(26)].map((c) => String.fromCharCode(97 + Number.parseInt(c, 26))).join('')}`;
  const out: string[] = [];
  for (let t = 0; t < texts; t++) {
    const topic = Math.floor((rand() + 0.5) * words);
    const parts: string[] = [];
    for (let k = 0; k < tokensPerText; k++) parts.push(word((topic + Math.floor((rand() + 0.5) * 40)) % words));
    out.push(`function f${t}() {\n  ${parts.join(' ')}\n}`);
  }
  return out;
}

describe('code-vector training in a worker thread', () => {
  it('learns the bit-identical model that in-process training learns', async () => {
    const corpus = syntheticCorpus(600, 400, 60);
    const options = { dims: 16, minCount: 2 };
    const here = trainCodeVectors(corpus, options);
    const there = await trainCodeVectorsOffThread(corpus, options);
    expect(there.id).toBe(here.id);
    expect(there.dims).toBe(here.dims);
    expect(there.vocab).toEqual(here.vocab);
    expect(there.vectors).toBeInstanceOf(Float32Array);
    expect(Buffer.from(there.vectors.buffer).equals(Buffer.from(here.vectors.buffer))).toBe(true);
    expect(Buffer.from(there.idf.buffer).equals(Buffer.from(here.idf.buffer))).toBe(true);
  });

  it('leaves the main thread free while it learns', { timeout: 120_000 }, async () => {
    // Several seconds of training on this machine in process; the assertion is loose (1 s) so a loaded box passes.
    const corpus = syntheticCorpus(12_000, 12_000, 150);
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 20);
    const started = performance.now();
    try {
      const model = await trainCodeVectorsOffThread(corpus, { dims: 64 });
      expect(model.vocab.length).toBeGreaterThan(10_000);
    } finally {
      clearInterval(timer);
    }
    longestGap = Math.max(longestGap, performance.now() - last);
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThan(1000);
    expect(longestGap).toBeLessThan(1000);
  });

  it('stops when the signal aborts', async () => {
    const stop = new AbortController();
    const learning = trainCodeVectorsOffThread(syntheticCorpus(12_000, 12_000, 150), { dims: 64 }, stop.signal);
    setTimeout(() => stop.abort(new Error('cancelled by the test')), 200);
    await expect(learning).rejects.toThrow('cancelled by the test');
  });
});
