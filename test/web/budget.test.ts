import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type AssetManifest, WEB_DIST } from '../../src/server/web/assets.js';

/** Compressed JavaScript the search page may ship (issue 16). */
const SEARCH_PAGE_BUDGET = 150 * 1024;

/** Which island each page loads (src/server/web/*Page.tsx). */
const PAGES = {
  'search (/ and /search)': 'search',
  'file view (/r/:repo/blob)': 'file',
  'chat (/chat, /chat/:id)': 'chat',
  'status (/status)': 'status',
  'account (/account)': 'account',
  'admin (/admin)': 'admin',
  'tree, 404 and the rest': 'page',
} as const;

const gzipBytes = (file: string) => gzipSync(readFileSync(join(WEB_DIST, file)), { level: 9 }).length;

describe('JavaScript size per page, from the built assets', () => {
  const manifest = JSON.parse(readFileSync(join(WEB_DIST, 'manifest.json'), 'utf8')) as AssetManifest;
  const sizes = Object.fromEntries(
    Object.entries(PAGES).map(([page, entry]) => {
      const found = manifest.entries[entry];
      if (!found) throw new Error(`web/dist has no ${entry} entry`);
      return [page, [found.file, ...found.imports].reduce((sum, file) => sum + gzipBytes(file), 0)];
    }),
  );

  it('keeps the search page within 150 KB of gzip JavaScript (and prints every page)', () => {
    const style = manifest.entries.styles?.file as string;
    const lines = Object.entries(sizes).map(([page, bytes]) => `  ${page}: ${(bytes / 1024).toFixed(1)} KB gzip JS`);
    process.stderr.write(
      `web bundle sizes:\n${lines.join('\n')}\n  stylesheet (every page): ${(gzipBytes(style) / 1024).toFixed(1)} KB gzip\n`,
    );
    expect(sizes['search (/ and /search)']).toBeLessThanOrEqual(SEARCH_PAGE_BUDGET);
  });
});
