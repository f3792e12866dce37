import { describe, expect, it } from 'vitest';
import type { IndexedChunk } from '../store/index.js';
import { modelFits, rankerScore, type TrainingGroup, trainHiddenRanker, trainRanker } from './learnedRanker.js';
import { queryWants } from './priors.js';
import { FIXED_RANKER } from './rankerModel.js';
import { FEATURE_COUNT, FEATURE_NAMES, headingNames, queryShape, rankFeatures } from './rankFeatures.js';

const chunk = (id: number, over: Partial<IndexedChunk> = {}): IndexedChunk => ({
  id,
  repoId: 1,
  fileId: id,
  path: `src/f${id}.ts`,
  language: 'typescript',
  startLine: 1,
  endLine: 10,
  kind: 'function',
  symbol: `f${id}`,
  doc: null,
  context: null,
  hash: String(id),
  vendored: false,
  ...over,
});
const at = (x: Float64Array, name: (typeof FEATURE_NAMES)[number]) => x[FEATURE_NAMES.indexOf(name)]!;

describe('rank features', () => {
  it('describe retriever evidence by rank and relative score, and how the query meets the name, path and doc', () => {
    const chunks = [
      chunk(1, { symbol: 'parseConfigFile', doc: 'Reads the config file.' }),
      chunk(2, { path: 'test/config.test.ts', kind: 'block', symbol: null }),
    ];
    const shape = queryShape('parse the config file', queryWants('parse the config file'));
    const [a, b] = rankFeatures(
      chunks,
      {
        lexical: [
          { chunkId: 2, score: -10 },
          { chunkId: 1, score: -5 },
        ],
        semantic: [1],
        symbol: [],
        cosine: new Map([
          [1, 0.8],
          [2, 0.2],
        ]),
      },
      shape,
    );
    expect(a!.length).toBe(FEATURE_COUNT);
    expect(at(b!, 'lexRecip')).toBe(1);
    expect(at(a!, 'lexRecip')).toBe(0.5);
    expect(at(a!, 'lexRel')).toBe(0.5);
    expect(at(a!, 'semRecip')).toBe(1);
    expect(at(b!, 'semRecip')).toBe(0);
    expect(at(a!, 'cosine')).toBeCloseTo(0.8);
    expect(at(b!, 'cosineGap')).toBeCloseTo(0.6);
    expect(at(a!, 'nameExact')).toBe(1);
    expect(at(a!, 'nameFrac')).toBe(1);
    expect(at(a!, 'docCover')).toBeGreaterThan(0.5);
    expect(at(b!, 'test')).toBe(1);
    expect(at(b!, 'kindBlock')).toBe(1);
    expect(at(a!, 'kindCallable')).toBe(1);
  });
});

describe('documentation headings that name a definition', () => {
  it('read code names from headings, not the words of a prose heading', () => {
    expect(headingNames('request.href')).toEqual(['href']);
    expect(headingNames('hooks.beforeRequest')).toEqual(['beforeRequest']);
    expect(headingNames('`Client`')).toEqual(['Client']);
    expect(headingNames('ky.get(input, options?)')).toEqual(['get']);
    expect(headingNames('response.set(field, value)')).toEqual(['set']);
    expect(headingNames('totalTimeout')).toEqual(['totalTimeout']);
    expect(headingNames('Sending form data')).toEqual([]);
    expect(headingNames('Setting a custom `Content-Type`')).toEqual(['Content']);
  });

  it('give a definition the lexical rank of the best-ranked section headed by its name', () => {
    const chunks = [
      chunk(1, { path: 'docs/api/request.md', language: 'markdown', kind: 'section', symbol: 'request.host' }),
      chunk(2, { path: 'docs/api/request.md', language: 'markdown', kind: 'section', symbol: 'request.href' }),
      chunk(3, { path: 'lib/request.js', kind: 'getter', symbol: 'request.href' }),
      chunk(4, { path: 'lib/request.js', kind: 'getter', symbol: 'request.host' }),
      chunk(5, { path: 'lib/request.js', kind: 'getter', symbol: 'request.url' }),
    ];
    const query = 'Get full request URL';
    const [hostDoc, , href, host, url] = rankFeatures(
      chunks,
      {
        lexical: [
          { chunkId: 2, score: -8 },
          { chunkId: 5, score: -6 },
          { chunkId: 1, score: -4 },
        ],
      },
      queryShape(query, queryWants(query)),
    );
    expect(at(href!, 'docHeading')).toBe(1);
    expect(at(href!, 'docHeadingRel')).toBe(1);
    expect(at(host!, 'docHeading')).toBeCloseTo(1 / 3);
    expect(at(host!, 'docHeadingRel')).toBeCloseTo(0.5);
    expect(at(url!, 'docHeading')).toBe(0);
    // A section does not name itself.
    expect(at(hostDoc!, 'docHeading')).toBe(0);
  });
});

