import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { screenRows } from '../helpers/terminal.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/code');

/** `gitlore index` on a terminal: every phase named with its progress, log lines above the bar. */
describe('gitlore index output', () => {
  it('names each phase on a terminal and prints log lines on rows of their own', async () => {
    const root = tempDir('gitlore-index-progress-');
    const files: Record<string, string> = {};
    for (const name of ['sample.ts', 'request.js', 'sample.py', 'sample.go'])
      files[`src/${name}`] = readFileSync(join(FIXTURES, name), 'utf8');
    makeRepo(join(root, 'proj'), files);
    const cli = (args: string[], tty = false) => runCli(args, { dataDir: join(root, 'data'), cwd: root, tty });
    expect((await cli(['repo', 'add', join(root, 'proj')])).code).toBe(0);
    expect((await cli(['sync'])).code).toBe(0);

    // --verbose: debug log lines are written while the bar is on screen.
    const run = await cli(['--verbose', 'index'], true);
    expect(run.code, run.stderr).toBe(0);
    const rows = screenRows(run.stderr).filter((row) => row !== '');
    expect(rows).toContainEqual(expect.stringMatching(/^index \[█{30}\] 1\/1 proj indexed$/));
    expect(rows).toContainEqual(expect.stringMatching(/^learning code vectors from \d+ chunks… \d+s$/));
    expect(rows).toContainEqual(expect.stringMatching(/^embedding chunks… \d+ done \d+s$/));
    const logs = rows.filter((row) => row.includes('[gitlore'));
    expect(logs.length).toBeGreaterThan(0);
    // A log line written over the bar would share its row with bar text.
    expect(logs.filter((row) => !row.startsWith('[gitlore'))).toEqual([]);
    expect(run.stdout).toMatch(/^repo\s+status/);
  });

  it('writes plain lines, without control characters, when stderr is not a terminal', async () => {
    const root = tempDir('gitlore-index-plain-');
    makeRepo(join(root, 'proj'), { 'src/a.ts': readFileSync(join(FIXTURES, 'sample.ts'), 'utf8') });
    const cli = (...args: string[]) => runCli(args, { dataDir: join(root, 'data'), cwd: root });
    expect((await cli('repo', 'add', join(root, 'proj'))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    const run = await cli('index');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/\x1b|\r/);
    expect(run.stderr).toMatch(/^indexing proj \(1\/1\)$/m);
    expect(run.stderr).toMatch(/^index 1\/1 proj indexed$/m);
    expect(run.stderr).toMatch(/^learning code vectors from \d+ chunks…$/m);
  });

  it('index reindex rebuilds from scratch, as index --full does', async () => {
    const root = tempDir('gitlore-reindex-');
    makeRepo(join(root, 'proj'), { 'src/a.ts': readFileSync(join(FIXTURES, 'sample.ts'), 'utf8') });
    const cli = (...args: string[]) => runCli(args, { dataDir: join(root, 'data'), cwd: root, env: { GITLORE_EMBEDDINGS: 'none' } });
    expect((await cli('repo', 'add', join(root, 'proj'))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    expect(JSON.parse((await cli('index', '--json')).stdout).repos[0]).toMatchObject({ status: 'indexed', added: 1 });
    expect(JSON.parse((await cli('index', '--json')).stdout).repos[0]).toMatchObject({ status: 'unchanged' });
    const reindex = await cli('index', 'reindex', '--json');
    expect(reindex.code, reindex.stderr).toBe(0);
    expect(JSON.parse(reindex.stdout).repos[0]).toMatchObject({ status: 'indexed', added: 1 });
    expect((await cli('index', '--help')).stdout).toMatch(/reindex \[options\]\s+rebuild from scratch/);
  });
});
