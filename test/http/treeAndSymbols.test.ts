import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { fileSymbols } from '../../src/core/fileSymbols.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { listTree } from '../../src/core/tree.js';
import { makeFixture, openTestApp } from '../mcp/fixture.js';

let app: App;

beforeAll(async () => {
  const fixture = await makeFixture();
  app = await openTestApp(fixture.dataDir, fixture.root);
  await indexRepos({ skipEmbeddings: true }, createContext(app));
});

afterAll(async () => {
  await app?.store.close();
});

describe('listTree and fileSymbols (core, used by the file and tree pages)', () => {
  it('lists one folder at HEAD, folders first, with file sizes', async () => {
    const root = await listTree({ repo: 'widgets' }, createContext(app));
    expect(root.entries.map((e) => `${e.type}:${e.path}`)).toEqual(['dir:src', 'dir:tools', 'file:README.md']);
    expect(root.entries.find((e) => e.name === 'README.md')?.size).toBeGreaterThan(10);
    const src = await listTree({ repo: 'widgets', path: 'src/' }, createContext(app));
    expect(src.entries).toEqual([
      {
        name: 'parse.ts',
        path: 'src/parse.ts',
        type: 'file',
        size: Buffer.byteLength('export function parseWidget(spec: string): string[] {\n  return spec.split(",");\n}\n'),
      },
    ]);
  });

  it('refuses traversal and .git as getFile does, and names a missing folder', async () => {
    for (const path of ['../x', '/etc', '.git', 'src/../../x']) {
      await expect(listTree({ repo: 'widgets', path }, createContext(app)), path).rejects.toMatchObject({ code: 'PATH_INVALID' });
    }
    await expect(listTree({ repo: 'widgets', path: 'nope' }, createContext(app))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(listTree({ repo: 'widgets', path: 'README.md' }, createContext(app))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('gives the symbols of one indexed file by line, and [] for a file outside the index', async () => {
    const symbols = await fileSymbols({ repo: 'widgets', path: 'src/parse.ts' }, createContext(app));
    expect(symbols).toEqual([expect.objectContaining({ name: 'parseWidget', kind: 'function', startLine: 1, endLine: 3 })]);
    expect(await fileSymbols({ repo: 'widgets', path: 'missing.ts' }, createContext(app))).toEqual([]);
  });
});
