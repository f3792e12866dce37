import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedFunctions as corpus } from '../../test/helpers/codeCorpus.js';
import { tempDir } from '../../test/helpers/git.js';
import { useTempStores } from '../../test/helpers/tempStore.js';
import { decodeCodeVectors, encodeCodeVectors } from './codeVectorFile.js';
import { trainCodeVectors } from './codeVectorTraining.js';
import { CODEVEC_ARTIFACT, createCorpusEmbedder } from './corpusEmbedder.js';

const openStore = useTempStores('gitlore-corpus-embedder-');
const TRAIN = { dims: 16, minCount: 2, maxTrainTokens: 4000 };

async function learn(texts: readonly string[]): Promise<{ id: string; vector: Float32Array }> {
  const { store } = await openStore();
  const embedder = await createCorpusEmbedder({ artifacts: store.artifacts, train: TRAIN });
  await embedder.fit?.(() => texts, { corpusSize: texts.length, force: true });
  const [vector] = await embedder.embed(['parse the request header']);
  return { id: embedder.id, vector: vector as Float32Array };
}

describe('corpus-learned embedder', () => {
  it('learns the same model, and the same vectors, from the same corpus in any order', async () => {
    // The order files reach the index differs between runs (parallel parser workers, repos at once); a token
    // budget below the corpus makes training sample it, as on a large index.
    const texts = corpus(800);
    const first = await learn(texts);
    const again = await learn([...texts].reverse());
    expect(again.id).toBe(first.id);
    expect(Array.from(again.vector)).toEqual(Array.from(first.vector));
  });

  it('moves the model file of an older install into the store once, and reads the store after that', async () => {
    const { store } = await openStore();
    const legacyFile = join(tempDir('gitlore-legacy-model-'), 'codevec.bin');
    const old = { ...trainCodeVectors(corpus(400), TRAIN), corpusSize: 400 };
    writeFileSync(legacyFile, encodeCodeVectors(old));
    const embedder = await createCorpusEmbedder({ artifacts: store.artifacts, legacyFile, train: TRAIN });
    expect(embedder.id).toBe(old.id);
    expect(existsSync(legacyFile)).toBe(false);
    const stored = await store.artifacts.get(CODEVEC_ARTIFACT);
    expect(stored?.version).toBe(1);
    expect(decodeCodeVectors(stored?.bytes as Buffer, 'stored').id).toBe(old.id);
    // The corpus it learned from is remembered: a corpus of about the same size keeps it.
    expect(await embedder.fit?.(() => corpus(420), { corpusSize: 420 })).toBe(false);

    // A file left on another machine does not replace the store's model.
    writeFileSync(legacyFile, encodeCodeVectors(trainCodeVectors(corpus(100), TRAIN)));
    const later = await createCorpusEmbedder({ artifacts: store.artifacts, legacyFile, train: TRAIN });
    expect(later.id).toBe(old.id);
    expect(await store.artifacts.version(CODEVEC_ARTIFACT)).toBe(1);
  });

  it('relearns over a stored model it cannot read, instead of failing', async () => {
    const { store } = await openStore();
    expect(await store.artifacts.put(CODEVEC_ARTIFACT, Buffer.from('not a model'), null)).toBe(1);
    const embedder = await createCorpusEmbedder({ artifacts: store.artifacts, train: TRAIN });
    expect(embedder.id).toBe('codevec-untrained');
    const texts = corpus(300);
    expect(await embedder.fit?.(() => texts, { corpusSize: texts.length })).toBe(true);
    expect(await store.artifacts.version(CODEVEC_ARTIFACT)).toBe(2);
    expect(decodeCodeVectors((await store.artifacts.get(CODEVEC_ARTIFACT))?.bytes as Buffer, 'stored').id).toBe(embedder.id);
  });
});
