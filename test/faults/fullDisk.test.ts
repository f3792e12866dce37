import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { rng } from '../helpers/random.js';

const mounted: string[] = [];

/** A fresh tmpfs of this size at a new folder; null when this runner may not mount (not root, or no CAP_SYS_ADMIN). */
function smallDisk(size: string): string | null {
  const dir = `${tempDir('gitlore-fault-disk-')}/data`;
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  mounted.push(dir);
  return dir;
}

const canMount = process.getuid?.() === 0 && smallDisk('64k') !== null;
if (!canMount) console.warn('test/faults/fullDisk: skipped; it mounts a small tmpfs, which needs root (CAP_SYS_ADMIN).');

afterAll(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
});

/** The CLI on a data dir on that disk; the clones live elsewhere, so only the index fills it. */
function cliOn(dataDir: string, root: string) {
  return (args: string[]) => runCli(args, { dataDir, env: { GITLORE_EMBEDDINGS: 'local', REPOS_PATH: `${root}/repos` }, cwd: root });
}

/** About 5 MB of source that does not compress away: numbers and words from a seeded generator. */
function bigFiles(): Record<string, string> {
  const rand = rng(5);
  const files: Record<string, string> = {};
  for (let f = 0; f < 300; f++) {
    const lines: string[] = [];
    for (let l = 0; l < 400; l++)
      lines.push(`export const v${f}_${l} = ${Math.floor((rand() + 0.5) * 1e9)}; // w${(rand() + 0.5).toString(36).slice(2, 9)}`);
    files[`src/f${f}.ts`] = `${lines.join('\n')}\n`;
  }
  return files;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

describe.skipIf(!canMount)('fault: the data dir cannot be written', () => {
  it('a full disk: index exits 1 with one STORE_UNWRITABLE line naming the free space; what was indexed stays searchable', async () => {
    const dataDir = smallDisk('2m') as string;
    const root = tempDir('gitlore-fault-full-');
    const cli = cliOn(dataDir, root);
    makeRepo(`${root}/small`, { 'a.ts': 'export const alphaValue = 1;\n' });
    makeRepo(`${root}/big`, bigFiles());
    expect((await cli(['repo', 'add', `${root}/small`, '--name', 'small'])).code).toBe(0);
    expect((await cli(['sync'])).code).toBe(0);
    expect((await cli(['index'])).code).toBe(0);

    expect((await cli(['repo', 'add', `${root}/big`, '--name', 'big'])).code).toBe(0);
    expect((await cli(['sync'])).code).toBe(0);
    const index = await cli(['index']);
    expect(index.code, index.stderr).toBe(1);
    // Before the fix: "big failed: database or disk is full" among the progress, then a summary claiming
    // "indexed 2 repositories" and "lexical and symbol search work".
    expect(lastLine(index.stderr), index.stderr).toMatch(
      /^gitlore: Cannot write to the data dir \S+ \([\d.]+ [KMG]B free\): the disk is full\. Free some space there/,
    );
    expect(index.stdout).not.toMatch(/indexed 2 repositories|search work/);

    const search = await cli(['search', 'alphaValue']);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/small\/a\.ts/);
  });

  it('a read-only data dir: index --full and search exit 1 with one STORE_UNWRITABLE line; nothing is set aside', async () => {
    const dataDir = smallDisk('8m') as string;
    const root = tempDir('gitlore-fault-readonly-');
    const cli = cliOn(dataDir, root);
    makeRepo(`${root}/small`, { 'a.ts': 'export const alphaValue = 1;\n' });
    expect((await cli(['repo', 'add', `${root}/small`, '--name', 'small'])).code).toBe(0);
    expect((await cli(['sync'])).code).toBe(0);
    expect((await cli(['index'])).code).toBe(0);
    // Root ignores file modes: a read-only remount is what a read-only data dir looks like to root.
    execFileSync('mount', ['-o', 'remount,ro', dataDir]);

    // Before the fix: a raw "EROFS: read-only file system, rename …gitlore.db -> …gitlore.db.corrupt-…" (recovery
    // took the folder for damage), and search said the database "is corrupt".
    const index = await cli(['index', '--full']);
    expect(index.code, index.stderr).toBe(1);
    expect(lastLine(index.stderr), index.stderr).toMatch(
      /^gitlore: Cannot write to the data dir \S+ \([\d.]+ [KMG]B free\): it is read-only\./,
    );
    // SQLite writes its shared-memory file beside the database even to read it: search says the same.
    const search = await cli(['search', 'alphaValue']);
    expect(search.code).toBe(1);
    expect(lastLine(search.stderr)).toMatch(/^gitlore: Cannot write to the data dir \S+ \(.* free\): it is read-only\./);

    execFileSync('mount', ['-o', 'remount,rw', dataDir]);
    expect(readdirSync(`${dataDir}/index`).filter((f) => f.includes('corrupt'))).toEqual([]);
    const again = await cli(['search', 'alphaValue']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/small\/a\.ts/);
  });
});
