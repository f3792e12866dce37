import { describe, expect, it } from 'vitest';
import { decodeBytes, GitLogParser, parseTz } from './gitLog.js';

function record(fields: string[], files: Buffer[] = []): Buffer {
  const head = Buffer.concat([Buffer.from([0x1e]), Buffer.from(fields.join('\0')), Buffer.from([0])]);
  return files.length === 0 ? head : Buffer.concat([head, Buffer.from('\n'), ...files]);
}

const fields = (hash: string, subject: string, body = '') => [
  hash,
  '',
  'Ann',
  'ann@example.com',
  '1700000000',
  '2023-11-14 22:13:20 +0530',
  'Ann',
  'ann@example.com',
  '1700000000',
  '2023-11-14 22:13:20 +0530',
  subject,
  body,
];

describe('GitLogParser', () => {
  const stream = Buffer.concat([
    record(fields('a'.repeat(40), 'first', 'body line\n\nmore\n'), [
      Buffer.from('M\0src/a.ts\0'),
      Buffer.from('R087\0old name.txt\0new\tname.txt\0'),
      Buffer.concat([Buffer.from('A\0caf'), Buffer.from([0xe9]), Buffer.from('.txt\0')]),
    ]),
    record(fields('b'.repeat(40), 'empty commit')),
    record(fields('c'.repeat(40), 'last'), [Buffer.from('D\0gone.md\0')]),
  ]);

  it('parses commits, renames, odd names and empty commits', () => {
    const p = new GitLogParser();
    const commits = [...p.push(stream), ...p.end()];
    expect(commits.map((c) => c.subject)).toEqual(['first', 'empty commit', 'last']);
    expect(commits[0]?.files).toEqual([
      { status: 'M', path: 'src/a.ts', oldPath: null },
      { status: 'R', path: 'new\tname.txt', oldPath: 'old name.txt' },
      { status: 'A', path: 'café.txt', oldPath: null },
    ]);
    expect(commits[0]?.body).toBe('body line\n\nmore');
    expect(commits[0]?.authorTz).toBe(330);
    expect(commits[1]?.files).toEqual([]);
    expect(commits[2]?.files).toEqual([{ status: 'D', path: 'gone.md', oldPath: null }]);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    for (const size of [1, 3, 17, 64]) {
      const p = new GitLogParser();
      const out = [];
      for (let i = 0; i < stream.length; i += size) out.push(...p.push(stream.subarray(i, i + size)));
      out.push(...p.end());
      expect(out.map((c) => `${c.hash.slice(0, 1)}:${c.files.length}`)).toEqual(['a:3', 'b:0', 'c:1']);
    }
  });
});

describe('helpers', () => {
  it('reads offsets and decodes Latin-1 fallbacks', () => {
    expect(parseTz('2013-08-17 00:15:57 -0700')).toBe(-420);
    expect(parseTz('x +1400')).toBe(840);
    expect(decodeBytes(Buffer.from('José', 'utf8'))).toBe('José');
    expect(decodeBytes(Buffer.from('Jos\xe9', 'latin1'))).toBe('José');
  });
});
