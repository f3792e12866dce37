import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles, git, gitEnv, makeRepo, tempDir } from '../../test/helpers/git.js';
import { type FileDiff, UnifiedDiffParser, unquoteGitPath } from './unifiedDiff.js';

function parse(text: string | Buffer, limits?: ConstructorParameters<typeof UnifiedDiffParser>[0], chunk = 7): FileDiff[] {
  const parser = new UnifiedDiffParser(limits);
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  // Small chunks: lines split across chunks must come out whole.
  for (let i = 0; i < buf.length; i += chunk) parser.push(buf.subarray(i, i + chunk));
  return parser.end();
}

function show(dir: string, hash = 'HEAD'): Buffer {
  return execFileSync(
    'git',
    [
      '-c',
      'core.quotePath=false',
      'show',
      '--patch',
      '--format=',
      '--no-color',
      '--find-renames',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      hash,
    ],
    { cwd: dir, env: gitEnv() },
  );
}

describe('unquoteGitPath', () => {
  it('decodes C-style quoted names with octal UTF-8 bytes and escapes; leaves plain names alone', () => {
    expect(unquoteGitPath('"caf\\303\\251 \\"x\\"\\tb"')).toBe('café "x"\tb');
    expect(unquoteGitPath('src/a b.ts')).toBe('src/a b.ts');
  });
});

describe('UnifiedDiffParser', () => {
  it('parses hunks with old and new line numbers, no-newline notes and section headers', () => {
    const files = parse(
      [
        'diff --git a/src/a.ts b/src/a.ts',
        'index 1111111..2222222 100644',
        '--- a/src/a.ts',
        '+++ b/src/a.ts',
        '@@ -1,3 +1,3 @@ function top() {',
        ' one',
        '-two',
        '+TWO',
        ' three',
        '@@ -10,2 +10,3 @@',
        ' ten',
        '+ten and a half',
        ' eleven',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
    expect(files).toHaveLength(1);
    const [file] = files as [FileDiff];
    expect(file).toMatchObject({ path: 'src/a.ts', status: 'M', binary: false, shownLines: 7, totalLines: 7, truncated: false });
    expect(file.hunks[0]).toEqual({
      oldStart: 1,
      oldCount: 3,
      newStart: 1,
      newCount: 3,
      section: 'function top() {',
      lines: [
        { kind: 'context', oldLine: 1, newLine: 1, text: 'one' },
        { kind: 'del', oldLine: 2, newLine: null, text: 'two' },
        { kind: 'add', oldLine: null, newLine: 2, text: 'TWO' },
        { kind: 'context', oldLine: 3, newLine: 3, text: 'three' },
      ],
    });
    expect(file.hunks[1]?.lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ['context', 10, 10],
      ['add', null, 11],
      ['context', 11, 12],
      ['note', null, null],
    ]);
    expect(file.hunks[1]?.lines[3]?.text).toBe('No newline at end of file');
  });

  it('keeps the first lines per file and in all, counting the rest, and cuts very long lines', () => {
    const body = Array.from({ length: 50 }, (_, i) => `+line ${i}`);
    const patch = (name: string) => [
      `diff --git a/${name} b/${name}`,
      'new file mode 100644',
      '--- /dev/null',
      `+++ b/${name}`,
      '@@ -0,0 +1,50 @@',
      ...body,
    ];
    const files = parse([...patch('a.txt'), ...patch('b.txt'), ...patch('c.txt'), `+${'x'.repeat(30)}`].join('\n'), {
      linesPerFile: 20,
      totalLines: 30,
      lineChars: 10,
    });
    expect(files.map((f) => [f.path, f.status, f.shownLines, f.totalLines, f.truncated])).toEqual([
      ['a.txt', 'A', 20, 50, true],
      ['b.txt', 'A', 10, 50, true],
      ['c.txt', 'A', 0, 51, true],
    ]);
    expect(files[0]?.hunks[0]?.lines[19]).toEqual({ kind: 'add', oldLine: null, newLine: 20, text: 'line 19' });
    expect(files[2]?.hunks).toEqual([]);
    expect(
      parse('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n+0123456789abc\n', { linesPerFile: 5, totalLines: 5, lineChars: 10 })[0]
        ?.hunks[0]?.lines[0]?.text,
    ).toBe('0123456789…');
  });

  it('reads real git output: added, deleted, renamed, binary, mode change, odd names, CRLF and Latin-1 lines', () => {
    const dir = join(tempDir(), 'r');
    makeRepo(dir, {
      'keep.txt': 'a\nb\nc\n',
      'gone.txt': 'bye\n',
      'old name.txt': 'same content here\nline two\nline three\n',
      'run.sh': 'echo hi\n',
    });
    commitFiles(dir, { 'keep.txt': 'a\nB\nc\r\n', 'new "q".txt': 'x\n', 'latin.txt': '' }, 'second');
    rmSync(join(dir, 'gone.txt'));
    git(dir, ['mv', 'old name.txt', 'new name.txt']);
    writeFileSync(join(dir, 'img.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
    writeFileSync(join(dir, 'latin.txt'), Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x0a]));
    chmodSync(join(dir, 'run.sh'), 0o755);
    commitFiles(dir, {}, 'third');
    const second = parse(show(dir, 'HEAD~1'), undefined, 64);
    const keep = second.find((f) => f.path === 'keep.txt');
    expect(keep?.hunks[0]?.lines.map((l) => `${l.kind}:${l.text}`)).toEqual(['context:a', 'del:b', 'del:c', 'add:B', 'add:c']);
    expect(second.find((f) => f.path === 'new "q".txt')).toMatchObject({ status: 'A' });
    const third = parse(show(dir), undefined, 64);
    const byPath = new Map(third.map((f) => [f.path, f]));
    expect(byPath.get('gone.txt')).toMatchObject({ status: 'D', totalLines: 1 });
    expect(byPath.get('new name.txt')).toMatchObject({ status: 'R', oldPath: 'old name.txt', hunks: [] });
    expect(byPath.get('img.bin')).toMatchObject({ status: 'A', binary: true, hunks: [] });
    expect(byPath.get('run.sh')).toMatchObject({ status: 'M', modeChange: '100644 → 100755', hunks: [] });
    expect(byPath.get('latin.txt')?.hunks[0]?.lines[0]).toEqual({ kind: 'add', oldLine: null, newLine: 1, text: 'José' });
    expect(third).toHaveLength(5);
  });
});
