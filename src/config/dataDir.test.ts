import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDataDirs } from './dataDir.js';

const dir = mkdtempSync(join(tmpdir(), 'gitlore-datadir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Origin = 'flag' | 'env' | '.env' | 'file' | 'default';
const config = (dataDir: string, origins: Record<string, Origin> = {}, indexPath = join(dataDir, 'index')) => ({
  dataDir,
  indexPath,
  reposPath: join(dataDir, 'repos'),
  origins: { dataDir: 'env' as Origin, indexPath: 'default' as Origin, reposPath: 'default' as Origin, ...origins },
  configFile: '/etc/gitlore.config.json',
});

describe('checkDataDirs', () => {
  it('accepts an existing folder and one it can create', () => {
    expect(() => checkDataDirs(config(dir))).not.toThrow();
    expect(() => checkDataDirs(config(join(dir, 'not', 'yet')))).not.toThrow();
  });

  it('names the setting the way it was given', () => {
    const file = join(dir, 'file.txt');
    writeFileSync(file, '');
    expect(() => checkDataDirs(config(file, { dataDir: 'flag' }))).toThrow(`--data-dir=${file} is not a directory`);
    expect(() => checkDataDirs(config(dir, { dataDir: 'file' }, '/proc/self/index'))).not.toThrow();
    expect(() => checkDataDirs(config(dir, { indexPath: 'env' }, '/proc/self/index'))).toThrow(
      'INDEX_PATH=/proc/self/index is in /proc, not a folder for data; set it to a folder gitlore can write.',
    );
    expect(() => checkDataDirs(config('/sys/kernel/gitlore', { dataDir: 'file' }))).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/^dataDir "\/sys\/kernel\/gitlore" in \/etc\/gitlore\.config\.json is in \/sys/),
      }),
    );
  });
});
