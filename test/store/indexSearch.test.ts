import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';
import { fileWithChunks as file, storeWithRepos, symbolAt } from '../helpers/indexFixtures.js';

const WEIGHTS = { symbol: 10, path: 5, doc: 1, body: 0.25 };

describe.each(BACKENDS)('the index store searches on %s', (backend) => {
  const open = useBackendStores(backend);

  it('ranks by weighted fields: a name hit beats a body hit unless the weights say otherwise', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [{ symbol: 'other', body: 'cache cache cache' }]),
        file('b.ts', 'typescript', [{ symbol: 'cache', body: 'x' }]),
      ],
    });
    const [inBody, inName] = await store.index.chunks([1, 2]);
    const ids = async (fieldWeights: typeof WEIGHTS) =>
      (await store.index.lexical({ terms: ['cache'], fieldWeights }, {}, 10)).map((r) => r.chunkId);
    expect(await ids(WEIGHTS)).toEqual([inName!.id, inBody!.id]);
    expect(await ids({ symbol: 0.01, path: 0, doc: 0, body: 10 })).toEqual([inBody!.id, inName!.id]);
  });

  it('takes terms as words: quotes and FTS5 operators neither fail nor act, any term may match, stems match stems', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [
          { symbol: '', body: 'near and or not' },
          { symbol: '', body: 'plain words' },
          { symbol: '', body: 'parsing connections' },
        ]),
      ],
    });
    const found = async (terms: string[]) => (await store.index.lexical({ terms, fieldWeights: WEIGHTS }, {}, 10)).length;
    expect(await found(['NEAR', 'AND', 'NOT'])).toBe(1);
    expect(await found(['"plain', 'missing*', '-words'])).toBe(1);
    expect(await found(['parsed', 'connection'])).toBe(1);
    expect(await found(['absent'])).toBe(0);
    expect(await found([])).toBe(0);
  });

  it('applies the repo and language filter', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [file('a.py', 'python', [{ symbol: 'cache', body: '' }]), file('b.ts', 'typescript', [{ symbol: 'cache', body: '' }])],
    });
    const rows = await store.index.lexical({ terms: ['cache'], fieldWeights: WEIGHTS }, { languages: ['python'] }, 10);
    expect((await store.index.chunks(rows.map((r) => r.chunkId))).map((c) => c.path)).toEqual(['a.py']);
    expect(await store.index.lexical({ terms: ['cache'], fieldWeights: WEIGHTS }, { repoIds: [repoId + 1] }, 10)).toEqual([]);
  });

  it('finds symbols by name, prefix (taking _ and % literally), qualified name and kind, within filters', async () => {
    const { store, repoIds } = await storeWithRepos(open, ['r', 's']);
    await store.index.applyBatch(repoIds[0]!, {
      remove: [],
      add: [
        file(
          'a.ts',
          'typescript',
          [{ symbol: 'parse', body: 'x' }],
          [
            symbolAt('parseConfig', 1, 'function', 'Loader.parseConfig'),
            symbolAt('parse_x', 2),
            symbolAt('parsex', 3),
            symbolAt('Parser', 4, 'class'),
          ],
        ),
        file('b.py', 'python', [{ symbol: 'parse', body: 'x' }], [symbolAt('parse', 1)]),
      ],
    });
    await store.index.applyBatch(repoIds[1]!, {
      remove: [],
      add: [file('c.ts', 'typescript', [{ symbol: '', body: 'x' }], [symbolAt('parse', 1)])],
    });
    const names = async (query: Parameters<typeof store.index.symbols>[0], filter = {}, limit = 20) =>
      (await store.index.symbols(query, filter, limit)).map((s) => `${s.path}:${s.name}`);
    expect((await names({ names: ['parse'] })).sort()).toEqual(['b.py:parse', 'c.ts:parse']);
    expect(await names({ names: ['parse'] }, { repoIds: [repoIds[0]!] })).toEqual(['b.py:parse']);
    expect(await names({ names: ['parse_'], prefix: true })).toEqual(['a.ts:parse_x']);
    expect((await names({ names: ['Parse'], prefix: true }, { languages: ['typescript'], repoIds: [repoIds[0]!] })).sort()).toEqual([
      'a.ts:Parser',
      'a.ts:parseConfig',
      'a.ts:parse_x',
      'a.ts:parsex',
    ]);
    expect(await names({ names: ['parse'], prefix: true, kind: 'class' })).toEqual(['a.ts:Parser']);
    // The order SQLite's plans give (a limit keeps the first): prefix matches by id, names by name, names before qualified names.
    expect(await names({ names: ['pars'], prefix: true })).toEqual([
      'a.ts:parseConfig',
      'a.ts:parse_x',
      'a.ts:parsex',
      'a.ts:Parser',
      'b.py:parse',
      'c.ts:parse',
    ]);
    expect(await names({ names: ['parsex', 'parse_x', 'parse'] })).toEqual(['b.py:parse', 'c.ts:parse', 'a.ts:parse_x', 'a.ts:parsex']);
    expect(await names({ names: ['parsex'], qualified: ['loader.parseconfig', 'parse_x'] })).toEqual([
      'a.ts:parsex',
      'a.ts:parseConfig',
      'a.ts:parse_x',
    ]);
    expect(await names({ names: [], qualified: ['loader.parseconfig'] })).toEqual(['a.ts:parseConfig']);
    expect(await names({ names: [] })).toEqual([]);
    expect(await names({ names: ['parse'], prefix: true }, {}, 2)).toHaveLength(2);
    const fileId = (await store.index.fileId(repoIds[0]!, 'a.ts'))!;
    expect((await store.index.fileSymbols(fileId)).map((s) => s.name)).toEqual(['parseConfig', 'parse_x', 'parsex', 'Parser']);
  });

  it('returns chunks by id in the order asked, by line range and by points, smallest first', async () => {
    const { store, repoId } = await storeWithRepos(open);
    const f = file('a.ts', 'typescript', [
      { symbol: 'a', body: 'a' },
      { symbol: 'b', body: 'b' },
    ]);
    f.chunks.push({ ...f.chunks[0]!, startLine: 1, endLine: 2, kind: 'class', hash: 'outer' });
    await store.index.applyBatch(repoId, { remove: [], add: [f, file('b.ts', 'typescript', [{ symbol: 'c', body: 'c' }])] });
    const fileId = (await store.index.fileId(repoId, 'a.ts'))!;
    const all = await store.index.chunksAt(fileId, 1, 2);
    expect(all.map((c) => [c.startLine, c.endLine])).toEqual([
      [1, 1],
      [2, 2],
      [1, 2],
    ]);
    expect(all[0]).toMatchObject({ repoId, fileId, path: 'a.ts', language: 'typescript', kind: 'function', symbol: 'a', hash: 'a.ts:0' });
    const ids = all.map((c) => c.id);
    expect((await store.index.chunks([ids[2]!, 999_999, ids[0]!])).map((c) => c.id)).toEqual([ids[2], ids[0]]);
    const otherFile = (await store.index.fileId(repoId, 'b.ts'))!;
    const at = await store.index.chunksAtLines([
      { fileId, line: 2 },
      { fileId: otherFile, line: 5 },
      { fileId, line: 1 },
      { fileId: otherFile, line: 1 },
    ]);
    expect(at.map((list) => list.map((c) => c.hash))).toEqual([['a.ts:1', 'outer'], [], ['a.ts:0', 'outer'], ['b.ts:0']]);
    expect(await store.index.fileContent(fileId)).toBe('a\nb');
    expect(await store.index.fileContent(999_999)).toBeNull();
    const contents = await store.index.fileContents([fileId, 999_999, fileId, otherFile]);
    expect([...contents.keys()].sort((a, b) => a - b)).toEqual([fileId, otherFile].sort((a, b) => a - b));
    expect(contents.get(fileId)).toBe('a\nb');
    expect(await store.index.fileId(repoId, 'missing.ts')).toBeNull();
  });
});

