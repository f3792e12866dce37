import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { learnRepositoryRankers } from '../../src/core/learnRankers.js';
import { addRepo, listRepos } from '../../src/core/repos.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { RANKING_PARAMS } from '../../src/search/rankingParams.js';
import { modelFingerprint, readStoredTrees, repositoryTrees } from '../../src/search/repositoryRanker/storedTrees.js';
import { createLogger } from '../../src/shared/logger.js';
import { openStore } from '../../src/store/index.js';
import { hashedEmbedder } from '../helpers/embedders.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** Learning a repository's own ranker trees at index time: real git, SQLite, the indexer and the search engine. */
const NOUNS = ['header', 'cookie', 'timeout', 'proxy', 'session', 'redirect', 'charset', 'socket', 'cache', 'retry'];
const VERBS = ['parse', 'encode', 'close', 'merge', 'render', 'verify'];

function documentedModule(part: number): string {
  const out: string[] = [];
  for (const verb of VERBS) {
    const noun = NOUNS[(part * 3 + VERBS.indexOf(verb)) % NOUNS.length]!;
    out.push(
      `def ${verb}_${noun}_${part}(value, options=None):`,
      `    """${verb[0]!.toUpperCase()}${verb.slice(1)} the ${noun} of a request before it is sent to the server.`,
      '',
      `    Part ${part} of the client.`,
      '    """',
      `    result = [${noun}_item for ${noun}_item in value if ${noun}_item]`,
      `    return options.get("${noun}", result) if options else result`,
      '',
    );
  }
  return out.join('\n');
}

let root: string;
let app: App;

beforeAll(async () => {
  root = tempDir('gitlore-ranker-');
  const files: Record<string, string> = {};
  for (let part = 0; part < 8; part += 1) files[`client/part${part}.py`] = documentedModule(part);
  makeRepo(join(root, 'proj'), files);
  const config = loadConfig({ cwd: root, env: { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' } });
  const store = await openStore({ dbPath: config.dbPath, reposPath: config.reposPath });
  app = await createServices(config, { store, log: createLogger('test', { level: 'warn' }) });
  await addRepo({ target: join(root, 'proj'), name: 'proj' }, createContext(app));
  await syncRepos({ names: ['proj'] }, createContext(app));
  const report = await indexRepos({ names: ['proj'], skipHistory: true, embedder: hashedEmbedder() }, createContext(app));
  expect(report.repos[0]?.status).toBe('indexed');
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe("a repository's own ranker trees", () => {
  it('are learned from its documented definitions, stored on top of the fixed model, and read by search', async () => {
    const repos = await listRepos({}, createContext(app));
    const record = await app.store.repos.get('proj');
    const log = createLogger('test', { level: 'warn' });
    const options = {
      embedder: hashedEmbedder(),
      signal: new AbortController().signal,
      log,
      changed: new Map(),
      force: true,
      minDocPairs: 10,
    };
    const [result] = await learnRepositoryRankers(app, [record!], options);
    expect(repos).toHaveLength(1);
    expect(result).toMatchObject({ repo: 'proj', status: 'learned', docPairs: 48 });
    expect(result!.trees).toBeGreaterThan(0);
    const stored = await readStoredTrees(app.store, record!.id);
    expect(stored?.base).toBe(modelFingerprint(RANKING_PARAMS.ranker!));
    expect(stored?.trees.length).toBe(result!.trees);
    expect(stored?.trainedOn).toMatch(/48 without/);
    // The copy of the index it learned the stripped regime on is gone.
    const tmp = join(root, 'data', 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    const trees = await repositoryTrees(app.store, [record!.id], RANKING_PARAMS.ranker!);
    expect(trees.get(record!.id)?.length).toBe(result!.trees);
    // Trees learned on top of another model are not used.
    const other = { ...RANKING_PARAMS.ranker!, weights: RANKING_PARAMS.ranker!.weights.map((w) => w + 1) };
    expect((await repositoryTrees(app.store, [record!.id], other)).size).toBe(0);

    // Nothing changed: the trees are kept, not learned again.
    const [again] = await learnRepositoryRankers(app, [record!], options);
    expect(again?.status).toBe('kept');
  }, 120_000);

  it('are not learned for a repository with too few documented definitions, nor while the feature is off', async () => {
    const record = await app.store.repos.get('proj');
    const log = createLogger('test', { level: 'warn' });
    const base = { embedder: hashedEmbedder(), signal: new AbortController().signal, log, changed: new Map([['proj', 8]]) };
    const [few] = await learnRepositoryRankers(app, [record!], { ...base, force: true, minDocPairs: 100 });
    expect(few).toMatchObject({ status: 'too-few', docPairs: 48, trees: 0 });
    expect(await learnRepositoryRankers(app, [record!], base)).toEqual(RANKING_PARAMS.repositoryTrees ? expect.any(Array) : []);
  }, 60_000);
});
