#!/usr/bin/env node
// Bundles web/src into web/dist: content-hashed ES modules and CSS plus manifest.json
// (entry name → file, and the files each entry loads), which the server reads to link pages.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'web/dist');

/** One script per page (each a small island) and one stylesheet for every page. */
const ENTRIES = {
  search: 'web/src/search.ts',
  chat: 'web/src/chat.ts',
  status: 'web/src/status.ts',
  account: 'web/src/account.ts',
  admin: 'web/src/admin.ts',
  file: 'web/src/file.ts',
  page: 'web/src/page.ts',
  styles: 'web/src/styles.css',
};

export async function buildWeb({ quiet = false } = {}) {
  const started = performance.now();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    bundle: true,
    // One script per page: a shared chunk would cost each first load another request for ~0.5 KB.
    splitting: false,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: false,
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const manifest = { entries: {} };
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const entry = Object.entries(ENTRIES).find(([, src]) => output.entryPoint === src);
    if (!entry) continue;
    manifest.entries[entry[0]] = { file: basename(file), imports: output.imports.filter((i) => !i.external).map((i) => basename(i.path)) };
  }
  writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!quiet) {
    const files = readdirSync(outdir).filter((f) => f !== 'manifest.json');
    process.stderr.write(
      `web: built ${files.length} files into ${relative(root, outdir)} in ${Math.round(performance.now() - started)} ms\n`,
    );
  }
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildWeb();
