import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git.js';

/** bin/gitlore: the shell launcher that scripts/setup.sh links onto PATH. */
const root = resolve(import.meta.dirname, '../..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const projectNode = join(root, '.node/bin/node');

function linkedLauncher(): string {
  const dir = tempDir('gitlore-launcher-');
  symlinkSync(join(root, 'bin/gitlore'), join(dir, 'gitlore'));
  return dir;
}

describe('gitlore launcher', () => {
  it('runs the CLI through a symlink from another folder', () => {
    const dir = linkedLauncher();
    expect(execFileSync(join(dir, 'gitlore'), ['--version'], { cwd: dir, encoding: 'utf8' }).trim()).toBe(version);
  });

  it.skipIf(!existsSync(projectNode))('uses the runtime in .node/, not the older node on PATH', () => {
    const dir = linkedLauncher();
    writeFileSync(join(dir, 'node'), '#!/bin/sh\necho "stale node on PATH" >&2; exit 3\n', { mode: 0o755 });
    const out = execFileSync(join(dir, 'gitlore'), ['--version'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    });
    expect(out.trim()).toBe(version);
  });
});
