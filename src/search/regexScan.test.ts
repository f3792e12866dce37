import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineLiterals } from './regexLiterals.js';
import { compileRegex } from './regexPattern.js';
import { type LineRange, literalLines, matchingLines, matchingRanges, scanFiles } from './regexScan.js';

/** The JavaScript-RegExp scan regex search ran before RE2 (one range per match, same line skipped), as the reference. */
function v8Ranges(pattern: string, content: string, max: number): LineRange[] {
  const regex = new RegExp(pattern, 'gm');
  const ranges: LineRange[] = [];
  const starts = [0];
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (offset: number) => starts.filter((s) => s <= offset).length;
  let lastLine = -1;
  for (let m = regex.exec(content); m !== null; m = regex.exec(content)) {
    if (m[0].length === 0) regex.lastIndex += 1;
    const startLine = lineOf(m.index);
    const endLine = lineOf(m.index + Math.max(0, m[0].length - 1));
    if (startLine === lastLine) continue;
    lastLine = endLine;
    ranges.push({
      startLine,
      endLine,
      text: content
        .split('\n', endLine)
        .slice(startLine - 1)
        .join('\n'),
    });
    if (ranges.length >= max) break;
  }
  return ranges;
}

const SOURCE = [
  "import { readFile } from 'node:fs/promises';",
  '// TODO(alice): cache the parsed config',
  'export async function loadConfig(path: string): Promise<Config> {',
  '  const text = await readFile(path, "utf8"); // fixme: encoding',
  '  return parseConfig(text);',
  '}',
  '',
  'function parseConfig(text) {',
  '  /* Multi-line',
  '     comment with déjà vu and 😀 emoji */',
  '  return JSON.parse(text);',
  '}',
  'const x = 42; const y = 0x2a;',
  '',
].join('\n');

describe('matchingRanges', () => {
  it('finds the same line ranges as the JavaScript engine did on ordinary patterns', () => {
    const patterns = [
      'TODO\\(\\w+\\)',
      'function \\w+\\(',
      'readFile',
      'parse(Config)?',
      '\\d+',
      '^\\s*return',
      '\\}$',
      '/\\*[^*]*\\*+/',
      'déjà vu',
      '😀',
      'Multi-line\\n\\s+comment',
      'const \\w+ = (\\d+|0x[0-9a-f]+);',
      '^$',
      'import|export',
      '[A-Z][a-z]+',
    ];
    for (const pattern of patterns) {
      expect(matchingRanges(compileRegex(pattern), SOURCE, 200), pattern).toEqual(v8Ranges(pattern, SOURCE, 200));
    }
  });

  it('stops at the limit', () => {
    expect(matchingRanges(compileRegex('\\w+'), SOURCE, 3)).toHaveLength(3);
  });
});

describe('matchingLines (the line-window scan)', () => {
  it("finds exactly the ranges of the whole-file scan, on this project's own sources", () => {
    const dir = join(import.meta.dirname, '..');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    files.push(SOURCE, 'export const a = 1;', 'no newline at the end: parseConfig(x)', '\n\nreadFile\n');
    const patterns = [
      'readFile',
      'function \\w+\\(',
      'def foo\\(|func foo\\(|function parse\\w*\\(',
      'parse\\w*\\(',
      '\\bconst\\b',
      'import .* from',
      '^export',
      '^import|^export',
      'return;$',
      '\\}\\);$',
      'new [A-Z]\\w+Error\\(',
      'TODO\\(\\w+\\)',
      'await \\w+\\.\\w+\\(',
      '(?:get|set)[A-Z]\\w+',
      'Config(?P<rest>\\w*)',
      '\\.test\\.ts',
      'GitloreError',
      'ERROR_CODES\\.[A-Z_]+',
      'expect\\(.*\\)\\.toBe',
      'x = 42',
    ];
    let eligible = 0;
    for (const pattern of patterns) {
      const literals = lineLiterals(pattern);
      if (!literals) continue;
      eligible += 1;
      const regex = compileRegex(pattern);
      for (const content of files) {
        expect(matchingLines(regex, literalLines(content, literals), 50), pattern).toEqual(matchingRanges(regex, content, 50));
      }
    }
    expect(eligible).toBeGreaterThanOrEqual(15);
    expect(files.length).toBeGreaterThan(50);
  });

  it('stops at the limit', () => {
    const regex = compileRegex('readFile');
    expect(matchingLines(regex, literalLines(SOURCE, ['readFile']), 1)).toEqual(matchingRanges(regex, SOURCE, 1));
  });
});

describe('scanFiles', () => {
  const files = [1, 2, 3].map((id) => ({ id, content: SOURCE }));

  it('reports matches per file and stops at the limit', () => {
    const seen: number[] = [];
    const progress = scanFiles(compileRegex('readFile'), files, 3, Number.POSITIVE_INFINITY, (id, ranges) => {
      seen.push(id, ranges.length);
    });
    expect(seen).toEqual([1, 2, 2, 1]);
    expect(progress).toEqual({ scanned: 2, stopped: 'limit' });
  });

  it('stops between files once the deadline has passed', () => {
    expect(scanFiles(compileRegex('x'), files, 10, Date.now() - 1, () => {})).toEqual({ scanned: 0, stopped: 'deadline' });
  });
});
