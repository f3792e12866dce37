import { basename, extname } from 'node:path';
import { ERROR_CODES, GitloreError } from './errors.js';
import { closeMatches } from './suggest.js';

/** Languages the chunker knows; anything else that is text is indexed by line windows as `text`. */
export type LanguageId =
  | 'typescript'
  | 'tsx'
  | 'javascript'
  | 'python'
  | 'go'
  | 'java'
  | 'rust'
  | 'ruby'
  | 'c'
  | 'cpp'
  | 'csharp'
  | 'php'
  | 'bash'
  | 'markdown'
  | 'json'
  | 'yaml'
  | 'toml'
  | 'html'
  | 'css'
  | 'sql'
  | 'kotlin'
  | 'swift'
  | 'scala'
  | 'text';

export const LANGUAGE_IDS: readonly LanguageId[] = [
  'typescript',
  'tsx',
  'javascript',
  'python',
  'go',
  'java',
  'rust',
  'ruby',
  'c',
  'cpp',
  'csharp',
  'php',
  'bash',
  'markdown',
  'json',
  'yaml',
  'toml',
  'html',
  'css',
  'sql',
  'kotlin',
  'swift',
  'scala',
  'text',
];

/** Short and common names a `--lang` value may use, each standing for indexed language ids. */
const LANGUAGE_ALIASES: Record<string, LanguageId[]> = {
  ts: ['typescript', 'tsx'],
  typescript: ['typescript', 'tsx'],
  js: ['javascript'],
  jsx: ['javascript'],
  py: ['python'],
  golang: ['go'],
  rs: ['rust'],
  rb: ['ruby'],
  'c++': ['cpp'],
  cs: ['csharp'],
  'c#': ['csharp'],
  sh: ['bash'],
  shell: ['bash'],
  md: ['markdown'],
};

/**
 * The indexed language ids a `--lang` value stands for (`ts` → typescript and tsx); QUERY_INVALID
 * naming close matches for a language the indexer does not know, so a typo never answers nothing.
 */
export function languagesFor(language: string): LanguageId[] {
  const key = language.trim().toLowerCase();
  const aliased = LANGUAGE_ALIASES[key];
  if (aliased) return aliased;
  if ((LANGUAGE_IDS as readonly string[]).includes(key)) return [key as LanguageId];
  const near = closeMatches(key, [...LANGUAGE_IDS, ...Object.keys(LANGUAGE_ALIASES)]);
  throw new GitloreError(
    ERROR_CODES.QUERY_INVALID,
    `Unknown language "${language}"${near.length ? `; did you mean ${near.join(', ')}?` : '.'}`,
    {
      hint: `Known languages: ${LANGUAGE_IDS.join(', ')} (also ${Object.keys(LANGUAGE_ALIASES).join(', ')}).`,
    },
  );
}

const BY_EXTENSION: Record<string, LanguageId> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.java': 'java',
  '.rs': 'rust',
  '.rb': 'ruby',
  '.rake': 'ruby',
  '.gemspec': 'ruby',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.hxx': 'cpp',
  '.cs': 'csharp',
  '.php': 'php',
  '.sh': 'bash',
  '.bash': 'bash',
  '.zsh': 'bash',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.rst': 'text',
  '.txt': 'text',
  '.json': 'json',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.toml': 'toml',
  '.html': 'html',
  '.htm': 'html',
  '.css': 'css',
  '.scss': 'css',
  '.sql': 'sql',
  '.kt': 'kotlin',
  '.kts': 'kotlin',
  '.swift': 'swift',
  '.scala': 'scala',
};

const BY_NAME: Record<string, LanguageId> = {
  Makefile: 'text',
  Dockerfile: 'text',
  Rakefile: 'ruby',
  Gemfile: 'ruby',
  Vagrantfile: 'ruby',
  'CMakeLists.txt': 'text',
  '.bashrc': 'bash',
};

const SHEBANG: [RegExp, LanguageId][] = [
  [/\b(python[0-9.]*)\b/, 'python'],
  [/\b(node|deno|bun)\b/, 'javascript'],
  [/\b(bash|sh|zsh|dash)\b/, 'bash'],
  [/\bruby\b/, 'ruby'],
  [/\bphp\b/, 'php'],
];

