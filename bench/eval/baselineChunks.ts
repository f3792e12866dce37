/**
 * Files and function-level chunks for the BM25 floor and the embedding candidates.
 * Deliberately simple and independent of the product's tree-sitter chunker: a
 * chunk starts at each definition line (with the doc comment and decorators above
 * it) and runs to the next one; other text files go by 60-line windows.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface BaseChunk {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
}

const SKIP =
  /(^|\/)(node_modules|vendor|dist|build|\.git)\/|\.min\.(js|css)$|(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|go\.sum|poetry\.lock)$/;
const BINARY_EXT = /\.(png|jpe?g|gif|ico|svg|pdf|zip|gz|tgz|woff2?|ttf|eot|mp4|webm|wasm|bin|pyc|so|dylib|dll|exe|jar|nc|h5|grib|zarr)$/i;

export function listFiles(dir: string, maxBytes = 1024 * 1024): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return out
    .split('\0')
    .filter((p) => p && !SKIP.test(p) && !BINARY_EXT.test(p))
    .filter((p) => {
      try {
        const st = statSync(join(dir, p));
        return st.isFile() && st.size <= maxBytes;
      } catch {
        return false;
      }
    });
}

const DEF: Record<string, RegExp> = {
  py: /^\s*(async\s+def|def|class)\s+\w/,
  go: /^(func|type)\s/,
  js: /^\s*(export\s+)?(default\s+)?(async\s+)?(function\*?\s*[\w$]*\s*\(|class\s|interface\s|type\s+\w+|(const|let|var)\s+[\w$]+\s*=\s*(async\s*)?(\(|function|[\w$]+\s*=>))|^\s+(static\s+|async\s+|get\s+|set\s+|public\s+|private\s+|protected\s+|readonly\s+)*[\w$#]+\s*(\?\s*)?\([^)]*\)?\s*(:[^{]*)?\{\s*$|^\s+[\w$]+\s*(\(|:\s*(async\s*)?function)/,
};
const EXT_KIND: Record<string, string> = { py: 'py', go: 'go', js: 'js', mjs: 'js', cjs: 'js', ts: 'js', tsx: 'js', jsx: 'js', mts: 'js' };
const LEAD = /^\s*(\/\/|\/\*|\*|#|@)/;

export function chunkText(path: string, text: string, window = 60): BaseChunk[] {
  const lines = text.split('\n');
  const kind = EXT_KIND[path.split('.').pop() ?? ''];
  const starts: number[] = [0];
  if (kind) {
    const re = DEF[kind];
    for (let i = 0; i < lines.length; i++) {
      if (!re.test(lines[i])) continue;
      let s = i;
      while (s > 0 && LEAD.test(lines[s - 1]) && !re.test(lines[s - 1])) s--;
      if (s > starts[starts.length - 1]) starts.push(s);
    }
  }
  const out: BaseChunk[] = [];
  for (let k = 0; k < starts.length; k++) {
    const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
    for (let s = starts[k]; s < end; s += window) {
      const e = Math.min(end, s + window);
      const body = lines.slice(s, e).join('\n');
      if (body.trim()) out.push({ path, startLine: s + 1, endLine: e, text: body });
    }
  }
  return out;
}

export function chunkTree(dir: string): BaseChunk[] {
  const out: BaseChunk[] = [];
  for (const path of listFiles(dir)) {
    const buf = readFileSync(join(dir, path));
    if (buf.subarray(0, 8000).includes(0)) continue;
    out.push(...chunkText(path, buf.toString('utf8')));
  }
  return out;
}
