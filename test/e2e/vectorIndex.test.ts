import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { indexStatus } from '../../src/core/indexStatus.js';
import { createServices } from '../../src/core/services.js';
import { type SearchRepo, search } from '../../src/search/engine.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/store/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { loadVectorIndex, updateVectorIndexOffThread } from '../../src/store/sqlite/vectorIndex.js';
import { runCli } from '../fakes/gitHttpFixtures.js';
import { hashedEmbedder } from '../helpers/embedders.js';
import { commitFiles, makeRepo, tempDir } from '../helpers/git.js';
import { TOPICS, topicFiles } from '../helpers/topicCorpus.js';

let app: App;
let root: string;
let repoDir: string;
const embedder = hashedEmbedder();
let repos: SearchRepo[];

function openApp(annMinVectors: number): Promise<App> {
  const config = loadConfig({ flags: { dataDir: join(root, 'data'), annMinVectors } });
  return createServices(config, { store: openSqliteStore(config.dbPath), log: silentLogger });
}

beforeAll(async () => {
  root = tempDir('gitlore-ann-');
  repoDir = join(root, 'proj');
  makeRepo(repoDir, topicFiles(TOPICS));
  app = await openApp(1);
  const repo = await app.store.repos.upsert({
    name: 'proj',
    sourceType: 'local',
    sourceKey: repoDir,
    fullName: 'proj',
    cloneUrl: repoDir,
    localPath: repoDir,
  });
  repos = [{ id: repo.id, name: 'proj', htmlUrl: null, commit: null }];
});

afterAll(async () => {
  await app.store.close();
});

/** Semantic search through the app's store (which uses its graph when it has one), or through `store`. */
async function semantic(query: string, store: Store = app.store): Promise<string[]> {
  const hits = await search({ store, embedder: async () => embedder }, { query, mode: 'semantic', limit: 5, repos });
  return hits.map((h) => `${h.path}:${h.startLine}`);
}

describe('approximate vector search through gitlore index', () => {
  it('builds the graph after embedding, on a worker thread, and search answers through it like the exact scan', async () => {
    const report = await indexRepos({ embedder, skipHistory: true }, createContext(app));
    expect(report.vectorIndexError).toBeUndefined();
    expect(report.vectorIndex).toMatchObject({ rebuilt: true, added: report.repos[0]!.chunks, vectors: report.repos[0]!.chunks });
    const matrix = (await app.store.index.vectorMatrix(embedder.id))!;
    const graph = loadVectorIndex(matrix, app.config.vectorIndexPath, embedder.id);
    expect(graph?.uncoveredRows.length).toBe(0);
    expect((await indexStatus({}, createContext(app))).vectorSearch).toEqual({
      mode: 'approximate',
      graphVectors: report.repos[0]!.chunks,
      graphCurrent: true,
    });
    // The same database without graphs: every vector scanned.
    const exact = openSqliteStore(app.config.dbPath, { readonly: true, vectorIndexDir: null });
    try {
      expect(await exact.index.vectorSearchInfo(embedder.id)).toEqual({ mode: 'exact', graphVectors: 0, graphCurrent: false });
      for (const topic of TOPICS.slice(0, 5)) {
        const found = await semantic(topic);
        expect(found[0]).toBe(`src/topic${TOPICS.indexOf(topic)}.ts:1`);
        expect(found).toEqual(await semantic(topic, exact));
      }
    } finally {
      await exact.close();
    }
  });

  it('leaves an up-to-date graph alone and updates it in place after a change', async () => {
    expect((await indexRepos({ embedder, skipHistory: true }, createContext(app))).vectorIndex).toBeUndefined();
    const changed = [...TOPICS];
    changed[3] = 'interpolate the spline curve through control points';
    commitFiles(repoDir, topicFiles(changed), 'change topic 3');
    const report = await indexRepos({ embedder, skipHistory: true }, createContext(app));
    expect(report.vectorIndex).toMatchObject({ rebuilt: false, added: 1, removed: 1 });
    expect((await semantic('spline curve control points'))[0]).toBe('src/topic3.ts:1');
  });

  it('stops the worker when the run is interrupted, keeping the last complete graph, and names a database it cannot read', async () => {
    const { vectorIndexPath: dir, dbPath } = app.config;
    const before = loadVectorIndex((await app.store.index.vectorMatrix(embedder.id))!, dir, embedder.id);
    expect(before).not.toBeNull();
    const controller = new AbortController();
    const job = { dbPath, dir: join(root, 'other-vectors'), model: embedder.id, minVectors: 1 };
    const running = updateVectorIndexOffThread(job, controller.signal);
    controller.abort(new Error('interrupted'));
    await expect(running).rejects.toThrow('interrupted');
    expect(existsSync(join(root, 'other-vectors', `${embedder.id}.keys`))).toBe(false);
    await expect(updateVectorIndexOffThread({ ...job, dbPath: join(root, 'missing', 'gitlore.db') })).rejects.toThrow(
      /^building the vector index failed: .+/,
    );
    expect(loadVectorIndex((await app.store.index.vectorMatrix(embedder.id))!, dir, embedder.id)?.uncoveredRows.length).toBe(0);
  });

  it('deletes the graph once the threshold is above the index size', async () => {
    await app.store.close();
    app = await openApp(0);
    await indexRepos({ embedder, skipHistory: true }, createContext(app));
    expect(existsSync(app.config.vectorIndexPath) ? readdirSync(app.config.vectorIndexPath) : []).toEqual([]);
    expect((await indexStatus({}, createContext(app))).vectorSearch.mode).toBe('exact');
    expect((await semantic(TOPICS[1]!))[0]).toBe('src/topic1.ts:1');
  });
});

describe('approximate vector search from the command line', () => {
  it('gitlore index builds the graph with the default local model, index status and semantic search use it', async () => {
    const home = tempDir('gitlore-ann-cli-');
    makeRepo(join(home, 'proj'), topicFiles(TOPICS));
    const env = { GITLORE_DATA_DIR: join(home, 'data'), GITLORE_ANN_MIN_VECTORS: '1' };
    const cli = (...args: string[]) => runCli(args, env, home);
    expect((await cli('repo', 'add', join(home, 'proj'))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    const index = await cli('index');
    expect(index.code, index.stderr).toBe(0);
    expect(index.stdout).toMatch(/vector index \(HNSW\) built: \d+ vectors/);
    const status = await cli('index', 'status');
    expect(status.stdout).toMatch(/vector search: HNSW graph of \d+ vectors\n/);
    const found = await cli('search', 'thumbnail image bilinear', '--mode', 'semantic', '--json');
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout).results[0].path).toBe('src/topic1.ts');
  });
});
