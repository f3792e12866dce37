import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../shared/languages.js';
import { chunkFile, cleanDoc } from './chunker.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/code');

async function chunksOf(name: string) {
  const content = readFileSync(join(FIXTURES, name), 'utf8');
  const language = detectLanguage(name, content) ?? 'text';
  const result = await chunkFile(name, language, content);
  return {
    language,
    result,
    chunks: result.chunks.map((c) => `${c.startLine}-${c.endLine} ${c.kind} ${c.symbol}`),
    symbols: result.symbols.map((s) => `${s.qualified} ${s.kind} ${s.startLine}-${s.endLine}`),
    lineCount: content.split('\n').length - 1,
  };
}

describe('chunkFile', () => {
  it('TypeScript: interface properties, class members with context, arrow functions, type aliases', async () => {
    const { chunks, symbols, result } = await chunksOf('sample.ts');
    expect(chunks).toEqual([
      '1-2 imports null',
      '3-4 interface ClientOptions',
      '5-6 property ClientOptions.prefixUrl',
      '7-8 interface ClientOptions',
      '10-15 class Client',
      '16-19 method Client.constructor',
      '21-24 method Client.get',
      '26-28 method Client.request',
      '31-32 function createClient',
      '34-34 type Hook',
    ]);
    expect(symbols).toContain('Client.get method 22-24');
    expect(symbols).toContain('ClientOptions.retries property 7-7');
    const get = result.chunks.find((c) => c.symbol === 'Client.get');
    expect(get?.doc).toBe('Sends a GET request.');
    expect(get?.context).toBe('export class Client extends EventEmitter {');
  });

  it('JavaScript: object-literal getters/setters named after the module, plain functions', async () => {
    const { chunks, symbols } = await chunksOf('request.js');
    expect(chunks).toContain('6-14 getter request.header');
    expect(chunks).toContain('16-21 setter request.header');
    expect(chunks).toContain('23-29 getter request.idempotent');
    expect(chunks).toContain('31-33 method request.is');
    expect(chunks).toContain('36-38 function helper');
    expect(symbols).toContain('request.header getter 12-14');
  });

  it('Python: decorators and docstrings inside the range, methods qualified by class', async () => {
    const { chunks, symbols, result } = await chunksOf('sample.py');
    expect(chunks).toEqual([
      '1-4 imports null',
      '5-11 function read_config',
      '14-18 class Command',
      '19-20 method Command.__init__',
      '22-25 method Command.help_text',
      '27-29 method Command.make_context',
    ]);
    expect(symbols).toContain('Command.help_text method 22-25');
    expect(result.chunks[1]?.doc).toContain('Read the configuration file at path.');
  });

  it('Go: doc comments attached, methods qualified by receiver type', async () => {
    const { chunks, symbols } = await chunksOf('sample.go');
    expect(chunks).toEqual([
      '1-4 imports null',
      '5-9 interface Router',
      '11-14 struct Mux',
      '16-20 function NewMux',
      '22-25 method Mux.Get',
    ]);
    expect(symbols).toContain('Mux.Get method 23-25');
  });

  it.each([
    ['Sample.java', ['UserRepository class 6-18', 'UserRepository.findByName method 14-17']],
    ['sample.rs', ['Cache struct 5-7', 'Cache.insert method 11-13', 'parse_line function 17-19']],
    ['sample.rb', ['Serializer module 4-12', 'Serializer.Json class 6-11', 'Serializer.Json.dump method 8-10']],
    ['sample.c', ['point struct 4-7', 'add function 10-13']],
    ['sample.cpp', ['geo namespace 3-20', 'geo.Circle class 6-13', 'geo.Circle.area method 16-18']],
    ['Sample.cs', ['Shop.Order class 6-15', 'Shop.Order.Total method 11-14', 'Shop.Order.Id property 8-8']],
    ['sample.php', ['Mailer class 8-17', 'Mailer.send method 13-16', 'format_address function 19-22']],
  ])('%s: symbols with exact ranges', async (name, expected) => {
    const { symbols } = await chunksOf(name);
    for (const s of expected) expect(symbols).toContain(s);
  });

  it('doc comments of Rust and Java are inside the chunk range', async () => {
    expect((await chunksOf('sample.rs')).chunks).toContain('3-7 struct Cache');
    expect((await chunksOf('Sample.java')).chunks).toContain('13-17 method UserRepository.findByName');
  });

  it('covers every non-trivial line of a parsed file with some chunk', async () => {
    for (const name of ['sample.ts', 'request.js', 'sample.py', 'sample.go', 'sample.php']) {
      const content = readFileSync(join(FIXTURES, name), 'utf8').split('\n');
      const { result } = await chunksOf(name);
      content.forEach((line, i) => {
        if (!/^[\s{}()[\];,]*$/.test(line)) {
          expect(
            result.chunks.some((c) => c.startLine <= i + 1 && i + 1 <= c.endLine),
            `${name}:${i + 1} ${line}`,
          ).toBe(true);
        }
      });
    }
  });

  it('Markdown: one chunk per heading, ignoring # inside code fences', async () => {
    const { chunks } = await chunksOf('guide.md');
    expect(chunks).toEqual(['1-4 section Guide', '5-13 section Install', '14-16 section Usage']);
  });

  it('detects the language from the shebang', async () => {
    const { language, symbols } = await chunksOf('script');
    expect(language).toBe('python');
    expect(symbols).toEqual(['main function 2-3']);
  });

  it('splits long definitions into overlapping windows that keep the symbol', async () => {
    const body = Array.from({ length: 200 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const result = await chunkFile('long.ts', 'typescript', `function big() {\n${body}\n}\n`);
    const windows = result.chunks.filter((c) => c.symbol === 'big');
    expect(windows.length).toBeGreaterThan(2);
    expect(windows[0]?.startLine).toBe(1);
    expect(windows.at(-1)?.endLine).toBe(202);
    for (let i = 1; i < windows.length; i += 1) expect(windows[i]!.startLine).toBeLessThanOrEqual(windows[i - 1]!.endLine);
  });

  it('other text files become line windows', async () => {
    const text = Array.from({ length: 130 }, (_, i) => `line ${i + 1}`).join('\n');
    const result = await chunkFile('notes.txt', 'text', text);
    expect(result.chunks.map((c) => [c.startLine, c.endLine])).toEqual([
      [1, 60],
      [51, 110],
      [101, 130],
    ]);
  });

  it('cleans comment markers from docs', () => {
    expect(cleanDoc('/**\n * Hello.\n * World.\n */')).toBe('Hello.\nWorld.');
    expect(cleanDoc('// Get adds a route.')).toBe('Get adds a route.');
    expect(cleanDoc('"""Return the help text."""')).toBe('Return the help text.');
  });
});
