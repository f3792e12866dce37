import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Where `npm run build` (scripts/buildWeb.mjs) writes the browser bundles: <repo>/web/dist, from src/ and dist/ alike. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface AssetManifest {
  entries: Record<string, { file: string; imports: string[] }>;
}

export interface Asset {
  body: Uint8Array;
  /** The body gzipped once, when first read (27 KB instead of 81 KB for the file view's script). */
  gzip: Uint8Array;
  type: string;
}

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
const NAME = /^[\w-]+\.(js|css)$/;

/** The built assets: the manifest, read again when the build rewrites it, and files by name, cached (names are content hashes). */
export interface Assets {
  manifest(): AssetManifest | null;
  /** The script and the files it imports, for `<link rel=modulepreload>`; [] when the bundle is not built. */
  script(entry: string): { src: string; preload: string[] } | null;
  style(entry: string): string | null;
  file(name: string): Asset | null;
}

export function createAssets(dir: string = WEB_DIST): Assets {
  let cached: { mtimeMs: number; manifest: AssetManifest | null } | null = null;
  const files = new Map<string, Asset | null>();
  const manifest = (): AssetManifest | null => {
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(`${dir}/manifest.json`).mtimeMs;
    } catch {
      return null;
    }
    if (cached?.mtimeMs !== mtimeMs) {
      cached = { mtimeMs, manifest: JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as AssetManifest };
      files.clear();
    }
    return cached.manifest;
  };
  return {
    manifest,
    script(entry) {
      const found = manifest()?.entries[entry];
      return found ? { src: `/assets/${found.file}`, preload: found.imports.map((f) => `/assets/${f}`) } : null;
    },
    style(entry) {
      const found = manifest()?.entries[entry];
      return found ? `/assets/${found.file}` : null;
    },
    file(name) {
      const match = NAME.exec(name);
      if (!match) return null;
      if (!files.has(name)) {
        try {
          const body = readFileSync(`${dir}/${name}`);
          files.set(name, { body, gzip: gzipSync(body, { level: 9 }), type: TYPES[match[1] as string] as string });
        } catch {
          files.set(name, null);
        }
      }
      return files.get(name) ?? null;
    },
  };
}
