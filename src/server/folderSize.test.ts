import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/git.js';
import { cachedFolderSize, folderBytes } from './folderSize.js';

describe('folderBytes', () => {
  it('adds the sizes of the files in every subfolder, follows no link, and is 0 for a missing folder', async () => {
    const root = tempDir('gitlore-folder-size-');
    mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(root, 'top.txt'), 'x'.repeat(10));
    writeFileSync(join(root, 'a', 'one.bin'), Buffer.alloc(1000));
    // More files than one lstat batch in one folder.
    for (let i = 0; i < 70; i++) writeFileSync(join(root, 'a', 'b', 'c', `f${i}`), 'yy');
    symlinkSync(join(root, 'a'), join(root, 'loop'));
    symlinkSync('/etc/hostname', join(root, 'outside'));
    expect(await folderBytes(root)).toBe(10 + 1000 + 70 * 2);
    expect(await folderBytes(join(root, 'nothing-here'))).toBe(0);
  });
});

describe('cachedFolderSize', () => {
  it('waits for the first walk, then answers the last result at once and refreshes it in the background once stale', async () => {
    const root = tempDir('gitlore-folder-cache-');
    writeFileSync(join(root, 'one'), 'x'.repeat(100));
    let clock = 0;
    const size = cachedFolderSize(root, { ttlMs: 1000, now: () => clock });
    expect(await size.read()).toBe(100);

    writeFileSync(join(root, 'two'), 'x'.repeat(50));
    clock = 999;
    expect(await size.read()).toBe(100);
    await size.settled();
    // Still fresh: no walk was started, the new file is not seen.
    expect(await size.read()).toBe(100);

    clock = 1000;
    // Stale: this read answers the old value without waiting, and starts one walk.
    expect(await size.read()).toBe(100);
    expect(await size.read()).toBe(100);
    await size.settled();
    expect(await size.read()).toBe(150);
  });
});
