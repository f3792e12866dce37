import { describe, expect, it } from 'vitest';
import { decodeCodeVectors } from '../../src/embeddings/codeVectorFile.js';
import { CODEVEC_ARTIFACT, createCorpusEmbedder } from '../../src/embeddings/corpusEmbedder.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { createLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';
import { documentedFunctions as corpus } from '../helpers/codeCorpus.js';

const TRAIN = { dims: 16, minCount: 2, maxTrainTokens: 4000 };
const QUERIES = ['parse the request header', 'resize an image', 'retry the network job'];

/** The corpus embedder of one process on `store`, with the lines it logs. */
async function processOn(store: Store): Promise<{ embedder: Embedder; lines: string[] }> {
  const lines: string[] = [];
  const log = createLogger('test', { level: 'info', write: (line) => lines.push(line) });
  return { embedder: await createCorpusEmbedder({ artifacts: store.artifacts, log, train: TRAIN }), lines };
}

/** A fit that counts whether it asked for the texts (it does only when it learns), slowed so a rival overlaps it. */
function fitCounting(embedder: Embedder, texts: string[], learned: { count: number }, force = false) {
  return embedder.fit?.(
    async () => {
      learned.count += 1;
      await new Promise((resolve) => setTimeout(resolve, 400));
      return texts;
    },
    { corpusSize: texts.length, force },
  );
}

async function vectorsOf(embedder: Embedder): Promise<number[][]> {
  return (await embedder.embed(QUERIES)).map((v) => Array.from(v));
}

async function storedModelId(store: Store): Promise<string | null> {
  const stored = await store.artifacts.get(CODEVEC_ARTIFACT);
  return stored ? decodeCodeVectors(stored.bytes, 'the stored model').id : null;
}

describe.each(BACKENDS)('the code-vector model shared through the store on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('gives another process (store handle) the model one process learned: same id, same vectors', async () => {
    const { store, reopen } = await openStore();
    const other = await reopen();
    const learner = await processOn(store);
    const reader = await processOn(other);
    expect(reader.embedder.id).toBe('codevec-untrained');

    const texts = corpus(600);
    expect(await learner.embedder.fit?.(() => texts, { corpusSize: texts.length })).toBe(true);
    expect(learner.embedder.id).toMatch(/^codevec-16-/);

    // What a process does when it sees `embedding_model` change: build the embedder again, from the store.
    const reloaded = await processOn(other);
    expect(reloaded.embedder.id).toBe(learner.embedder.id);
    expect(await vectorsOf(reloaded.embedder)).toEqual(await vectorsOf(learner.embedder));

    // The reader's own index run takes up the published model instead of learning one of its own.
    const learned = { count: 0 };
    expect(await fitCounting(reader.embedder, texts, learned)).toBe(true);
    expect(learned.count).toBe(0);
    expect(reader.embedder.id).toBe(learner.embedder.id);
    expect(await vectorsOf(reader.embedder)).toEqual(await vectorsOf(learner.embedder));
    expect(await other.artifacts.version(CODEVEC_ARTIFACT)).toBe(1);
  });

  it('lets two processes fitting at once learn one model between them, the other waiting and taking it up', async () => {
    const { store, reopen } = await openStore();
    const a = await processOn(store);
    const b = await processOn(await reopen());
    const texts = corpus(600);
    const learned = { count: 0 };
    const [changedA, changedB] = await Promise.all([fitCounting(a.embedder, texts, learned), fitCounting(b.embedder, texts, learned)]);
    expect([changedA, changedB]).toEqual([true, true]);
    expect(learned.count).toBe(1);
    expect(a.embedder.id).toBe(b.embedder.id);
    expect(await storedModelId(store)).toBe(a.embedder.id);
    expect(await store.artifacts.version(CODEVEC_ARTIFACT)).toBe(1);
    expect([...a.lines, ...b.lines].filter((line) => line.includes('waiting for it'))).toHaveLength(1);
    expect([...a.lines, ...b.lines].filter((line) => line.includes('relearned the code-vector model; using it'))).toHaveLength(1);
  });

  it('keeps a model another process relearned while this one waited, even when both were told to relearn', async () => {
    const { store, reopen } = await openStore();
    const a = await processOn(store);
    const b = await processOn(await reopen());
    const first = corpus(600);
    await a.embedder.fit?.(() => first, { corpusSize: first.length });
    const before = a.embedder.id;
    // A grown corpus with new vocabulary, and `index --full` in two workers at once.
    const grown = [...first, ...corpus(400, 99).map((text) => text.replace(/request/g, 'query'))];
    const learned = { count: 0 };
    await Promise.all([fitCounting(a.embedder, grown, learned, true), fitCounting(b.embedder, grown, learned, true)]);
    expect(learned.count).toBe(1);
    expect(a.embedder.id).not.toBe(before);
    expect(b.embedder.id).toBe(a.embedder.id);
    expect(await storedModelId(store)).toBe(a.embedder.id);
    expect(await store.artifacts.version(CODEVEC_ARTIFACT)).toBe(2);
    expect(await vectorsOf(b.embedder)).toEqual(await vectorsOf(a.embedder));
  });

  it('relearns when the corpus has changed a lot even after taking up another process’s model', async () => {
    const { store, reopen } = await openStore();
    const a = await processOn(store);
    const b = await processOn(await reopen());
    const small = corpus(300);
    await a.embedder.fit?.(() => small, { corpusSize: small.length });
    const big = [...small, ...corpus(600, 5)];
    const learned = { count: 0 };
    expect(await fitCounting(b.embedder, big, learned)).toBe(true);
    expect(learned.count).toBe(1);
    expect(b.embedder.id).not.toBe(a.embedder.id);
    expect(await store.artifacts.version(CODEVEC_ARTIFACT)).toBe(2);
    expect(await storedModelId(store)).toBe(b.embedder.id);
  });
});
