import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempPath, removeStaleTemps, tempRoot } from './tempDirs.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('removeStaleTemps', () => {
  it('removes only the named repositories’ leftovers when given names, and never a live process’s', () => {
    const reposPath = mkdtempSync(join(tmpdir(), 'gitlore-temps-'));
    dirs.push(reposPath);
    // pid 2^22 + 1 is above Linux's pid_max: no such process.
    const dead = 4_194_305;
    for (const entry of [`api.${dead}.aa11`, `api.v2.${dead}.bb22`, `web.${dead}.cc33`])
      mkdirSync(join(tempRoot(reposPath), entry), { recursive: true });
    const live = makeTempPath(reposPath, 'api');
    mkdirSync(live);
    expect(removeStaleTemps(reposPath, ['api'])).toEqual([`api.${dead}.aa11`]);
    expect(readdirSync(tempRoot(reposPath)).sort()).toEqual([`api.v2.${dead}.bb22`, live.split('/').at(-1), `web.${dead}.cc33`].sort());
    expect(removeStaleTemps(reposPath).sort()).toEqual([`api.v2.${dead}.bb22`, `web.${dead}.cc33`]);
    expect(existsSync(live)).toBe(true);
  });
});
