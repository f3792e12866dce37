import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../../test/helpers/git.js';
import { loadConfig } from '../config/index.js';
import { openSqliteStore } from '../store/sqlite/sqliteStore.js';
import { decodeCodeVectors, encodeCodeVectors } from './codeVectorFile.js';
import { codeVectorEmbedder } from './codeVectors.js';
import { trainCodeVectors } from './codeVectorTraining.js';
import { createEmbedder } from './createEmbedder.js';
import { subtokens } from './subtokens.js';
import { dot } from './vectors.js';

/** A synthetic corpus with two topics: HTTP request handling (with the `req`/`ctx` abbreviations) and file system paths. */
function corpus(): string[] {
  const texts: string[] = [];
  for (let i = 0; i < 120; i++) {
    texts.push(
      `function handleRequest${i}(req, res) {\n  // read the request header and send the response body\n  const header = req.getHeader('host');\n  res.sendBody(header + ${i});\n}`,
      `function parseRequestHeaders${i}(ctx) {\n  // request header parsing for the http context\n  return ctx.request.headers.host + ctx.response.status;\n}`,
      `def read_file_path_${i}(path):\n    """Open the file at path and read its lines from the directory."""\n    with open(os.path.join(directory, path)) as fh:\n        return fh.readlines()`,
      `def list_directory_${i}(folder):\n    # walk the directory tree and join each file path\n    return [os.path.join(folder, name) for name in os.listdir(folder)]`,
    );
  }
  return texts;
}

describe('subtokens', () => {
  it('splits camelCase, snake_case and acronyms and keeps the whole identifier on request', () => {
    expect(subtokens('getHTTPResponse2 read_file_path')).toEqual(['get', 'http', 'response', '2', 'read', 'file', 'path']);
    expect(subtokens('parseURL', { keepWhole: true })).toEqual(['parse', 'url', 'parseurl']);
  });
});

describe('corpus-learned code vectors', () => {
  const model = trainCodeVectors(corpus(), { dims: 16, minCount: 2 });
  const embedder = codeVectorEmbedder(model);

  it('puts tokens of one topic closer than tokens of the other', () => {
    const vec = (t: string) => model.vectors.subarray(model.vocab.indexOf(t) * model.dims, (model.vocab.indexOf(t) + 1) * model.dims);
    expect(model.vocab).toContain('req');
    expect(dot(vec('req'), vec('header'))).toBeGreaterThan(dot(vec('req'), vec('directory')));
    expect(dot(vec('path'), vec('directory'))).toBeGreaterThan(dot(vec('path'), vec('response')));
  });

  it('ranks the matching chunk first for a natural-language query without shared identifiers', async () => {
    const [q, http, fs] = await embedder.embed([
      'send a reply to the client',
      'function onReq(req, res) { res.sendBody(req.getHeader("host")) }',
      'def walk(folder): return os.listdir(folder)',
    ]);
    expect(Math.hypot(...q)).toBeCloseTo(1, 4);
    expect(dot(q, http)).toBeGreaterThan(dot(q, fs));
  });

  it('round-trips through its blob, vectors and id unchanged, and refuses a blob cut short or foreign', () => {
    const bytes = encodeCodeVectors({ ...model, corpusSize: 480 });
    const loaded = decodeCodeVectors(bytes, 'the test model');
    expect(loaded.id).toBe(model.id);
    expect(loaded.corpusSize).toBe(480);
    expect(loaded.vocab).toEqual(model.vocab);
    expect(Buffer.from(loaded.vectors.buffer).equals(Buffer.from(model.vectors.buffer))).toBe(true);
    expect(Buffer.from(loaded.idf.buffer).equals(Buffer.from(model.idf.buffer))).toBe(true);
    expect(() => decodeCodeVectors(bytes.subarray(0, bytes.length - 4), 'the test model')).toThrow('the test model is cut short');
    expect(() => decodeCodeVectors(Buffer.from('{"magic":"other"}\n'), 'x.bin')).toThrow('x.bin is not a gitlore code-vector model');
    expect(() => decodeCodeVectors(Buffer.from([0, 1, 2]), 'x.bin')).toThrow('x.bin is not a gitlore code-vector model');
  });

  it('survives empty and tiny corpora with finite vectors', async () => {
    for (const texts of [[], ['x = 1'], Array(5).fill('open file read lines path')]) {
      const tiny = trainCodeVectors(texts, { dims: 128 });
      const [v] = await codeVectorEmbedder(tiny).embed(['open a file']);
      expect(v.length).toBe(tiny.dims);
      expect(Array.from(v).every(Number.isFinite)).toBe(true);
    }
  });

  it('is deterministic for the same corpus', () => {
    expect(trainCodeVectors(corpus(), { dims: 16, minCount: 2 }).id).toBe(model.id);
  });
});

describe('GITLORE_EMBEDDINGS_MODEL=codevec through createEmbedder', () => {
  it('starts untrained, learns on fit, retrains only when the corpus changes a lot, and reloads from the store', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ cwd: dataDir, env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS_MODEL: 'codevec' } });
    const store = openSqliteStore(config.dbPath);
    onTestFinished(() => store.close());
    const embedder = await createEmbedder(config, { artifacts: store.artifacts });
    if (!embedder?.fit) throw new Error('expected a corpus embedder with fit()');
    expect(embedder.id).toBe('codevec-untrained');
    const [zero] = await embedder.embed(['anything']);
    expect(zero.every((x) => x === 0)).toBe(true);

    const texts = corpus();
    expect(await embedder.fit(() => texts, { corpusSize: texts.length })).toBe(true);
    const trainedId = embedder.id;
    expect(trainedId).toMatch(/^codevec-128-/);
    const [v] = await embedder.embed(['request header']);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(await embedder.fit(() => texts, { corpusSize: texts.length + 10 })).toBe(false);
    expect(embedder.id).toBe(trainedId);

    // Nothing beside the database: the model is in it.
    expect(existsSync(join(config.indexPath, 'codevec.bin'))).toBe(false);
    const again = await createEmbedder(config, { artifacts: store.artifacts });
    expect(again?.id).toBe(trainedId);
    const [w] = (await again?.embed(['request header'])) ?? [];
    expect(dot(v, w)).toBeCloseTo(1, 5);

    const bigger = [...texts, ...texts.map((t) => t.replace(/request/g, 'query'))];
    expect(await again?.fit?.(() => bigger, { corpusSize: bigger.length })).toBe(true);
    expect(again?.id).not.toBe(trainedId);
  });
});
