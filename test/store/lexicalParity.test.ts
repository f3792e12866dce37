import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFile } from '../../src/indexer/prepareFile.js';
import { queryTerms } from '../../src/shared/codeTokens.js';
import type { IndexFileInput } from '../../src/store/indexStore.js';
import { useBackendStores } from '../helpers/backends.js';
import { storeWithRepos } from '../helpers/indexFixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const QUERIES = [
  'open the database and apply the migrations',
  'parse the configuration file',
  'rank chunks by weighted fields with bm25',
  'vector index nearest neighbours cosine',
  'writer lock holder',
  'delete stale rows after a rebuild',
  'tokens of an identifier split on camel case',
  'queryTerms',
  'createPgIndexStore',
  'error hint',
  'repository',
  'the the of',
];

/** This repository's own store and shared sources, chunked and tokenized by the indexer. */
async function corpus(): Promise<IndexFileInput[]> {
  const files: IndexFileInput[] = [];
  for (const dir of ['src/store', 'src/store/sqlite', 'src/store/postgres', 'src/shared']) {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      if (!name.endsWith('.ts')) continue;
      const raw = readFileSync(join(ROOT, dir, name));
      files.push({ ...(await prepareFile(`${dir}/${name}`, `blob-${name}`, raw)), content: raw });
    }
  }
  return files;
}

describe('lexical ranking on PostgreSQL', () => {
  const openSqlite = useBackendStores('sqlite');
  const openPostgres = useBackendStores('postgres');

  it("returns SQLite FTS5's chunks in SQLite's order with SQLite's bm25 scores, with and without filters", async () => {
    const files = await corpus();
    const sqlite = await storeWithRepos(openSqlite, ['a', 'b']);
    const postgres = await storeWithRepos(openPostgres, ['a', 'b']);
    for (const { store, repoIds } of [sqlite, postgres]) {
      // Two repos and two batches, one replacing files of the first: statistics must follow deletions too.
      await store.index.applyBatch(repoIds[0]!, { remove: [], add: files.slice(0, 40) });
      await store.index.applyBatch(repoIds[1]!, { remove: [], add: files.slice(40) });
      await store.index.applyBatch(repoIds[0]!, { remove: [files[3]!.path], add: files.slice(10, 20) });
    }
    const weights = [
      { symbol: 10, path: 5, doc: 1, body: 0.25 },
      { symbol: 1, path: 1, doc: 1, body: 1 },
    ];
    let compared = 0;
    for (const query of QUERIES) {
      for (const fieldWeights of weights) {
        for (const filter of [{}, { repoIds: [sqlite.repoIds[1]!] }]) {
          const terms = queryTerms(query);
          const [expected, actual] = await Promise.all(
            [sqlite, postgres].map(({ store }) =>
              store.index.lexical({ terms, fieldWeights }, filter.repoIds ? { repoIds: filter.repoIds } : {}, 15),
            ),
          );
          expect(expected!.length).toBeGreaterThan(0);
          expect(
            actual!.map((r) => r.chunkId),
            `${query} ${JSON.stringify(fieldWeights)} ${JSON.stringify(filter)}`,
          ).toEqual(expected!.map((r) => r.chunkId));
          for (const [i, r] of actual!.entries()) expect(r.score).toBeCloseTo(expected![i]!.score, 9);
          compared += actual!.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
