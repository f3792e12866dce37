import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/**
 * The layering of ../shared/STYLE.md, written from the rule rather than from today's imports:
 * cli | server | mcp → core → sync, indexer, search, history, jobs → sources, git, embeddings, llm, store → shared.
 * config is resolved once and read as values by every layer above shared except store.
 * Two exceptions, each in docs/decisions.md: the `serve` and `mcp` verbs start the other doors (cli → server, mcp),
 * and the HTTP server mounts the MCP transport at /mcp (server → mcp).
 */
const LOWER: Record<string, string[]> = {
  shared: [],
  config: ['shared'],
  store: ['shared'],
  git: ['shared', 'config'],
  embeddings: ['shared', 'config'],
  llm: ['shared', 'config'],
  sources: ['shared', 'config'],
  sync: ['sources', 'git', 'store', 'shared', 'config'],
  indexer: ['git', 'embeddings', 'store', 'shared', 'config'],
  search: ['embeddings', 'store', 'shared', 'config'],
  history: ['git', 'store', 'shared', 'config'],
  jobs: ['store', 'shared', 'config'],
  core: ['sync', 'indexer', 'search', 'history', 'jobs', 'sources', 'git', 'embeddings', 'llm', 'store', 'shared', 'config'],
  mcp: ['core', 'shared', 'config'],
  server: ['core', 'mcp', 'shared', 'config'],
  cli: ['core', 'server', 'mcp', 'shared', 'config'],
};

/** Folders that only their parent folder may import. */
const PRIVATE = ['store/sqlite', 'store/postgres'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const rel = (path: string) => relative(SRC, path).replaceAll('\\', '/');
const layerOf = (path: string) => rel(path).split('/')[0] ?? '';

/** Relative imports, static and dynamic, including `import type` and re-exports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts'));
    if (target.startsWith(SRC)) found.push(target);
  }
  return found;
}

const files = sourceFiles(SRC);

describe('import direction (STYLE.md layering)', () => {
  it('has a rule for every top-level folder of src/', () => {
    const layers = new Set(files.map(layerOf).filter((l) => !l.endsWith('.ts')));
    expect([...layers].filter((l) => !(l in LOWER))).toEqual([]);
  });

  it('points every import down the layers, static or dynamic', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (from.endsWith('.ts')) continue; // main.ts: the composition root wires everything
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to === from) continue;
        if (to.endsWith('.ts') || !(LOWER[from] ?? []).includes(to)) violations.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps implementation folders private to their parent', () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const target of importsOf(file)) {
        const folder = PRIVATE.find((p) => rel(target).startsWith(`${p}/`));
        if (folder && !rel(file).startsWith(`${folder.split('/')[0]}/`)) violations.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles between modules', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map(rel).join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});

/**
 * Besides src/config and the composition root, one module may touch process.env: the git client hands the
 * process environment (PATH, HOME, proxies, SSH settings) to the git processes it starts; it reads no setting.
 */
const ENV_PASS_THROUGH = ['git/env.ts'];

const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('configuration boundary', () => {
  it('reads process.env only in src/config (and the composition root)', () => {
    const readers = files
      .map(rel)
      .filter((f) => !f.startsWith('config/') && f !== 'main.ts' && !ENV_PASS_THROUGH.includes(f))
      .filter((f) => /process\.env\b/.test(withoutComments(readFileSync(join(SRC, f), 'utf8'))));
    expect(readers).toEqual([]);
  });
});
