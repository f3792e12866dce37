import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { indexStatus } from '../../src/core/indexStatus.js';
import { findSymbolTool } from '../../src/core/tools/findSymbol.js';
import { getFileTool } from '../../src/core/tools/getFile.js';
import { searchCodeTool } from '../../src/core/tools/searchCode.js';
import { search } from '../../src/search/engine.js';
import { hashedEmbedder } from '../helpers/embedders.js';
import { commitFiles, git, makeRepo, tempDir } from '../helpers/git.js';
import { servicesWithRepo } from '../helpers/repoServices.js';

let app: App;
let repoDir: string;

beforeAll(async () => {
  const root = tempDir('gitlore-tools-');
  repoDir = join(root, 'proj');
  makeRepo(repoDir, {
    'src/cache.ts':
      '/** Evicts the least recently used entry. */\nexport function evictOldest(map: Map<string, number>) {\n  map.delete(map.keys().next().value);\n}\n',
    'src/net.ts': '/** Opens a tcp socket server. */\nexport function listenSocket(port: number) {\n  return port;\n}\n',
    'README.md': '# proj\n',
  });
  writeFileSync(join(repoDir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
  commitFiles(repoDir, {}, 'logo');
  app = await servicesWithRepo(join(root, 'data'), {
    name: 'proj',
    sourceType: 'github',
    sourceKey: 'manual',
    fullName: 'acme/proj',
    cloneUrl: repoDir,
    localPath: repoDir,
    htmlUrl: 'https://github.com/acme/proj',
  });
});

afterAll(async () => {
  await app.store.close();
});

describe('search tools', () => {
  it('indexes lexically first, then embeds every chunk once (cached by content hash)', async () => {
    const embedder = hashedEmbedder();
    const report = await indexRepos({ embedder, skipHistory: true }, createContext(app));
    expect(report.repos[0]).toMatchObject({ repo: 'proj', status: 'indexed' });
    expect(report.embedded).toBeGreaterThan(0);
    const status = await indexStatus({}, createContext(app));
    expect(status.embeddingModel).toBe(embedder.id);
    expect(status.repos[0]?.embeddedShare).toBe(1);
    const again = await indexRepos({ embedder, skipHistory: true }, createContext(app));
    expect(again.embedded).toBe(0);
  });

  it('lets a corpus-learned embedder learn from every chunk first, then re-embeds under its new id', async () => {
    const base = hashedEmbedder(32);
    let seen: { texts: number; corpusSize: number; force?: boolean; signal?: AbortSignal } | null = null;
    const fitting = {
      ...base,
      id: 'fit-v1',
      embed: base.embed,
      async fit(
        texts: () => Promise<readonly string[]> | readonly string[],
        options: { corpusSize: number; force?: boolean; signal?: AbortSignal },
      ) {
        seen = { texts: (await texts()).length, ...options };
        fitting.id = 'fit-v2';
        return true;
      },
    };
    const report = await indexRepos({ embedder: fitting, skipHistory: true, full: true }, createContext(app));
    const chunks = (await indexStatus({}, createContext(app))).repos[0]!.chunks;
    // The run's signal reaches the learning pass too (the context's, never aborted here).
    expect(seen).toEqual({ texts: chunks, corpusSize: chunks, force: true, signal: expect.any(AbortSignal) });
    expect(report.embeddingModel).toBe('fit-v2');
    expect(report.embedded).toBe(chunks);
    const status = await indexStatus({}, createContext(app));
    expect(status.embeddingModel).toBe('fit-v2');
    expect(status.repos[0]?.embeddedShare).toBe(1);
    // Back to the test model for the next tests.
    await indexRepos({ embedder: hashedEmbedder(), skipHistory: true }, createContext(app));
  });

  it('semantic and hybrid search rank with the embedder; hits carry GitHub URLs at the indexed commit', async () => {
    const embedder = hashedEmbedder();
    const deps = { store: app.store, embedder: async () => embedder };
    const repos = [{ id: 1, name: 'proj', htmlUrl: 'https://github.com/acme/proj', commit: git(repoDir, ['rev-parse', 'HEAD']) }];
    const semantic = await search(deps, { query: 'least recently used entry', mode: 'semantic', limit: 5, repos });
    expect(semantic[0]?.path).toBe('src/cache.ts');
    const hybrid = await search(deps, { query: 'tcp socket server', mode: 'hybrid', limit: 5, repos });
    expect(hybrid[0]).toMatchObject({ path: 'src/net.ts', symbol: 'listenSocket', startLine: 1, endLine: 4 });
    expect(hybrid[0]?.url).toBe(`https://github.com/acme/proj/blob/${repos[0]!.commit}/src/net.ts#L1-L4`);
  });

  it('search_code returns structured hits and readable text', async () => {
    const out = await searchCodeTool.execute({ query: 'evictOldest', mode: 'symbol' }, createContext(app));
    expect(out.results[0]).toMatchObject({ repo: 'proj', path: 'src/cache.ts', symbol: 'evictOldest', kind: 'function' });
    expect(searchCodeTool.toText(out)).toContain('proj/src/cache.ts:1-4 evictOldest');
  });

  it('find_symbol finds definitions by name, qualified name and prefix', async () => {
    const exact = await findSymbolTool.execute({ name: 'listenSocket' }, createContext(app));
    expect(exact.symbols).toMatchObject([{ repo: 'proj', path: 'src/net.ts', startLine: 2, endLine: 4, kind: 'function' }]);
    const prefix = await findSymbolTool.execute({ name: 'evict' }, createContext(app));
    expect(prefix.symbols[0]?.name).toBe('evictOldest');
    expect((await findSymbolTool.execute({ name: 'nothingLikeThis' }, createContext(app))).symbols).toEqual([]);
    await expect(findSymbolTool.execute({ name: 'x', repo: 'missing' }, createContext(app))).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
    });
  });

  it('get_file prints numbered lines, supports ranges and refs, refuses traversal and binaries', async () => {
    const out = await getFileTool.execute({ repo: 'proj', path: 'src/net.ts', startLine: 2, endLine: 3 }, createContext(app));
    expect(out).toMatchObject({
      startLine: 2,
      endLine: 3,
      totalLines: 4,
      content: 'export function listenSocket(port: number) {\n  return port;',
    });
    expect(getFileTool.toText(out)).toContain('2  export function listenSocket');
    const first = git(repoDir, ['rev-list', '--max-parents=0', 'HEAD']);
    const old = await getFileTool.execute({ repo: 'proj', path: 'README.md', ref: first }, createContext(app));
    expect(old.content).toBe('# proj');
    await expect(getFileTool.execute({ repo: 'proj', path: '../../etc/passwd' }, createContext(app))).rejects.toMatchObject({
      code: 'PATH_INVALID',
    });
    await expect(getFileTool.execute({ repo: 'proj', path: '/etc/passwd' }, createContext(app))).rejects.toMatchObject({
      code: 'PATH_INVALID',
    });
    await expect(getFileTool.execute({ repo: 'proj', path: 'logo.png' }, createContext(app))).rejects.toMatchObject({
      code: 'PATH_INVALID',
      message: expect.stringMatching(/binary/),
    });
    await expect(getFileTool.execute({ repo: 'proj', path: 'nope.ts' }, createContext(app))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    await expect(getFileTool.execute({ repo: 'proj', path: 'README.md', ref: '--output=x' }, createContext(app))).rejects.toMatchObject({
      code: 'QUERY_INVALID',
    });
    await expect(
      getFileTool.execute({ repo: 'proj', path: 'README.md', ref: first, startLine: 9 }, createContext(app)),
    ).rejects.toMatchObject({
      code: 'QUERY_INVALID',
    });
  });
});
