import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, makeRepo, tempDir } from '../../test/helpers/git.js';
import { TOPICS, topicFiles } from '../../test/helpers/topicCorpus.js';
import { loadConfig } from '../config/index.js';
import { createLogger, type Logger, silentLogger } from '../shared/logger.js';
import { openStore } from '../store/index.js';
import { createContext } from './context.js';
import { indexRepos } from './indexRepos.js';
import { searchCode } from './searchCode.js';
import { createServices, type Services } from './services.js';

/** n files cycling through the first six topics. */
const cycle = (n: number) => Array.from({ length: n }, (_, i) => TOPICS[i % 6] as string);

const opened: Services[] = [];
afterEach(async () => {
  for (const services of opened.splice(0)) await services.close();
});

/** Services on a data dir with the corpus-learned model (codevec), as `gitlore serve` runs by default. */
async function open(root: string, log: Logger = silentLogger): Promise<Services> {
  const env = { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'local', GITLORE_EMBEDDINGS_MODEL: 'codevec' };
  const services = await createServices(loadConfig({ env, cwd: root }), { log });
  opened.push(services);
  return services;
}

async function setup(log?: Logger) {
  const root = tempDir('gitlore-services-');
  const repoDir = join(root, 'proj');
  makeRepo(repoDir, topicFiles(cycle(12), 'a'));
  const services = await open(root, log);
  await services.store.repos.upsert({
    name: 'proj',
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: 'proj',
    cloneUrl: repoDir,
    localPath: repoDir,
  });
  return { root, repoDir, services };
}

/** Semantic hits without their last change (a git blame each process fills in its own time). */
const semantic = async (services: Services) =>
  (await searchCode({ query: 'password salt hashing', mode: 'semantic' }, createContext(services))).results.map(
    ({ lastChange: _change, lastChangeStatus: _status, ...hit }) => hit,
  );

describe('createServices: one embedder that follows the learned model', () => {
  it('searches with the model a re-index in the same process relearned', async () => {
    const { services, repoDir } = await setup();
    await indexRepos({ skipHistory: true }, createContext(services));
    const before = (await services.embedder())?.id;
    expect((await semantic(services)).length).toBeGreaterThan(0);
    commitFiles(repoDir, topicFiles(cycle(30), 'b'), 'more code');
    const report = await indexRepos({ skipHistory: true, full: true }, createContext(services));
    expect(report.embeddingModel).not.toBe(before);
    expect((await services.embedder())?.id).toBe(report.embeddingModel);
    expect((await semantic(services)).length).toBeGreaterThan(0);
  });

  it('leaves the untrained model once the first learning pass ran after the first search', async () => {
    const { services } = await setup();
    await indexRepos({ skipHistory: true, skipEmbeddings: true }, createContext(services));
    expect(await semantic(services)).toEqual([]);
    expect((await services.embedder())?.id).toBe('codevec-untrained');
    await indexRepos({ skipHistory: true }, createContext(services));
    expect((await semantic(services)).length).toBeGreaterThan(0);
  });

  it('notices a model another process (another store handle) relearned, without a restart, and says so', async () => {
    const lines: string[] = [];
    const { services, root, repoDir } = await setup(createLogger('test', { level: 'info', write: (line) => lines.push(line) }));
    await indexRepos({ skipHistory: true }, createContext(services));
    expect((await semantic(services)).length).toBeGreaterThan(0);
    const other = await open(root);
    commitFiles(repoDir, topicFiles(cycle(30), 'b'), 'more code');
    const report = await indexRepos({ skipHistory: true, full: true }, createContext(other));
    expect((await services.embedder())?.id).toBe(report.embeddingModel);
    expect((await semantic(services)).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('newer embedding model'))).toHaveLength(1);
  });

  it('gives a process on another machine (its own data folder, the same database) the model from the store', async () => {
    const { services, root, repoDir } = await setup();
    await indexRepos({ skipHistory: true }, createContext(services));
    // An API process elsewhere: nothing in its own index folder, only the shared database.
    const env = { GITLORE_DATA_DIR: join(root, 'elsewhere'), GITLORE_EMBEDDINGS: 'local', GITLORE_EMBEDDINGS_MODEL: 'codevec' };
    const elsewhere = await createServices(loadConfig({ env, cwd: root }), {
      log: silentLogger,
      store: await openStore({ dbPath: services.config.dbPath }),
    });
    opened.push(elsewhere);
    expect((await elsewhere.embedder())?.id).toBe((await services.embedder())?.id);
    expect(await semantic(elsewhere)).toEqual(await semantic(services));

    commitFiles(repoDir, topicFiles(cycle(30), 'b'), 'more code');
    const report = await indexRepos({ skipHistory: true, full: true }, createContext(services));
    expect((await elsewhere.embedder())?.id).toBe(report.embeddingModel);
    const [mine, theirs] = await Promise.all([services.embedder(), elsewhere.embedder()]);
    expect(await theirs?.embed(['password salt hashing'])).toEqual(await mine?.embed(['password salt hashing']));
    expect(existsSync(join(elsewhere.config.indexPath, 'codevec.bin'))).toBe(false);
  });

  it('keeps a given embedder fixed and builds nothing on its own', async () => {
    const root = tempDir('gitlore-services-');
    const fixed = { id: 'fixed', dims: 4, batchSize: 1, embed: async (texts: string[]) => texts.map(() => new Float32Array(4)) };
    const config = loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data') }, cwd: root });
    const services = await createServices(config, { log: silentLogger, embedder: fixed });
    opened.push(services);
    await services.store.index.setMeta('embedding_model', 'something-else');
    expect(await services.embedder()).toBe(fixed);
    const none = await createServices(config, { log: silentLogger, store: services.store, embedder: null });
    expect(await none.embedder()).toBeNull();
    expect(none.jobs).toBeNull();
  });
});
