import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Which top-level folders of src/ each folder may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  shared: [],
  config: ['shared'],
  store: ['shared'],
  git: ['shared'],
  embeddings: ['shared', 'config'],
  sources: ['shared', 'config', 'git'],
  history: ['shared', 'config', 'store', 'git', 'core/app'],
  indexer: ['shared', 'config', 'store', 'git', 'embeddings', 'history', 'core/app'],
  search: ['shared', 'config', 'store', 'git', 'embeddings', 'indexer', 'core/app'],
  sync: ['shared', 'config', 'store', 'git', 'sources', 'core/app'],
  jobs: ['shared', 'config', 'store', 'core'],
  core: ['shared', 'config', 'store', 'git', 'sources', 'sync', 'indexer', 'search', 'history', 'embeddings', 'jobs'],
  mcp: ['shared', 'config', 'core', 'store'],
  server: ['shared', 'config', 'core', 'store', 'mcp', 'jobs'],
  cli: ['shared', 'config', 'core', 'store', 'server', 'mcp', 'jobs'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function layerOf(path: string): string {
  const rel = relative(SRC, path).replaceAll('\\', '/');
  if (rel === 'core/app.ts') return 'core/app';
  return rel.split('/')[0] ?? '';
}

describe('import direction', () => {
  it('keeps dependencies pointing cli/server/mcp → core → engines → store → shared', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      if (!(from in ALLOWED) && from !== 'core/app') continue; // main.ts is the composition root
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = resolve(join(file, '..'), match[1] ?? '');
        if (!target.startsWith(SRC)) continue;
        const to = layerOf(target);
        if (to === from || to === '') continue;
        // core/app.ts only names core's Services under their older name.
        const allowed = from === 'core/app' ? ['config', 'shared', 'store', 'core'] : (ALLOWED[from] ?? []);
        const ok =
          allowed.includes(to) || (to === 'core/app' && allowed.includes('core')) || (to === 'core/app' && allowed.includes('core/app'));
        if (!ok) violations.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${from} → ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('never imports cli, server or mcp from below', () => {
    const below = sourceFiles(SRC).filter((f) => !['cli', 'server', 'mcp'].includes(layerOf(f)) && !f.endsWith('main.ts'));
    const offenders = below.filter((f) => /from\s+['"][./]+\/(cli|server|mcp)\//.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
