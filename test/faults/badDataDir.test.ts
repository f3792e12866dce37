import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';
import { childEnv } from '../mcp/fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = ['--import', pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href];
/** Far above a refusal (about a second of start-up); a hang is killed here rather than holding the suite. */
const BOUND_MS = 20_000;

/** The CLI in a child process, killed at BOUND_MS: before the fix a data dir in /proc never returned. */
function gitloreIn(dataDir: string, args: string[]) {
  const started = Date.now();
  const child = spawnSync(process.execPath, [...TSX, MAIN, ...args], {
    cwd: tempDir('gitlore-fault-datadir-'),
    env: childEnv(dataDir),
    encoding: 'utf8',
    timeout: BOUND_MS,
  });
  return { code: child.status, stderr: child.stderr, ms: Date.now() - started };
}

describe('fault: a data dir that is no folder for data', () => {
  it.each([
    ['repo', 'list'],
    ['index', '--full'],
  ])('GITLORE_DATA_DIR=/proc/1: `%s %s` refuses it at once (it hung)', (...args) => {
    const run = gitloreIn('/proc/1', args);
    expect(run.code, run.stderr).toBe(2);
    expect(run.ms).toBeLessThan(BOUND_MS);
    expect(run.stderr.trim()).toBe(
      'gitlore: GITLORE_DATA_DIR=/proc/1 is in /proc, not a folder for data; set it to a folder gitlore can write.',
    );
  });

  it('GITLORE_DATA_DIR=/dev/null or a file: one line naming the variable (a raw ENOTDIR before)', async () => {
    const nullDir = await runCli(['repo', 'list'], { dataDir: '/dev/null' });
    expect(nullDir.code).toBe(2);
    expect(nullDir.stderr.trim()).toBe('gitlore: GITLORE_DATA_DIR=/dev/null is not a directory; set it to a folder gitlore can write.');

    const file = `${tempDir('gitlore-fault-datadir-')}/notes.txt`;
    writeFileSync(file, 'not a folder');
    const under = await runCli(['index', '--full'], { dataDir: `${file}/data` });
    expect(under.code).toBe(2);
    expect(under.stderr.trim()).toBe(
      `gitlore: GITLORE_DATA_DIR=${file}/data cannot be created: ${file} is not a directory; set it to a folder gitlore can write.`,
    );
  });
});