/** Language from the file name first, then the shebang line; null when unknown (indexed as text if it is text). */
export function detectLanguage(path: string, head?: string): LanguageId | null {
  const name = basename(path);
  const byName = BY_NAME[name];
  if (byName) return byName;
  const ext = extname(name).toLowerCase();
  const byExt = BY_EXTENSION[ext];
  if (byExt) return byExt;
  if (head?.startsWith('#!')) {
    const line = head.slice(0, head.indexOf('\n') === -1 ? head.length : head.indexOf('\n'));
    for (const [pattern, language] of SHEBANG) if (pattern.test(line)) return language;
  }
  return null;
}

/** Path segments that hold vendored, generated or installed code. */
const SKIP_DIRS = new Set([
  'node_modules',
  'vendor',
  'third_party',
  'third-party',
  'dist',
  'build',
  'out',
  '.git',
  '.yarn',
  'bower_components',
  '__pycache__',
  '.venv',
  'venv',
  'site-packages',
  'target',
  'coverage',
  '.next',
  '.nuxt',
  'Pods',
]);

const SKIP_NAMES = new Set([
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'Cargo.lock',
  'Gemfile.lock',
  'poetry.lock',
  'composer.lock',
  'go.sum',
  'Pipfile.lock',
  'uv.lock',
  'npm-shrinkwrap.json',
]);

const BINARY_EXT = new Set(
  (
    '.png .jpg .jpeg .gif .bmp .ico .webp .avif .tiff .psd .svgz .pdf .zip .gz .tgz .bz2 .xz .7z .rar .jar .war .class .so .dylib .dll ' +
    '.exe .o .a .lib .obj .pyc .pyo .wasm .bin .dat .db .sqlite .ttf .otf .woff .woff2 .eot .mp3 .mp4 .mov .avi .wav .ogg .flac .webm ' +
    '.node .pb .onnx .pt .npy .npz .parquet .lockb'
  ).split(' '),
);

/** Why a path is skipped before reading it, or null to read it. */
export function skipReasonForPath(path: string): string | null {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? path;
  for (let i = 0; i < parts.length - 1; i += 1) if (SKIP_DIRS.has(parts[i] ?? '')) return 'vendored';
  if (SKIP_NAMES.has(name) || name.endsWith('.lock')) return 'lockfile';
  if (/\.min\.(js|css|mjs)$/.test(name) || /[.-]bundle\.js$/.test(name) || name.endsWith('.map')) return 'generated';
  if (/\.(pb|generated|gen)\.(go|ts|js|py|cs)$/.test(name) || name.endsWith('_pb2.py') || name.endsWith('.designer.cs')) return 'generated';
  if (BINARY_EXT.has(extname(name).toLowerCase())) return 'binary';
  return null;
}

/** Why content is skipped once read (binary, generated, minified), or null to index it. */
export function skipReasonForContent(content: Buffer): string | null {
  const probe = content.subarray(0, 8000);
  if (probe.includes(0)) return 'binary';
  const head = probe.toString('utf8', 0, Math.min(probe.length, 600));
  if (/@generated|DO NOT EDIT|auto-generated|autogenerated by/i.test(head)) return 'generated';
  // Minified: very long lines on average.
  if (content.length > 2000) {
    let newlines = 0;
    for (const byte of probe) if (byte === 10) newlines += 1;
    if (probe.length / (newlines + 1) > 500) return 'minified';
  }
  return null;
}

/** Test, example and fixture paths: demoted in ranking unless the query asks for them. */
export function isTestPath(path: string): boolean {
  return (
    /(^|\/)(tests?|__tests__|spec|specs|testdata|test_data|fixtures?|e2e)\//i.test(path) ||
    /([._-](test|spec)s?\.[a-z]+$|(^|\/)test_[^/]+$|_test\.go$)/i.test(path)
  );
}

export function isExamplePath(path: string): boolean {
  return /(^|\/)(_?examples?|samples?|demos?|benchmarks?|bench)\//i.test(path);
}

/** Prose, data and markup: files that mention names without defining or using them as code does. */
const NOT_PROGRAM_CODE: ReadonlySet<string> = new Set(['markdown', 'text', 'json', 'yaml', 'toml', 'html', 'css', 'sql']);

/** The languages of program code. */
export const PROGRAM_LANGUAGE_IDS: readonly LanguageId[] = LANGUAGE_IDS.filter((l) => !NOT_PROGRAM_CODE.has(l));

/** Non-code documentation files. */
export function isDocLanguage(language: string): boolean {
  return language === 'markdown' || language === 'text';
}
