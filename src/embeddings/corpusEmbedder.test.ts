import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/random.js';
import { createCorpusEmbedder } from './corpusEmbedder.js';

const dir = mkdtempSync(join(tmpdir(), 'gitlore-corpus-embedder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Documented functions over a small vocabulary, so tokens repeat and co-occur. */
function corpus(size: number): string[] {
  const rand = rng(11);
  const words = 'parse request header cookie resize image hash password retry network render markdown merge list schedule job'.split(' ');
  const pick = () => words[Math.floor((rand() + 0.5) * words.length)];
  return Array.from(
    { length: size },
    (_, i) => `/** ${pick()} the ${pick()} ${pick()} */\nfunction ${pick()}${i}() { return ${pick()}(${pick()}); }`,
  );
}

async function learn(name: string, texts: readonly string[]): Promise<{ id: string; vector: Float32Array }> {
  const embedder = createCorpusEmbedder({ modelPath: join(dir, `${name}.bin`), train: { dims: 16, minCount: 2, maxTrainTokens: 4000 } });
  await embedder.fit?.(() => texts, { corpusSize: texts.length, force: true });
  const [vector] = await embedder.embed(['parse the request header']);
  return { id: embedder.id, vector: vector as Float32Array };
}

describe('corpus-learned embedder', () => {
  it('learns the same model, and the same vectors, from the same corpus in any order', async () => {
    // The order files reach the index differs between runs (parallel parser workers, repos at once); a token
    // budget below the corpus makes training sample it, as on a large index.
    const texts = corpus(800);
    const first = await learn('first', texts);
    const again = await learn('again', [...texts].reverse());
    expect(again.id).toBe(first.id);
    expect(Array.from(again.vector)).toEqual(Array.from(first.vector));
  });
});
