import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBlameRepo } from '../../test/fixtures/blameRepo.js';
import { buildHistoryRepo } from '../../test/fixtures/historyRepo.js';
import { git, tempDir } from '../../test/helpers/git.js';
import { rng } from '../../test/helpers/random.js';
import { type BlameRange, lastCommitOf } from '../shared/blame.js';
import { blameRange, parseBlamePorcelain, unquoteGitPath } from './blame.js';

interface GitLine {
  hash: string;
  boundary: boolean;
  origPath: string;
  origLine: number;
}

/**
 * git's own answer in its human format, read independently of the porcelain parser: `-l -f -n -s` prints
 * `[^]<hash> <orig path> <orig line> <final line>) text` (a boundary commit loses its last hex digit to the `^`).
 */
function gitBlame(dir: string, commit: string, path: string, start: number, end: number): GitLine[] {
  const out = git(dir, ['-c', 'core.quotePath=false', 'blame', '-l', '-f', '-n', '-s', '-L', `${start},${end}`, commit, '--', path]);
  return out.split('\n').map((line) => {
    const m = /^(\^?)([0-9a-f]+) (.+?) +(\d+) +(\d+)\) /.exec(line);
    if (!m) throw new Error(`unexpected git blame line: ${line}`);
    return { boundary: m[1] === '^', hash: m[2] as string, origPath: m[3] as string, origLine: Number(m[4]) };
  });
}

/** The parsed answer, one entry per line. */
function perLine(range: BlameRange): GitLine[] {
  const boundary = new Map(range.commits.map((c) => [c.hash, c.boundary]));
  return range.spans.flatMap((s) =>
    Array.from({ length: s.lineCount }, (_, i) => ({
      hash: s.hash,
      boundary: boundary.get(s.hash) ?? false,
      origPath: s.origPath,
      origLine: s.origStartLine + i,
    })),
  );
}

/** The newest commit of the lines by committer time, asked of `git log`, and its details. */
function newestByGit(dir: string, hashes: string[]): { hash: string; author: string; email: string; subject: string; time: number } {
  const rows = [...new Set(hashes)].map((h) => {
    const [hash = '', time = '', author = '', email = '', subject = ''] = git(dir, [
      'log',
      '-1',
      '--format=%H%x00%ct%x00%aN%x00%aE%x00%s',
      h,
    ]).split('\0');
    return { hash, time: Number(time), author, email, subject };
  });
  // The first of the newest in line order, as lastCommitOf promises.
  return rows.reduce((best, row) => (row.time > best.time ? row : best));
}

