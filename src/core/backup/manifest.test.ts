import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest.js';

const SHA = 'a'.repeat(64);
const base = () => ({
  format: 1,
  gitloreVersion: '0.1.0',
  id: 'x',
  createdAt: '2026-12-03T00:00:00.000Z',
  backend: 'sqlite',
  items: [
    { kind: 'database', name: 'sqlite', path: 'index/gitlore.db', key: `objects/${SHA}`, size: 1, sha256: SHA },
    { kind: 'clone', name: 'r', path: 'r', key: `objects/${SHA}`, size: 1, sha256: SHA, head: 'refs/heads/main', origin: '/src/r' },
  ],
  external: [],
  empty: [],
});
const parse = (value: unknown) => () => parseManifest(JSON.stringify(value), 'm.json');

describe('parseManifest', () => {
  it('reads a manifest this version wrote', () => {
    expect(parseManifest(JSON.stringify(base()), 'm.json').items).toHaveLength(2);
  });

  it('refuses what a restore must not act on, naming the manifest', () => {
    expect(() => parseManifest('{', 'm.json')).toThrow(/m\.json is not valid JSON/);
    expect(parse({ ...base(), format: 2 })).toThrow(/format 2, this gitlore reads 1/);
    const outside = base();
    outside.items[1].path = '../etc';
    expect(parse(outside)).toThrow(/outside the data folder/);
    const option = base();
    option.items[1].head = '--upload-pack=evil';
    expect(parse(option)).toThrow(/neither a ref nor a commit/);
    const origin = base();
    origin.items[1].origin = '--config=x';
    expect(parse(origin)).toThrow(/reads as an option/);
    const badSha = base();
    badSha.items[0].sha256 = 'nothex';
    expect(parse(badSha)).toThrow(/without key, path or sha256/);
    expect(parse({ ...base(), items: base().items.slice(1) })).toThrow(/exactly one database/);
  });
});