describe.each(BACKENDS)('the regex prefilter on %s', (backend) => {
  const open = useBackendStores(backend);

  it('encodes the literals itself: candidates hold every literal of one group, case-insensitively', async () => {
    const { store, repoId } = await storeWithRepos(open);
    await store.index.applyBatch(repoId, {
      remove: [],
      add: [
        file('a.ts', 'typescript', [{ symbol: '', body: 'function parseConfig() {}' }]),
        file('b.ts', 'typescript', [{ symbol: '', body: 'const PARSER = 1' }]),
      ],
    });
    const paths = async (literals: string[][]) => (await store.index.regexCandidates(literals, {}, 0, 10)).map((f) => f.path);
    expect(await paths([['parseconfig']])).toEqual(['a.ts']);
    expect(await paths([['parse', 'const']])).toEqual(['b.ts']);
    expect(await paths([['config', 'const']])).toEqual([]);
    expect(await paths([['parseConfig'], ['parser =']])).toEqual(['a.ts', 'b.ts']);
    expect(await paths([['ab']])).toEqual(['a.ts', 'b.ts']);
    expect(await paths([])).toEqual(['a.ts', 'b.ts']);
  });

  it('pages by file id within the repo and language filter, with the content', async () => {
    const { store, repoIds } = await storeWithRepos(open, ['r', 's']);
    const add = Array.from({ length: 7 }, (_, i) =>
      file(`f${i}.${i % 2 ? 'py' : 'ts'}`, i % 2 ? 'python' : 'typescript', [{ symbol: '', body: `needle_${i}` }]),
    );
    await store.index.applyBatch(repoIds[0]!, { remove: [], add });
    await store.index.applyBatch(repoIds[1]!, { remove: [], add: [file('other.ts', 'typescript', [{ symbol: '', body: 'needle_9' }])] });
    const pages: string[][] = [];
    let after = 0;
    for (;;) {
      const page = await store.index.regexCandidates([['needle']], { repoIds: [repoIds[0]!], languages: ['typescript'] }, after, 2);
      if (page.length === 0) break;
      pages.push(page.map((f) => f.path));
      after = page.at(-1)!.id;
      expect(page[0]).toMatchObject({ repoId: repoIds[0], language: 'typescript', content: expect.stringMatching(/^needle_\d$/) });
    }
    expect(pages).toEqual([
      ['f0.ts', 'f2.ts'],
      ['f4.ts', 'f6.ts'],
    ]);
  });
});