describe('blameRange', () => {
  let dir: string;
  let files: string[];
  let head: string;
  beforeAll(() => {
    dir = tempDir('gitlore-blame-');
    ({ files } = buildBlameRepo(dir));
    head = git(dir, ['rev-parse', 'HEAD']);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equals `git blame -L` on 200 sampled ranges: each line’s commit, original path and line, and the newest commit', async () => {
    const random = rng(42);
    const int = (n: number) => Math.floor((random() + 0.5) * n);
    const lengths = new Map(files.map((f) => [f, git(dir, ['show', `${head}:${f}`]).split('\n').length]));
    const older = git(dir, ['rev-parse', 'HEAD~8']);
    let renamedLines = 0;
    let commitsSeen = new Set<string>();
    for (let k = 0; k < 200; k++) {
      const path = files[k % files.length] as string;
      // A quarter of the ranges at an older commit, where the files are shorter or not yet renamed.
      const at = k % 4 === 3 ? older : head;
      const total = at === head ? (lengths.get(path) as number) : git(dir, ['show', `${at}:${path}`]).split('\n').length;
      const start = 1 + int(total);
      const end = Math.min(total, start + int(k % 5 === 0 ? 60 : 12));
      const got = await blameRange(dir, { commit: at, path, startLine: start, endLine: end });
      const expected = gitBlame(dir, at, path, start, end);
      const lines = perLine(got);
      expect(lines.length, `${path}:${start}-${end}`).toBe(end - start + 1);
      lines.forEach((line, i) => {
        const want = expected[i] as GitLine;
        expect(line.hash.startsWith(want.hash), `${path}:${start + i} at ${at.slice(0, 7)}`).toBe(true);
        expect({ ...line, hash: want.hash }).toEqual(want);
      });
      renamedLines += lines.filter((l) => l.origPath !== path).length;
      const newest = newestByGit(
        dir,
        lines.map((l) => l.hash),
      );
      const last = lastCommitOf(got);
      expect(last).toMatchObject({ hash: newest.hash, author: newest.author, email: newest.email, subject: newest.subject });
      expect(last?.committerTime).toBe(newest.time);
      commitsSeen = new Set([...commitsSeen, ...lines.map((l) => l.hash)]);
    }
    // The sample reached across renames and over much of the history, or it proved little.
    expect(renamedLines).toBeGreaterThan(20);
    expect(commitsSeen.size).toBeGreaterThan(25);
  }, 120_000);

  it('takes the newest by commit time, not author time: a rebased commit with an old author date still counts as newer', async () => {
    // "Change 9" was authored 30 days before it was committed; find a range mixing it with an older commit.
    const rebased = git(dir, ['log', '--format=%H', '--grep=^Change 9$']);
    const path = git(dir, ['show', '--format=', '--name-only', rebased]).split('\n')[0] as string;
    const range = await blameRange(dir, {
      commit: rebased,
      path,
      startLine: 1,
      endLine: Number(git(dir, ['show', `${rebased}:${path}`]).split('\n').length) - 1,
    });
    const hashes = new Set(range.spans.map((s) => s.hash));
    expect(hashes.has(rebased)).toBe(true);
    expect(hashes.size).toBeGreaterThan(1);
    const commit = range.commits.find((c) => c.hash === rebased);
    expect(range.commits.some((c) => c.hash !== rebased && c.authorTime > (commit?.authorTime ?? 0))).toBe(true);
    expect(lastCommitOf(range)?.hash).toBe(rebased);
  });

  it('maps names through the clone’s .mailmap, as git log and the history store do, and follows a rename', async () => {
    const history = tempDir('gitlore-blame-history-');
    try {
      const { commits } = buildHistoryRepo(history);
      // git reads .mailmap from the checkout (HEAD's), so even a commit older than the .mailmap is mapped.
      const oldAlice = await blameRange(history, { commit: commits.oldAlice as string, path: 'src/util.js', startLine: 39, endLine: 40 });
      expect(oldAlice.commits.map((c) => [c.author, c.email])).toEqual([
        ['Alice Anders', 'alice@example.com'],
        ['Alice Anders', 'alice@example.com'],
      ]);
      expect(new Set(oldAlice.commits.map((c) => c.hash))).toEqual(new Set([commits.init, commits.oldAlice]));
      const parser = await blameRange(history, { commit: commits.last as string, path: 'src/config/parser.js', startLine: 1, endLine: 32 });
      expect(new Set(parser.spans.map((s) => s.origPath))).toEqual(new Set(['src/parser.js', 'src/config/parser.js']));
      expect(parser.commits.find((c) => c.hash === commits.bob1)).toMatchObject({ author: 'Bob Brown', authorTz: -420 });
      expect(lastCommitOf(parser)?.hash).toBe(commits.last);
    } finally {
      rmSync(history, { recursive: true, force: true });
    }
  });

  it('fails with GIT_FAILED naming the file when git cannot blame it, and refuses a reversed range', async () => {
    await expect(blameRange(dir, { commit: head, path: 'no/such/file.txt', startLine: 1, endLine: 2 })).rejects.toMatchObject({
      code: 'GIT_FAILED',
    });
    await expect(blameRange(dir, { commit: head, path: 'README.md', startLine: 5, endLine: 4 })).rejects.toMatchObject({
      code: 'QUERY_INVALID',
    });
  });
});

describe('parseBlamePorcelain', () => {
  it('keeps the path per commit when git repeats only the hash line, and decodes Latin-1 bytes and quoted paths', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const header = (hash: string, name: Buffer, path: string) =>
      Buffer.concat([
        Buffer.from(`author `),
        name,
        Buffer.from(
          `\nauthor-mail <x@y>\nauthor-time 100\nauthor-tz -0130\ncommitter-time 200\nsummary s ${hash.slice(0, 1)}\nfilename ${path}\n`,
        ),
      ]);
    const output = Buffer.concat([
      Buffer.from(`${a} 7 1 2\n`),
      header(a, Buffer.from('Jos\xe9', 'latin1'), '"old/caf\\303\\251 \\"q\\".txt"'),
      Buffer.from(`\tone\n${a} 8 2\n\ttwo\n${b} 1 3 1\n`),
      header(b, Buffer.from('Zoë'), 'new.txt'),
      Buffer.from(`boundary\n\tthree\n${a} 20 4 1\n\tfour\n`),
    ]);
    const parsed = parseBlamePorcelain(output);
    expect(parsed.spans).toEqual([
      { hash: a, startLine: 1, lineCount: 2, origStartLine: 7, origPath: 'old/café "q".txt' },
      { hash: b, startLine: 3, lineCount: 1, origStartLine: 1, origPath: 'new.txt' },
      { hash: a, startLine: 4, lineCount: 1, origStartLine: 20, origPath: 'old/café "q".txt' },
    ]);
    expect(parsed.commits.map((c) => [c.author, c.authorTz, c.committerTime, c.boundary])).toEqual([
      ['José', -90, 200, false],
      ['Zoë', -90, 200, true],
    ]);
    expect(unquoteGitPath('plain path')).toBe('plain path');
  });
});
