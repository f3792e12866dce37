import { spawnSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, git, makeRepo, tempDir } from '../../test/helpers/git.js';
import { BlobReader, closeSharedReaders, sharedReader, withSharedReader } from './index.js';

afterEach(() => closeSharedReaders());

describe('BlobReader.info / sharedReader', () => {
  it('answers type and size without the bytes, and null for what does not exist', async () => {
    const dir = join(tempDir(), 'r');
    const head = makeRepo(dir, { 'a.txt': 'one\n', 'src/b.ts': 'export {};\n' });
    const reader = new BlobReader(dir);
    try {
      const [commit, file, folder, missing, badRef, newline] = await Promise.all([
        reader.info('HEAD^{commit}'),
        reader.info(`${head}:src/b.ts`),
        reader.info(`${head}:src`),
        reader.info(`${head}:nope.txt`),
        reader.info('no-such-branch^{commit}'),
        reader.info(`${head}:a.txt\nHEAD`),
      ]);
      expect(commit).toEqual({ oid: head, type: 'commit', size: expect.any(Number) });
      expect(file).toMatchObject({ type: 'blob', size: 11 });
      expect(folder?.type).toBe('tree');
      expect([missing, badRef, newline]).toEqual([null, null, null]);
      expect((await reader.read(file?.oid ?? ''))?.toString()).toBe('export {};\n');
    } finally {
      reader.close();
    }
  });

  it('is one reader per clone that sees later commits, and is replaced when its git has exited', async () => {
    const dir = join(tempDir(), 'r');
    makeRepo(dir, { 'a.txt': 'one\n' });
    const reader = sharedReader(dir);
    expect(sharedReader(dir)).toBe(reader);
    expect((await reader.read('HEAD:a.txt'))?.toString()).toBe('one\n');
    // A sync moves HEAD and brings new objects: the running processes resolve names afresh.
    const second = commitFiles(dir, { 'a.txt': 'two\n' }, 'two');
    expect((await reader.info('HEAD^{commit}'))?.oid).toBe(second);
    expect((await reader.read('HEAD:a.txt'))?.toString()).toBe('two\n');
    reader.close();
    expect(reader.failed).toBe(true);
    const text = await withSharedReader(dir, null, async (r) => (await r.read('HEAD:a.txt'))?.toString());
    expect(text).toBe('two\n');
    expect(sharedReader(dir)).not.toBe(reader);
  });

  it('starts a new reader when the clone folder is replaced (a fresh clone renamed into place)', async () => {
    const dir = join(tempDir(), 'r');
    makeRepo(dir, { 'a.txt': 'old\n' });
    const reader = sharedReader(dir);
    expect((await reader.read('HEAD:a.txt'))?.toString()).toBe('old\n');
    const fresh = `${dir}.tmp`;
    makeRepo(fresh, { 'a.txt': 'new\n' });
    rmSync(dir, { recursive: true, force: true });
    renameSync(fresh, dir);
    const next = sharedReader(dir);
    expect(next).not.toBe(reader);
    expect((await next.read('HEAD:a.txt'))?.toString()).toBe('new\n');
  });

  it('an aborted request rejects at once; the answers after it stay in order', async () => {
    const dir = join(tempDir(), 'r');
    makeRepo(dir, { 'a.txt': 'one\n', 'b.txt': 'two\n' });
    const reader = sharedReader(dir);
    const controller = new AbortController();
    const aborted = reader.read('HEAD:a.txt', controller.signal);
    controller.abort();
    await expect(aborted).rejects.toThrow();
    await expect(reader.read('HEAD:a.txt', AbortSignal.abort())).rejects.toThrow();
    expect((await reader.read('HEAD:b.txt'))?.toString()).toBe('two\n');
    expect(git(dir, ['rev-parse', 'HEAD'])).toHaveLength(40);
  });

  it('an idle reader does not keep Node running', () => {
    const dir = join(tempDir(), 'r');
    makeRepo(dir, { 'a.txt': 'one\n' });
    const script = `import { sharedReader } from ${JSON.stringify(join(import.meta.dirname, 'index.ts'))};
      const text = (await sharedReader(process.argv[1]).read('HEAD:a.txt')).toString();
      process.stdout.write(text);`;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stdout, child.stderr).toBe('one\n');
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
