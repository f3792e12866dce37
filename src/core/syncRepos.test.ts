import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, makeRepo, tempDir } from '../../test/helpers/git.js';
import { loadConfig } from '../config/index.js';
import { silentLogger } from '../shared/logger.js';
import { type ContextEvent, createContext } from './context.js';
import { addRepo, listRepos, removeRepo } from './repos.js';
import { createServices, type Services } from './services.js';
import { syncRepos } from './syncRepos.js';

let services: Services;
let upstream: string;

beforeAll(async () => {
  const root = tempDir('gitlore-syncctx-');
  upstream = join(root, 'upstream', 'Widgets');
  makeRepo(upstream, { 'a.ts': 'export const a = 1;\n' });
  commitFiles(upstream, { 'b.ts': 'export const b = 2;\n' }, 'add b');
  services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data') }, cwd: root }), {
    log: silentLogger,
    embedder: null,
  });
  await addRepo({ target: upstream }, createContext(services));
});

afterAll(async () => {
  await services.close();
});

describe('syncRepos(input, ctx)', () => {
  it('reports progress through ctx.emit, finds names through the repo gate, and ingests history on request', async () => {
    const events: ContextEvent[] = [];
    const ctx = createContext(services, { emit: (event) => events.push(event) });
    const report = await syncRepos({ names: ['widgets'], history: true }, ctx);
    expect(report.repos.map((r) => [r.name, r.status])).toEqual([['Widgets', 'cloned']]);
    expect(events.map((e) => e.type)).toEqual(['start', 'repo-start', 'repo-done', 'done']);
    expect(events.at(-1)).toEqual({ type: 'done', report });
    const [repo] = await listRepos({}, ctx);
    expect(await services.store.history.listHashes(repo!.id)).toHaveLength(2);
  });

  it('stops at the context signal: a repository not started is reported cancelled', async () => {
    const stop = new AbortController();
    stop.abort();
    const report = await syncRepos({ names: ['Widgets'] }, createContext(services, { signal: stop.signal }));
    expect(report.repos).toEqual([expect.objectContaining({ name: 'Widgets', status: 'failed', error: 'cancelled' })]);
  });

  it('repo remove waits for the writer lock: with another writer holding it, nothing is deleted', async () => {
    const held = await services.store.writer.acquire({ command: 'gitlore index', task: 'indexing', waitMs: 0 });
    const strict = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: services.config.dataDir, GITLORE_LOCK_WAIT: '0' } }), {
      log: silentLogger,
      embedder: null,
    });
    try {
      const refused = await removeRepo({ name: 'widgets' }, createContext(strict)).catch((e) => e);
      expect(refused).toMatchObject({ code: 'LOCKED' });
      expect((await listRepos({}, createContext(strict))).map((r) => r.name)).toEqual(['Widgets']);
    } finally {
      await held.release();
      await strict.close();
    }
  });
});
