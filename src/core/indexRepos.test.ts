import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, tempDir } from '../../test/helpers/git.js';
import { loadConfig } from '../config/index.js';
import { silentLogger } from '../shared/logger.js';
import { type ContextEvent, createContext } from './context.js';
import { indexRepos } from './indexRepos.js';
import { indexStatus } from './indexStatus.js';
import { createServices, type Services } from './services.js';

let services: Services;

beforeAll(async () => {
  const root = tempDir('gitlore-indexctx-');
  const repoDir = join(root, 'Proj');
  makeRepo(repoDir, { 'a.ts': 'export function alpha() {\n  return 1;\n}\n', 'b.py': 'def beta():\n    return 2\n' });
  services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data') }, cwd: root }), {
    log: silentLogger,
    embedder: null,
  });
  await services.store.repos.upsert({
    name: 'Proj',
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: 'Proj',
    cloneUrl: repoDir,
    localPath: repoDir,
  });
});

afterAll(async () => {
  await services.close();
});

describe('indexRepos(input, ctx)', () => {
  it('stops before indexing when the context signal is aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(indexRepos({ skipHistory: true }, createContext(services, { signal: stop.signal }))).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect((await indexStatus({}, createContext(services))).repos[0]).toMatchObject({ repo: 'Proj', status: 'not indexed' });
  });

  it('reports each phase through ctx.emit and resolves names through the repo gate', async () => {
    const events: ContextEvent[] = [];
    const ctx = createContext(services, { emit: (event) => events.push(event) });
    const report = await indexRepos({ names: ['proj'], skipHistory: true }, ctx);
    expect(report.repos.map((r) => [r.repo, r.status])).toEqual([['Proj', 'indexed']]);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('repo-start');
    expect(types.filter((t) => t === 'file')).toHaveLength(2);
    expect(types.at(-2)).toBe('repo-done');
    expect(types.at(-1)).toBe('embed-done');
    expect((await indexStatus({}, ctx)).repos[0]).toMatchObject({ repo: 'Proj', status: 'ok', files: 2 });
  });
});
