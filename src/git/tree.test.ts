import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles, git, makeRepo, tempDir } from '../../test/helpers/git.js';
import { BlobReader, lsTree, show } from './index.js';

describe('lsTree / show / BlobReader', () => {
  it('lists blobs with modes and sizes, reads a file at an old revision, and pipelines blob reads', async () => {
    const dir = join(tempDir(), 'r');
    const first = makeRepo(dir, { 'a.txt': 'one\n', 'src/b.ts': 'export {};\n' });
    symlinkSync('a.txt', join(dir, 'link'));
    commitFiles(dir, { 'a.txt': 'two\n' }, 'two');
    const entries = await lsTree(dir, 'HEAD');
    expect(entries.map((e) => [e.path, e.mode, e.size])).toEqual([
      ['a.txt', '100644', 4],
      ['link', '120000', 5],
      ['src/b.ts', '100644', 11],
    ]);
    expect((await show(dir, first, 'a.txt'))?.toString()).toBe('one\n');
    expect(await show(dir, first, 'src')).toBeNull();
    expect(await show(dir, first, 'missing.txt')).toBeNull();

    const reader = new BlobReader(dir);
    try {
      const blobs = entries.map((e) => e.blob);
      const read = await Promise.all([...blobs.map((b) => reader.read(b)), reader.read('0'.repeat(40))]);
      expect(read.map((b) => b?.toString() ?? null)).toEqual(['two\n', 'a.txt', 'export {};\n', null]);
      expect(await reader.headCommit()).toBe(git(dir, ['rev-parse', 'HEAD']));
    } finally {
      reader.close();
    }
  });
});
