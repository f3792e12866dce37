import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_QUERY_BYTES } from '../../src/shared/searchLimits.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore search --file`, `-` (standard input), `--group file` and `--per-file`: real git, real SQLite, the real CLI. */
let root: string;
const env = () => ({ GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' });
const cli = (args: string[], stdin?: string) => runCli(args, { env: env(), cwd: root, ...(stdin === undefined ? {} : { stdin }) });

/** A Python function of a few lines that mentions `words` (each chunk its own). */
const fn = (name: string, words: string) => `def ${name}(frame, freq):\n    """${words}."""\n    return frame.${name}(freq)\n\n\n`;

/** An issue of about 20 KB: a title, a traceback through resample.py, and pages of a log that names nothing. */
const ISSUE = `Resampling fails when the index holds duplicate timestamps

Calling \`Frame.resample_by\` on a frame whose index repeats a timestamp raises:

\`\`\`
Traceback (most recent call last):
  File "/home/ana/proj/repro.py", line 4, in <module>
    df.resample_by("t")
  File "/home/ana/.venv/lib/python3.11/site-packages/tabula/core/resample.py", line 7, in resample_by
    groups = _bucket_edges(index, freq)
  File "/home/ana/.venv/lib/python3.11/site-packages/tabula/core/resample.py", line 12, in _bucket_edges
    raise DuplicateIndexError(label)
tabula.errors.DuplicateIndexError: index has duplicate label 1
\`\`\`

${'The nightly job logged the same lines again while the frame was loading from the warehouse.\n'.repeat(220)}`;

beforeAll(async () => {
  root = tempDir('gitlore-longtext-e2e-');
  const resample = ['resample_by', '_bucket_edges', 'resample_mean', 'resample_sum', 'resample_edges'].map((n) =>
    fn(n, `resample the frame by buckets of edges (${n})`),
  );
  makeRepo(join(root, 'proj'), {
    'tabula/core/resample.py': resample.join(''),
    'tabula/core/frame.py': fn('frame_resample', 'the frame resample entry point, by buckets') + fn('frame_copy', 'copy a frame'),
    'tabula/errors.py': 'class DuplicateIndexError(ValueError):\n    """An index label appears twice."""\n',
    'tabula/io/warehouse.py': fn('load_warehouse', 'load a frame from the warehouse'),
    'docs/notes.py': fn('resample_notes', 'notes on how to resample by buckets'),
  });
  expect((await cli(['repo', 'add', join(root, 'proj')])).code).toBe(0);
  expect((await cli(['sync'])).code).toBe(0);
  const index = await cli(['index']);
  expect(index.code, index.stderr).toBe(0);
  writeFileSync(join(root, 'issue.md'), ISSUE);
  expect(Buffer.byteLength(ISSUE)).toBeGreaterThan(20 * 1024);
});

interface Hit {
  path: string;
  startLine: number;
  endLine: number;
  symbol: string | null;
  chunks?: { startLine: number; endLine: number; symbol: string | null; score: number }[];
}
const results = (out: { stdout: string }) => (JSON.parse(out.stdout) as { results: Hit[] }).results;

describe('gitlore search with a long text', () => {
  it('reads the query from --file, from - and from --file - (standard input) alike, and finds the file the trace names', async () => {
    const fromFile = await cli(['search', '--file', join(root, 'issue.md'), '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const hits = results(fromFile);
    // The trace names two files: the frames' resample.py and the exception's module (tabula.errors); they lead, above
    // every file the log's words match, and a frame's function is among the first hits.
    const firstFiles = [...new Set(hits.map((h) => h.path))].slice(0, 2).sort();
    expect(firstFiles).toEqual(['tabula/core/resample.py', 'tabula/errors.py']);
    expect(hits.slice(0, 3).some((h) => ['resample_by', '_bucket_edges'].includes(h.symbol ?? ''))).toBe(true);
    const doc = JSON.parse(fromFile.stdout);
    expect(doc.query).toBe(ISSUE);
    // `parsed` tells what was read from the text: the terms ranked by (also `text`), identifiers, the files named.
    expect(doc.parsed.extracted.identifiers).toEqual(expect.arrayContaining(['resample_by', '_bucket_edges', 'DuplicateIndexError']));
    expect(doc.parsed.extracted.files).toContain('home/ana/.venv/lib/python3.11/site-packages/tabula/core/resample.py:12');
    expect(doc.parsed.text).toBe(doc.parsed.extracted.terms.join(' '));
    expect(doc.parsed.extracted.terms.slice(0, 5)).toEqual(expect.arrayContaining(['resample_by', '_bucket_edges']));
    // A log line repeated 220 times counts at most double: below every frame's function.
    expect(doc.parsed.extracted.terms.indexOf('nightly')).toBeGreaterThan(doc.parsed.extracted.terms.indexOf('_bucket_edges'));
    for (const args of [
      ['search', '-', '--json'],
      ['search', '--file', '-', '--json'],
    ]) {
      const piped = await cli(args, ISSUE);
      expect(piped.code, piped.stderr).toBe(0);
      expect(results(piped)).toEqual(hits);
    }
  });

  it('groups by file: --limit counts files, each with its best chunks', async () => {
    const out = await cli(['search', '--file', join(root, 'issue.md'), '--group', 'file', '--limit', '3', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const files = results(out);
    expect(files).toHaveLength(3);
    expect(new Set(files.map((f) => f.path)).size).toBe(3);
    expect(
      files
        .slice(0, 2)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['tabula/core/resample.py', 'tabula/errors.py']);
    const resample = files.find((f) => f.path === 'tabula/core/resample.py');
    const [best, ...others] = resample?.chunks ?? [];
    expect(best).toMatchObject({ startLine: resample?.startLine, endLine: resample?.endLine, symbol: resample?.symbol });
    expect(others.length).toBeGreaterThan(0);
    for (const c of others) expect(c.score).toBeLessThanOrEqual(best?.score ?? 0);
    const human = await cli(['search', 'resample buckets', '--group', 'file']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^proj\/tabula\/core\/resample\.py:\d+-\d+ .*\n(?: {4}\w{8} .*\n)? {4}:\d+-\d+ {2}\w+ {2}\[[\d.]+\]$/m);
    expect(human.stdout).toMatch(/\d+ files in \d+ ms/);
  });

  it('spreads the default list over files: --per-file chunks of a file before the other files', async () => {
    const paths = async (perFile: string) =>
      results(await cli(['search', 'resample frame buckets edges', '--per-file', perFile, '--limit', '8', '--json'])).map((h) => h.path);
    const one = await paths('1');
    const distinct = new Set(one).size;
    expect(distinct).toBeGreaterThanOrEqual(3);
    expect(new Set(one.slice(0, distinct)).size).toBe(distinct);
    const all = await paths('200');
    expect(all.slice(0, 3).filter((p) => p === 'tabula/core/resample.py').length).toBeGreaterThanOrEqual(2);
    const bad = await cli(['search', 'resample', '--per-file', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--per-file must be a whole number from 1 to 200/);
  });

  it('refuses what it cannot read, with one line naming the limit or the fix (exit 2)', async () => {
    writeFileSync(join(root, 'big.txt'), `${'x '.repeat(MAX_TEXT_QUERY_BYTES / 2)}y`);
    const big = await cli(['search', '--file', join(root, 'big.txt')]);
    expect(big.code).toBe(2);
    expect(big.stderr.trim()).toBe(
      `gitlore: --file ${join(root, 'big.txt')} is 1048577 bytes; the limit is 1048576 (1 MB). Search with the part that matters: the error message, the stack trace, the names of the functions and files involved.`,
    );
    const piped = await cli(['search', '-'], `${'x '.repeat(MAX_TEXT_QUERY_BYTES / 2)}y`);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/^gitlore: The text on standard input is over 1048576 bytes; the limit is 1048576 \(1 MB\)\./);
    const missing = await cli(['search', '--file', join(root, 'nope.md')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read --file .*nope\.md: no such file\. Pass the path of a text file/);
    const both = await cli(['search', 'words', '--file', join(root, 'issue.md')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/as words or with --file, not both/);
    const none = await cli(['search']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No query\. Pass words/);
    const regex = await cli(['search', 'def \\w+', '--mode', 'regex', '--group', 'file']);
    expect(regex.code).toBe(2);
    expect(regex.stderr).toMatch(/Grouping by file ranks files by their best chunks/);
    const group = await cli(['search', 'x', '--group', 'folder']);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/Unknown --group folder\. Use file\./);
    for (const out of [big, piped, missing, both, none, regex, group]) expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});
