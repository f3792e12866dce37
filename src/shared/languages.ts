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

/**
 * Folder names that hold copies of other projects kept inside the repository, which are indexed but demoted
 * (`mylib/_vendor/six.py`, `src/thirdparty/zlib/`, `deps/hiredis/`); `vendor/` and `third_party/` are skipped whole.
 */
const VENDORED_DIRS: ReadonlySet<string> = new Set([
  '_vendor',
  '_vendored',
  'vendored',
  'vendors',
  'thirdparty',
  '3rdparty',
  'third_party_libs',
  'extern',
  'externals',
  'deps',
]);

/** Whether a folder name says its files are vendored copies of other projects (see VENDORED_DIRS). */
export function isVendoredDirName(name: string): boolean {
  return VENDORED_DIRS.has(name.toLowerCase());
}

/** A license file: `LICENSE`, `LICENSE.txt`, `LICENCE-MIT`, `COPYING`, `UNLICENSE`. */
export function isLicenseFileName(name: string): boolean {
  if (!/^(licen[cs]e|copying|unlicense)([.-][a-z0-9.-]*)?$/i.test(name)) return false;
  const language = BY_EXTENSION[extname(name).toLowerCase()];
  return !language || isDocLanguage(language);
}

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

/**
 * Folders whose files are tests, test data or test helpers in some language's layout (compared lower-cased):
 * `test/` and `tests/` (Java/Kotlin `src/test/`, Rust, PHP), `spec/` (Ruby, JS), `__tests__`/`__mocks__`/`__snapshots__`
 * (Jest), `testdata/` (Go), `testing/` (a package of test helpers, or a test framework's own test folder),
 * `fixtures/`, `e2e/` and `cypress/` (browser tests), `mocks/` (generated mocks), Android's `androidTest/`.
 */
const TEST_DIRS: ReadonlySet<string> = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'testdata',
  'test_data',
  'test-data',
  'testing',
  'testutils',
  'test_utils',
  'test-utils',
  'testhelpers',
  'test_helpers',
  'test-helpers',
  'testfixtures',
  'test-fixtures',
  'fixture',
  'fixtures',
  '__fixtures__',
  '__snapshots__',
  '__mocks__',
  'mocks',
  'e2e',
  'cypress',
  'unittests',
  'unit_tests',
  'integration_tests',
  'integration-tests',
  'androidtest',
]);

/**
 * Test file names: `foo.test.ts`, `foo_test.go`, `foo_test.py`, `foo.spec.js`, `foo_spec.rb`, `foo.e2e.ts`, `foo.cy.js`,
 * `foo_unittest.cc`, `test_foo.py`, `conftest.py`, `tests.py`. `_spec` only where it is the convention (Ruby, JS).
 */
const TEST_FILE =
  /([._-](tests?|e2e|unittests?)\.[a-z0-9]+$|\.specs?\.[a-z0-9]+$|\.cy\.[jt]sx?$|[_-]specs?\.(rb|js|jsx|ts|tsx|mjs|cjs|coffee|lua|ex|exs)$|^tests?[_-][^/]+\.(py|pyi|[cm]?[jt]sx?|c|cc|cpp|h|hpp|go|rb|rs|php|java|kt|scala|swift|cs|lua|exs?)$|^(conftest|tests?)\.py$)/i;
/** JUnit, NUnit/xUnit, XCTest, PHPUnit, Spock, ScalaTest and Kotest class names: `FooTest.java`, `FooTests.cs`, `FooIT.java`, `FooSpec.groovy`. */
const TEST_CLASS_FILE =
  /[a-z0-9](Tests?|TestCase|IT)\.(java|kt|kts|scala|groovy|cs|fs|vb|swift|php|m|mm)$|[a-z0-9]Specs?\.(groovy|scala|kt|cs|swift)$/;
/** A .NET test project folder: `MyLib.Tests/`, `MyLib.UnitTests/`, `MyLib.Specs/`. */
const TEST_PROJECT_DIR = /[.](unit|integration|functional|acceptance)?(tests?|specs)$/i;

/** Test files, test data and test helpers, by the folder and file conventions of each language: demoted in ranking unless the query asks for tests. */
export function isTestPath(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  for (let i = 0; i < parts.length - 1; i += 1) {
    const dir = parts[i] ?? '';
    if (TEST_DIRS.has(dir.toLowerCase()) || TEST_PROJECT_DIR.test(dir)) return true;
  }
  return TEST_FILE.test(name) || TEST_CLASS_FILE.test(name);
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