describe("what the query's wording asks for", () => {
  const features = (query: string, chunks: IndexedChunk[], pasted = false) =>
    rankFeatures(chunks, {}, queryShape(query, queryWants(query), pasted));
  const accessors = [chunk(1, { kind: 'setter', symbol: 'request.search' }), chunk(2, { kind: 'getter', symbol: 'request.search' })];

  it('a sentence starting "Set" points at the setter, "Return" at the getter', () => {
    const [setter, getter] = features('Set the search string.', accessors);
    expect([at(setter!, 'askSetter'), at(getter!, 'askSetter')]).toEqual([1, 0]);
    const [setter2, getter2] = features('Return the search string.', accessors);
    expect([at(setter2!, 'askGetter'), at(getter2!, 'askGetter')]).toEqual([0, 1]);
  });

  it('an error described points at error types, a check at predicates, a noun phrase at types', () => {
    const chunks = [
      chunk(1, { kind: 'class', symbol: 'PoolTimeout' }),
      chunk(2, { kind: 'function', symbol: 'acquire' }),
      chunk(3, { kind: 'function', symbol: 'isTimeoutError' }),
    ];
    const [type, plain, predicate] = features('The error raised when waiting for a connection timed out.', chunks);
    expect([at(type!, 'askErrorType'), at(plain!, 'askErrorType')]).toEqual([1, 0]);
    expect([at(type!, 'nounXtype'), at(plain!, 'nounXcallable')]).toEqual([1, 1]);
    expect(at(predicate!, 'askPredicate')).toBe(0);
    expect(at(features('Check whether the error is a timeout', chunks)[2]!, 'askPredicate')).toBe(1);
    expect(at(features('Type guard to check if the error is a timeout', chunks)[2]!, 'askPredicate')).toBe(1);
    expect(at(features('Base class for pool errors', chunks)[0]!, 'askClass')).toBe(1);
    expect(at(features('Acquire a connection', chunks)[0]!, 'askClass')).toBe(0);
    expect(at(features('Acquire a pooled connection', chunks)[1]!, 'verbInName')).toBe(1);
    expect(at(features('The pooled connection', chunks)[1]!, 'verbInName')).toBe(0);
  });

  it("reads nothing from the order of a pasted text's extracted terms", () => {
    const [setter] = features('set search string', accessors, true);
    expect(at(setter!, 'askSetter')).toBe(0);
  });

  it('is part of the shipped model', () => {
    for (const name of [
      'askSetter',
      'askGetter',
      'askErrorType',
      'askPredicate',
      'askCreate',
      'nounXtype',
      'askClass',
      'askAsync',
    ] as const)
      expect(FIXED_RANKER.features).toContain(name);
  });
});

describe('the learned ranker', () => {
  it('learns from training queries which feature marks the answer, and ranks unseen candidates by it', () => {
    const feature = FEATURE_NAMES.indexOf('nameFrac');
    const noise = FEATURE_NAMES.indexOf('logLines');
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const group = (): TrainingGroup => {
      const features = Array.from({ length: 20 }, () => {
        const x = new Float64Array(FEATURE_COUNT);
        x[noise] = random();
        x[feature] = random() * 0.5;
        return x;
      });
      features[3]![feature] = 0.9;
      return { features, gold: features.map((_, i) => i === 3) };
    };
    const model = trainRanker(Array.from({ length: 40 }, group), { epochs: 200, trainedOn: 'test' });
    expect(model.weights[feature]!).toBeGreaterThan(Math.abs(model.weights[noise]!) * 3);
    const test = group();
    const best = test.features.map((x, i) => ({ i, s: rankerScore(model, x) })).sort((a, b) => b.s - a.s)[0]!;
    expect(best.i).toBe(3);
  });

  it('learns with rectified units what no linear weighting can: evidence that counts only without other evidence', () => {
    // The answers hold exactly one of two signals; candidates holding both or neither are wrong. A linear score
    // would need each weight positive (beat "neither") and negative (beat "both") at once.
    const a = FEATURE_NAMES.indexOf('docCover');
    const b = FEATURE_NAMES.indexOf('nameFrac');
    const vector = (va: number, vb: number) => {
      const x = new Float64Array(FEATURE_COUNT);
      x[FEATURE_NAMES.indexOf('bias')] = 1;
      x[a] = va;
      x[b] = vb;
      return x;
    };
    const group = (): TrainingGroup => ({
      features: [vector(1, 1), vector(0, 0), vector(1, 0), vector(0, 1)],
      gold: [false, false, true, true],
    });
    const groups = Array.from({ length: 10 }, group);
    const linear = trainRanker(groups, { epochs: 200, trainedOn: 'test' });
    const hidden = trainHiddenRanker(groups, { units: 4, seeds: 2, epochs: 400, l2: 1e-4, learningRate: 0.05, linear, trainedOn: 'test' });
    const topTwo = (model: typeof linear) =>
      group()
        .features.map((x, i) => ({ i, s: rankerScore(model, x) }))
        .sort((p, q) => q.s - p.s)
        .slice(0, 2)
        .map((r) => r.i)
        .sort();
    expect(topTwo(hidden)).toEqual([2, 3]);
    expect(topTwo(linear)).not.toEqual([2, 3]);
    expect(hidden.hidden?.units).toHaveLength(8);
    expect(hidden.version).toBe(2);
  });

  it('keeps the features it is told to out of the units', () => {
    const x = () => Float64Array.from({ length: FEATURE_COUNT }, (_, i) => (i % 3) / 3);
    const groups: TrainingGroup[] = Array.from({ length: 4 }, () => ({ features: [x(), x().fill(0.5)], gold: [true, false] }));
    const linear = trainRanker(groups, { epochs: 20, trainedOn: 'test' });
    const model = trainHiddenRanker(groups, { units: 3, epochs: 20, linear, linearOnly: ['vendored'], trainedOn: 'test' });
    const vendored = FEATURE_NAMES.indexOf('vendored');
    expect(model.hidden!.units.every((row) => row[vendored] === 0)).toBe(true);
  });

  it('uses the shipped model only when it was trained on these features', () => {
    expect(modelFits(FIXED_RANKER)).toBe(true);
    expect(modelFits({ ...FIXED_RANKER, features: FIXED_RANKER.features.slice(1) })).toBe(false);
  });
});
